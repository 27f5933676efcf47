import { FilterPatternError, parseFilterPattern } from "../../../lib/filter-pattern";

/**
 * The `%regex%` dialect.
 *
 * REGEX: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/regex-expressions.html, and the same list in
 *        https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html, "Supported regular
 *        expressions (regex) syntax" and "Using filter patterns to match terms with a regular expression (regex)".
 */

type Case = readonly [pattern: string, message: string, expected: boolean];

function expectCases(cases: readonly Case[]): void {
  for (const [pattern, message, expected] of cases) {
    const matched = parseFilterPattern(pattern).matches(message);
    expect({ pattern, message, matched }).toEqual({ pattern, message, matched: expected });
  }
}

function rejection(pattern: string): { reason: string; position: number } {
  try {
    parseFilterPattern(pattern);
  } catch (error) {
    if (error instanceof FilterPatternError) return { reason: error.reason, position: error.position };
    throw error;
  }
  throw new Error(`pattern ${JSON.stringify(pattern)} was accepted`);
}

describe("regex patterns: the examples of the AWS pages (REGEX)", () => {
  it("%AUTHORIZED% finds the keyword anywhere, inside UNAUTHORIZED too", () => {
    expect(parseFilterPattern("%AUTHORIZED%").kind).toBe("regex");
    expectCases([
      ["%AUTHORIZED%", "[ERROR 401] UNAUTHORIZED REQUEST", true],
      ["%AUTHORIZED%", "[SUCCESS 200] AUTHORIZED REQUEST", true],
      ["%AUTHORIZED%", "[SUCCESS 200] authorized request", false],
    ]);
  });

  it("the introduction's IP address and error/fail examples", () => {
    expectCases([
      ["%\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}%", "client 10.0.12.7 connected", true],
      ["%\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}%", "client 10.0.12 connected", false],
      ["%[Ee]rror|[Ff]ail%", "an error occurred", true],
      ["%[Ee]rror|[Ff]ail%", "Failed twice", true],
      ["%[Ee]rror|[Ff]ail%", "ERROR and FAIL", false],
    ]);
  });

  it("^ and $ anchor to the start and end of the event", () => {
    expectCases([
      ["%^[hc]at%", "hat trick", true],
      ["%^[hc]at%", "cat nap", true],
      ["%^[hc]at%", "the cat", false],
      ["%[hc]at$%", "the hat", true],
      ["%[hc]at$%", "cat nap", false],
    ]);
  });

  it("? * + . and character classes, with the page's examples", () => {
    expectCases([
      ["%colou?r%", "color", true],
      ["%colou?r%", "colour", true],
      ["%colou?r%", "colouur", false],
      ["%[abc]%", "b", true],
      ["%[a-z]%", "q", true],
      ["%[a-z]%", "Q", false],
      ["%[abcx-z]%", "y", true],
      ["%[abcx-z]%", "w", false],
      ["%ab*c%", "ac", true],
      ["%ab*c%", "abbbc", true],
      ["%ab[0-9]*%", "ab129", true],
      ["%ab+c%", "abbc", true],
      ["%ab+c%", "ac", false],
      ["%.at%", "hat", true],
      ["%.at%", "4at", true],
      ["%.at%", "#at", true],
      ["%.at%", " at", true],
      ["%.at%", "at", false],
    ]);
  });

  it("{m, n} repeats, with either bound omitted and spaces allowed", () => {
    expectCases([
      ["%a{3,5}%", "aaa", true],
      ["%a{3,5}%", "aaaaa", true],
      ["%a{3,5}%", "aa", false],
      ["%^a{3}$%", "aaa", true],
      ["%^a{3}$%", "aaaa", false],
      ["%^a{3,}$%", "aaaaaa", true],
      ["%^a{3,}$%", "aa", false],
      ["%^xa{,2}y$%", "xy", true],
      ["%^xa{,2}y$%", "xaay", true],
      ["%^xa{,2}y$%", "xaaay", false],
      ["%^a{2, 3}$%", "aaa", true],
      ["%^a{2, 3}$%", "a", false],
    ]);
  });

  it("| alternatives, as in the page's examples", () => {
    expectCases([
      ["%gra|ey%", "gray", true],
      ["%gra|ey%", "grey", true],
      ["%gra|ey%", "green", false],
      ["%^starting|^initializing|^shutting down%", "starting the service", true],
      ["%^starting|^initializing|^shutting down%", "initializing cache", true],
      ["%^starting|^initializing|^shutting down%", "shutting down", true],
      ["%^starting|^initializing|^shutting down%", "skipping initializing cache", false],
      ["%abcc|ab[^c]$%", "abcc", true],
      ["%abcc|ab[^c]$%", "aba", true],
      ["%abcc|ab[^c]$%", "aac", false],
    ]);
  });

  it("\\ escapes an operator: %\\[.\\]% and the IP address note", () => {
    expectCases([
      ["%\\[.\\]%", "[a]", true],
      ["%\\[.\\]%", "[7]", true],
      ["%\\[.\\]%", "[@]", true],
      ["%\\[.\\]%", "[]]", true],
      ["%\\[.\\]%", "[ ]", true],
      ["%\\[.\\]%", "[ab]", false],
      ["%10\\.10\\.0\\.1%", "host 10.10.0.1 up", true],
      ["%10\\.10\\.0\\.1%", "10010,051", false],
      // "%10.10.0.1% can match "10010,051" which might not be the actual intended purpose of the expression."
      ["%10.10.0.1%", "10010,051", true],
    ]);
  });

  it("\\d \\D \\s \\S \\w \\W and \\xhh", () => {
    expectCases([
      ["%^\\d$%", "7", true],
      ["%^\\d$%", "x", false],
      ["%^\\D$%", "x", true],
      ["%a\\sb%", "a\tb", true],
      ["%a\\sb%", "a b", true],
      ["%a\\sb%", "a\nb", true],
      ["%a\\Sb%", "a b", false],
      ["%^\\w+$%", "snake_case_42", true],
      ["%^\\w+$%", "kebab-case", false],
      ["%\\W%", "kebab-case", true],
      ["%\\x3A%", "key: value", true],
      ["%\\x28%", "f(x)", true],
      ["%\\x28%", "fx", false],
    ]);
  });

  it("a regex can be one of the values of a JSON or space-delimited pattern", () => {
    expectCases([
      ["{ $.eventType = %Trail% }", '{"eventType": "UpdateTrail"}', true],
      ["{ $.eventType != %Trail% }", '{"eventType": "UpdateTrail"}', false],
      ["[w1=%^ERR%, w2]", "ERROR oops", true],
    ]);
  });
});

