import { classifyLogMessage } from "../../handlers/log-processor/classify";
import { ERROR_LINES } from "../fixtures/log-lines";
import { DeployedPattern, DeployedPatterns, linesMatchedByAny, linesMatchedByNone, NamedLine, readDeployedPatterns } from "./deployed-patterns";
import { emitterLines, EmitterLines, fixtureNonErrorLines, mentionsAnErrorWord, platformLines } from "./log-line-sets";

/**
 * The subscription filter, as synthesized, is the processor's coarse pre-filter: every line the processor would
 * call an error must pass it, and lines without any error word must not (an INFO line that mentions "error" may
 * pass: the processor decides).
 */
describe("subscription filter of the test emitter's log group (as synthesized)", () => {
  let deployed: DeployedPatterns;
  let emitter: EmitterLines;

  beforeAll(async () => {
    deployed = readDeployedPatterns();
    emitter = await emitterLines();
  });

  it("exists", () => {
    // Assess
    expect(deployed.subscriptionFilters.length).toBeGreaterThanOrEqual(1);
  });

  it("passes every error format the processor recognises (every ERROR line of the fixtures)", () => {
    // Prepare: each fixture line is one the processor classifies as an error.
    const lines: NamedLine[] = ERROR_LINES.map((line) => ({ name: `fixture: ${line.name}`, message: line.message }));
    expect(lines.filter((line) => classifyLogMessage(line.message) === null)).toEqual([]);
    // Act
    const missed = linesMatchedByNone(deployed.subscriptionFilters, lines);
    // Assess
    expect(missed).toEqual([]);
  });

  it("passes every ERROR line the emitter writes, in Lambda's text and JSON log formats", () => {
    // Act
    const missed = linesMatchedByNone(deployed.subscriptionFilters, emitter.errorLines);
    // Assess
    expect(missed).toEqual([]);
  });

  it("keeps out the emitter's INFO lines, which mention no error word", () => {
    // Prepare
    expect(emitter.infoLines.filter((line) => mentionsAnErrorWord(line.message))).toEqual([]);
    // Act
    const passed = linesMatchedByAny(deployed.subscriptionFilters, emitter.infoLines);
    // Assess
    expect(passed).toEqual([]);
  });

  it("keeps out Lambda's START, END, REPORT and INIT_START lines of successful invocations, in either format", () => {
    // Act
    const passed = linesMatchedByAny(deployed.subscriptionFilters, platformLines());
    // Assess
    expect(passed).toEqual([]);
  });

  it("keeps out the fixture's non-error lines that mention no error word", () => {
    // Prepare
    const withoutErrorWords = fixtureNonErrorLines().filter((line) => !mentionsAnErrorWord(line.message));
    expect(withoutErrorWords.length).toBeGreaterThanOrEqual(5);
    // Act
    const passed = linesMatchedByAny(deployed.subscriptionFilters, withoutErrorWords);
    // Assess
    expect(passed).toEqual([]);
  });
});

describe("the checks above can fail", () => {
  it("a pattern of level words alone misses pino's numeric levels", () => {
    // Prepare
    const wordsOnly: DeployedPattern[] = [{ address: "example/words", pattern: "?ERROR ?FATAL ?error ?fatal" }];
    const pinoFatal = ERROR_LINES.filter((line) => line.name === "pino fatal (level 60)");
    // Act
    const missed = linesMatchedByNone(wordsOnly, pinoFatal.map((line) => ({ name: line.name, message: line.message })));
    // Assess
    expect(missed.map((line) => line.name)).toEqual(["pino fatal (level 60)"]);
  });

  it("a pattern that passes everything is reported for the platform lines", () => {
    // Act
    const passed = linesMatchedByAny([{ address: "example/everything", pattern: "" }], platformLines());
    // Assess
    expect(passed.length).toBe(platformLines().length);
  });
});
