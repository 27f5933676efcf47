import { classifyLogMessage } from "../../handlers/log-processor/classify";
import { DeployedPattern, DeployedPatterns, linesMatchedByAny, linesMatchedByNone, matchingFilters, NamedLine, readDeployedPatterns } from "./deployed-patterns";
import { emitterLines, EmitterLines, fixtureNonErrorLines, mentionsOfErrorAtLowerLevels, platformLines } from "./log-line-sets";
import { ERROR_LINES } from "../fixtures/log-lines";

/**
 * The metric filters the alarm counts, as synthesized, applied with the filter-pattern engine to the lines the test
 * emitter really writes. An event is counted when at least one error metric filter on the emitter's log group
 * matches it; no event may be counted twice.
 */
describe("error metric filters of the test emitter's log group (as synthesized)", () => {
  let deployed: DeployedPatterns;
  let emitter: EmitterLines;

  beforeAll(async () => {
    deployed = readDeployedPatterns();
    emitter = await emitterLines();
  });

  it("exist: at least one metric filter on the group publishes to the metric the error alarm watches", () => {
    // Assess
    expect(deployed.errorMetricFilters.length).toBeGreaterThanOrEqual(1);
  });

  it("count every ERROR line the emitter writes, in Lambda's text and JSON log formats", () => {
    // Prepare: both formats are present, and the processor agrees every one of these lines is an error.
    expect(new Set(emitter.errorLines.map((line) => line.name.replace(/.*, /, "")))).toEqual(new Set(["text format", "json format"]));
    expect(emitter.errorLines.filter((line) => classifyLogMessage(line.message) === null)).toEqual([]);
    // Act
    const uncounted = linesMatchedByNone(deployed.errorMetricFilters, emitter.errorLines);
    // Assess
    expect(uncounted).toEqual([]);
  });

  it("do not count the emitter's INFO lines, in either format", () => {
    // Act
    const counted = linesMatchedByAny(deployed.errorMetricFilters, emitter.infoLines);
    // Assess
    expect(emitter.infoLines.length).toBeGreaterThanOrEqual(2);
    expect(counted).toEqual([]);
  });

  it("do not count Lambda's START, END, REPORT and INIT_START lines, in either format", () => {
    // Act
    const counted = linesMatchedByAny(deployed.errorMetricFilters, platformLines());
    // Assess
    expect(counted).toEqual([]);
  });

  it('do not count INFO and WARN lines that mention ERROR ("INFO ... no ERROR found"), in either format', () => {
    // Act
    const counted = linesMatchedByAny(deployed.errorMetricFilters, mentionsOfErrorAtLowerLevels());
    // Assess
    expect(counted).toEqual([]);
  });

  it("do not count any of the fixture's non-error lines", () => {
    // Act
    const counted = linesMatchedByAny(deployed.errorMetricFilters, fixtureNonErrorLines());
    // Assess
    expect(counted).toEqual([]);
  });

  it("never count one line twice: at most one of them matches any line", () => {
    // Prepare
    const everyLine: NamedLine[] = [
      ...emitter.errorLines,
      ...emitter.infoLines,
      ...platformLines(),
      ...mentionsOfErrorAtLowerLevels(),
      ...fixtureNonErrorLines(),
      ...ERROR_LINES.map((line) => ({ name: `fixture: ${line.name}`, message: line.message })),
    ];
    // Act
    const countedTwice = everyLine
      .map((line) => ({ name: line.name, filters: matchingFilters(deployed.errorMetricFilters, line.message) }))
      .filter((line) => line.filters.length > 1);
    // Assess
    expect(countedTwice).toEqual([]);
  });
});

describe("the checks above can fail", () => {
  it("a JSON-only pattern misses the emitter's text-format ERROR lines and only those", async () => {
    // Prepare
    const jsonOnly: DeployedPattern[] = [{ address: "example/json-only", pattern: '{ $.level = "ERROR" }' }];
    const { errorLines } = await emitterLines();
    // Act
    const uncounted = linesMatchedByNone(jsonOnly, errorLines);
    // Assess
    expect(uncounted.length).toBeGreaterThan(0);
    expect(uncounted.every((line) => line.name.endsWith("text format"))).toBe(true);
  });

  it("two filters that both match a line are reported as counting it twice", () => {
    // Prepare
    const overlapping: DeployedPattern[] = [
      { address: "example/json", pattern: '{ $.level = "ERROR" }' },
      { address: "example/regex", pattern: "%level.{3}ERROR%" },
    ];
    // Act
    const filters = matchingFilters(overlapping, '{"timestamp":"2024-05-01T12:00:00.123Z","level":"ERROR","requestId":"r","message":"m"}');
    // Assess
    expect(filters).toEqual(["example/json", "example/regex"]);
  });
});
