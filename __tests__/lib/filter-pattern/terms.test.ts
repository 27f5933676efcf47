import { parseFilterPattern } from "../../../lib/filter-pattern";

/**
 * Term patterns for unstructured log events.
 *
 * CURRENT: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html,
 *          "Using filter patterns to match terms in unstructured log events".
 * OLD:     awsdocs/amazon-cloudwatch-logs-user-guide, doc_source/FilterAndPatternSyntax.md, "Matching Terms in Log
 *          Events" and "OR Pattern Matching".
 */

type Case = readonly [pattern: string, message: string, expected: boolean];

function expectCases(cases: readonly Case[]): void {
  for (const [pattern, message, expected] of cases) {
    // Prepare / Act
    const matched = parseFilterPattern(pattern).matches(message);
    // Assess: the pair is in the failure message, so a table row that fails names itself.
    expect({ pattern, message, matched }).toEqual({ pattern, message, matched: expected });
  }
}

describe("term patterns: the examples of the current AWS page (CURRENT)", () => {
  it("'Match a single term': ERROR matches events that contain ERROR", () => {
    expectCases([
      ["ERROR", "[ERROR 400] BAD REQUEST", true],
      ["ERROR", "[ERROR 401] UNAUTHORIZED REQUEST", true],
      ["ERROR", "[ERROR 419] MISSING ARGUMENTS", true],
      ["ERROR", "[ERROR 420] INVALID ARGUMENTS", true],
      ["ERROR", "[WARN] UNAUTHORIZED REQUEST", false],
    ]);
  });

  it("'Match multiple terms': ERROR ARGUMENTS needs both terms", () => {
    expectCases([
      ["ERROR ARGUMENTS", "[ERROR 419] MISSING ARGUMENTS", true],
      ["ERROR ARGUMENTS", "[ERROR 420] INVALID ARGUMENTS", true],
      ["ERROR ARGUMENTS", "[ERROR 400] BAD REQUEST", false],
      ["ERROR ARGUMENTS", "[ERROR 401] UNAUTHORIZED REQUEST", false],
    ]);
  });

  it("'Match optional terms': ?ERROR ?ARGUMENTS needs either term", () => {
    expectCases([
      ["?ERROR ?ARGUMENTS", "[ERROR 400] BAD REQUEST", true],
      ["?ERROR ?ARGUMENTS", "[ERROR 401] UNAUTHORIZED REQUEST", true],
      ["?ERROR ?ARGUMENTS", "[ERROR 419] MISSING ARGUMENTS", true],
      ["?ERROR ?ARGUMENTS", "[ERROR 420] INVALID ARGUMENTS", true],
      ["?ERROR ?ARGUMENTS", "[WARN] UNAUTHORIZED REQUEST", false],
    ]);
  });

  it("'Match optional terms' note: combined with other terms, every ? term is ignored", () => {
    // "the following filter pattern matches all events containing the word REQUEST, but the question mark ("?")
    // filter terms are ignored and have no effect."
    expectCases([
      ["?ERROR ?ARGUMENTS REQUEST", "[INFO] REQUEST FAILED", true],
      ["?ERROR ?ARGUMENTS REQUEST", "[WARN] UNAUTHORIZED REQUEST", true],
      ["?ERROR ?ARGUMENTS REQUEST", "[ERROR] 400 BAD REQUEST", true],
      // Has ERROR and ARGUMENTS but not REQUEST: the ? terms do not rescue it.
      ["?ERROR ?ARGUMENTS REQUEST", "[ERROR 419] MISSING ARGUMENTS", false],
    ]);
  });

  it("'Match exact phrases': a quoted phrase matches verbatim, spaces included", () => {
    expectCases([
      ['"INTERNAL SERVER ERROR"', "[ERROR 500] INTERNAL SERVER ERROR", true],
      ['"INTERNAL SERVER ERROR"', "[ERROR 500] SERVER ERROR INTERNAL", false],
      ['"INTERNAL SERVER ERROR"', "[ERROR 500] INTERNAL  SERVER ERROR", false],
    ]);
  });

  it("'Include and exclude terms': ERROR -ARGUMENTS", () => {
    expectCases([
      ["ERROR -ARGUMENTS", "[ERROR 400] BAD REQUEST", true],
      ["ERROR -ARGUMENTS", "[ERROR 401] UNAUTHORIZED REQUEST", true],
      ["ERROR -ARGUMENTS", "[ERROR 419] MISSING ARGUMENTS", false],
      ["ERROR -ARGUMENTS", "[ERROR 420] INVALID ARGUMENTS", false],
    ]);
  });

  it("'Match everything': a quoted blank matches every event, even one without a space", () => {
    const pattern = parseFilterPattern('" "');
    expect(pattern.kind).toBe("all");
    expect(["", "NoSpaceAtAll", "[INFO] REQUEST FAILED"].map((m) => pattern.matches(m))).toEqual([true, true, true]);
  });
});