describe("regex patterns: what the dialect rejects", () => {
  const SUPPORTED =
    "supported are letters, digits, the symbols : _ # = @ / ; , - and space, and the operators ^ $ ? [ ] { } | \\ * + . " +
    "(use \\xhh for others)";
  const ESCAPES = "supported are \\d \\D \\s \\S \\w \\W \\xhh and '\\' before an operator";
  const REPETITION = "'{' must start a repetition such as {3}, {3,5}, {3,} or {,5}";

  it.each([
    // "%something!% would be rejected since '!' is not supported."
    ["%something!%", 10, `'!' is not supported in regular expressions; ${SUPPORTED}`],
    [
      "%(alpha|beta)%",
      1,
      "'(' is not supported in regular expressions (no subpatterns); match a literal parenthesis with \\x28",
    ],
    [
      "%alpha)%",
      6,
      "')' is not supported in regular expressions (no subpatterns); match a literal parenthesis with \\x29",
    ],
    ["%caf\u00e9%", 4, "multi-byte characters are not supported in regular expressions"],
    ["%a\\tb%", 2, `unsupported escape '\\t' in regular expression; ${ESCAPES}`],
    ["%a\\(b%", 2, `unsupported escape '\\(' in regular expression; ${ESCAPES}`],
    ["%a\\x4%", 2, "'\\x' must be followed by two hexadecimal digits, as in \\x28"],
    ["%a\\%", 2, "a regular expression cannot end with '\\'"],
    ["%a{x}%", 2, REPETITION],
    ["%a{,}%", 2, REPETITION],
    ["%a}%", 2, "unmatched '}' in regular expression"],
    ["%a]%", 2, "unmatched ']' in regular expression"],
    ["%[abc%", 1, "unterminated character class: no closing ']'"],
    ["%abc", 0, "unterminated regular expression: no closing '%'"],
    ["%%", 0, "empty regular expression '%%'"],
    // The detail of these two comes from the JavaScript engine.
    ["%*a%", 0, "invalid regular expression: Nothing to repeat"],
    ["%a{5,3}%", 0, "invalid regular expression: numbers out of order in {} quantifier"],
    ["%ERROR% WARN", 8, "unexpected text after the regular expression; a %regex% must be the whole filter pattern"],
    ["ERROR %WARN%", 6, "a %regex% must be the whole filter pattern; it cannot be combined with terms"],
  ])("rejects %j at position %d", (pattern, position, reason) => {
    expect(rejection(pattern)).toEqual({ reason, position });
  });

  it("allows at most 2 regexes in a JSON or space-delimited pattern (the page's quota)", () => {
    expect(parseFilterPattern("{ $.a = %x% && $.b = %y% }").kind).toBe("json");
    expect(rejection("{ $.a = %x% && $.b = %y% && $.c = %z% }")).toEqual({
      reason: "a JSON pattern can contain at most 2 regular expressions",
      position: 34,
    });
    expect(rejection("[a=%x%, b=%y%, c=%z%]")).toEqual({
      reason: "a space-delimited pattern can contain at most 2 regular expressions",
      position: 17,
    });
    // A percent sign inside a quoted value is text, not a regex.
    expect(parseFilterPattern('{ $.a = %x% && $.b = %y% && $.c = "50%" }').matches('{"a":"x","b":"y","c":"50%"}')).toBe(
      true
    );
  });
});
