import {
  FilterPatternError,
  matchesFilterPattern,
  MetricValueSpecError,
  parseFilterPattern,
} from "../../lib/filter-pattern";
import * as compileModule from "../../lib/filter-pattern/compile";

/**
 * The public API of lib/filter-pattern.ts. The behaviour of each pattern kind, with the AWS documentation's
 * examples, is tested in filter-pattern/*.test.ts.
 */

describe("parseFilterPattern", () => {
  it.each([
    ["", "all"],
    ["   \n\t", "all"],
    ['""', "all"],
    ['" "', "all"],
    ["ERROR", "terms"],
    ["?ERROR ?WARN", "terms"],
    ['  { $.level = "ERROR" }', "json"],
    ["[ip, user, ...]", "space-delimited"],
    ["%ERROR%", "regex"],
  ])("reports the kind of %j as %s", (pattern, kind) => {
    expect(parseFilterPattern(pattern).kind).toBe(kind);
  });

  it("keeps the pattern as given in `source`", () => {
    expect(parseFilterPattern("  ERROR  ").source).toBe("  ERROR  ");
  });

  it("extract returns matched: false and no fields for an event that does not match", () => {
    const pattern = parseFilterPattern("[level=ERROR, message]");
    expect(pattern.extract("INFO fine")).toEqual({ matched: false, fields: {} });
    expect(pattern.extract("ERROR broken")).toEqual({ matched: true, fields: { $level: "ERROR", $message: "broken" } });
    expect(parseFilterPattern("ERROR").extract("ERROR x")).toEqual({ matched: true, fields: {} });
    expect(parseFilterPattern("").extract("anything")).toEqual({ matched: true, fields: {} });
  });
});

describe("metricValue", () => {
  it("publishes a constant metric value only for matching events", () => {
    const pattern = parseFilterPattern("ERROR");
    expect(pattern.metricValue("ERROR boom", "1")).toBe(1);
    expect(pattern.metricValue("ERROR boom", "2.5")).toBe(2.5);
    expect(pattern.metricValue("INFO fine", "1")).toBeUndefined();
  });

  it("reads a JSON number, or a string that is a plain decimal, from a matching event", () => {
    const pattern = parseFilterPattern("{ $.latency = * }");
    expect(pattern.metricValue('{"latency": 50}', "$.latency")).toBe(50);
    expect(pattern.metricValue('{"latency": "75.5"}', "$.latency")).toBe(75.5);
    expect(pattern.metricValue('{"latency": "slow"}', "$.latency")).toBeUndefined();
    expect(pattern.metricValue('{"latency": 50, "t": {"ms": 7}}', "$.t.ms")).toBe(7);
    expect(pattern.metricValue('{"other": 50}', "$.latency")).toBeUndefined();
  });

  it("is undefined when the event does not match, even if it has the field", () => {
    expect(parseFilterPattern("{ $.latency > 100 }").metricValue('{"latency": 50}', "$.latency")).toBeUndefined();
    expect(parseFilterPattern("{ $.latency > 100 }").metricValue('{"latency": 150}', "$.latency")).toBe(150);
    expect(parseFilterPattern("[level=ERROR, bytes]").metricValue("INFO 512", "$bytes")).toBeUndefined();
    expect(parseFilterPattern("[level=ERROR, bytes]").metricValue("INFO 512", "$2")).toBeUndefined();
    expect(parseFilterPattern("[level=ERROR, bytes]").metricValue("ERROR 512", "$2")).toBe(512);
  });

  it("is undefined for a field reference the pattern kind cannot resolve", () => {
    expect(parseFilterPattern("ERROR").metricValue("ERROR 42", "$.latency")).toBeUndefined();
    expect(parseFilterPattern("{ $.a = * }").metricValue('{"a": 1}', "$a")).toBeUndefined();
    expect(parseFilterPattern("[a, b]").metricValue("1 2", "$.a")).toBeUndefined();
  });

  it.each([
    ["abc", "not a number or a field reference"],
    ["$", "not a number or a field reference"],
    ["$.", "expected a property name after '.' but found the end of the pattern"],
    ["$.a b", "unexpected text after the selector"],
    ["$0", "field positions start at $1"],
  ])("rejects the metric value %j", (spec, reason) => {
    expect(() => parseFilterPattern("ERROR").metricValue("ERROR", spec)).toThrow(
      new MetricValueSpecError(spec, reason)
    );
    expect(new MetricValueSpecError(spec, reason).message).toBe(
      `Invalid metric value ${JSON.stringify(spec)}: ${reason}; expected a number ("1"), a JSON selector ` +
        '("$.latency") or a space-delimited field ("$size" or "$7")'
    );
  });
});

describe("matchesFilterPattern", () => {
  afterEach(() => jest.restoreAllMocks());

  it("matches like the compiled pattern", () => {
    expect(matchesFilterPattern("?ERROR ?WARN", "WARN disk")).toBe(true);
    expect(matchesFilterPattern("?ERROR ?WARN", "INFO disk")).toBe(false);
  });

  it("compiles a pattern once and reuses it", () => {
    const compile = jest.spyOn(compileModule, "compileFilterPattern");
    for (let i = 0; i < 5; i++) matchesFilterPattern("cache_test_term -DEBUG", `line ${i} cache_test_term`);
    expect(compile).toHaveBeenCalledTimes(1);
  });

  it("forgets the oldest pattern once 256 others were compiled after it", () => {
    const compile = jest.spyOn(compileModule, "compileFilterPattern");
    matchesFilterPattern("evicted_first", "x");
    for (let i = 0; i < 256; i++) matchesFilterPattern(`filler_${i}`, "x");
    compile.mockClear();
    matchesFilterPattern("evicted_first", "x");
    expect(compile).toHaveBeenCalledTimes(1);
  });

  it("throws FilterPatternError for an invalid pattern, every time", () => {
    expect(() => matchesFilterPattern("{ $.a = ", "{}")).toThrow(FilterPatternError);
    expect(() => matchesFilterPattern("{ $.a = ", "{}")).toThrow("expected a value but found the end of the pattern");
  });
});