describe("term patterns: the examples of the older AWS page (OLD)", () => {
  it("Example 1: the empty pattern matches all events", () => {
    expectCases([
      ["", "anything at all", true],
      ["", "", true],
      ['""', "anything at all", true],
    ]);
  });

  it("Example 2: ERROR matches inside a longer word (ERRORCODE)", () => {
    expectCases([
      ["ERROR", "[ERROR] A fatal exception has occurred", true],
      ["ERROR", "Exiting with ERRORCODE: -1", true],
    ]);
  });

  it('Example 3: "ERROR" - "Exiting" excludes the Exiting event, written with or without the space', () => {
    expectCases([
      ['"ERROR" - "Exiting"', "Exiting with ERRORCODE: -1", false],
      ['"ERROR" - "Exiting"', "[ERROR] A fatal exception has occurred", true],
      ["ERROR -Exiting", "Exiting with ERRORCODE: -1", false],
    ]);
  });

  it("Example 4: several terms must all occur, a term may be the tail of a word", () => {
    expectCases([
      ["ERROR Exception", "[ERROR] Caught IllegalArgumentException", true],
      ["ERROR Exception", "[ERROR] Unhandled Exception", true],
      ["ERROR Exception", "[ERROR] Unhandled failure", false],
      ['"Failed to process the request"', "[WARN] Failed to process the request", true],
      ['"Failed to process the request"', "[ERROR] Unable to continue: Failed to process the request", true],
    ]);
  });

  it("OR Pattern Matching: ERROR, ?ERROR ?WARN, ERROR WARN and ERROR -WARN on the three sample events", () => {
    const events = ["ERROR WARN message", "ERROR message", "WARN message"];
    const matching = (pattern: string) => events.filter((event) => parseFilterPattern(pattern).matches(event));
    expect(matching("ERROR")).toEqual(["ERROR WARN message", "ERROR message"]);
    expect(matching("?ERROR ?WARN")).toEqual(events);
    expect(matching("ERROR WARN")).toEqual(["ERROR WARN message"]);
    expect(matching("ERROR -WARN")).toEqual(["ERROR message"]);
  });
});

describe("term patterns: decisions and edge cases", () => {
  it("is case-sensitive ('Filter patterns are case sensitive')", () => {
    expectCases([
      ["ERROR", "error: disk full", false],
      ["Error", "ERROR: disk full", false],
      ['"Task timed out"', "task timed out after 3.00 seconds", false],
    ]);
  });

  it("a pattern of only - terms matches every event without them (Lightsail's filterPattern '-ERROR')", () => {
    expectCases([
      ["-ERROR", "INFO all good", true],
      ["-ERROR -WARN", "WARN disk 90% full", false],
      ["-ERROR -WARN", "DEBUG tick", true],
    ]);
  });

  it("? terms are ignored next to an exclusion too ('such as include and exclude terms')", () => {
    // ?ERROR -DEBUG behaves as -DEBUG: an INFO line with no ERROR at all matches.
    expectCases([
      ["?ERROR -DEBUG", "INFO started", true],
      ["?ERROR -DEBUG", "DEBUG ERROR both", false],
    ]);
  });

  it('quoted phrases carry non-alphanumerics and the \\" and \\\\ escapes', () => {
    expectCases([
      ['"ERROR:"', "ERROR: disk full", true],
      ['"ERROR:"', "ERROR disk full", false],
      ['"Task timed out"', "2024-05-01T12:00:02.000Z\tabc\tINFO\tTask timed out after 3.00 seconds", true],
      ['"say \\"hi\\""', 'then they say "hi" twice', true],
      ['"C:\\\\temp"', "cannot open C:\\temp", true],
    ]);
  });

  it("terms are separated by any run of whitespace, newlines included", () => {
    expectCases([
      ["ERROR \n\t  Exception", "ERROR Exception", true],
      ["  ERROR  ", "an ERROR", true],
    ]);
  });

  it("terms of digits and underscores need no quotes", () => {
    expectCases([
      ["ERR_CODE_42", "failed with ERR_CODE_42 again", true],
      ["500", "HTTP 500 Internal Server Error", true],
    ]);
  });

  it("a leading - is always the exclusion operator; a negative number must be quoted", () => {
    expectCases([
      ["-1", "Exiting with ERRORCODE: -1", false],
      ["-1", "Exiting with ERRORCODE: 0", true],
      ['"-1"', "Exiting with ERRORCODE: -1", true],
    ]);
  });

  it("reports kind 'terms', and 'all' when every term is a blank phrase", () => {
    expect(parseFilterPattern("ERROR -DEBUG").kind).toBe("terms");
    expect(parseFilterPattern('?" " ?ERROR').kind).toBe("all");
  });

  it("an excluded blank phrase excludes every event", () => {
    expect(parseFilterPattern('ERROR -" "').matches("ERROR here")).toBe(false);
  });
});
