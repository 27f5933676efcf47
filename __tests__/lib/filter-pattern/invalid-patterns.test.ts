import { FilterPatternError, MAX_PATTERN_LENGTH, parseFilterPattern } from "../../../lib/filter-pattern";

/**
 * Patterns CloudWatch Logs rejects ("Invalid filter pattern") must fail here too, with the reason and the 0-based
 * position of the offending character. The grammar is that of
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html; the regex dialect's
 * rejections are in regex.test.ts.
 */

/** The FilterPatternError that parsing `pattern` throws. */
function thrownBy(pattern: string): FilterPatternError {
  try {
    parseFilterPattern(pattern);
  } catch (error) {
    if (error instanceof FilterPatternError) return error;
    throw error;
  }
  throw new Error(`pattern ${JSON.stringify(pattern)} was accepted`);
}

function rejection(pattern: string): { reason: string; position: number } {
  const { reason, position } = thrownBy(pattern);
  return { reason, position };
}

const OPERATORS = "the operators are =, !=, <, <=, >, >=";
const UNQUOTED_VALUE = "enclose values with characters other than letters, digits and _ . * + - in double quotes";

describe("invalid JSON patterns", () => {
  it.each([
    // Unbalanced braces, parentheses and quotes.
    ["{ $.a = 1", 0, "unterminated JSON pattern: no closing '}'"],
    ["{ $.a = 1 }}", 11, "unexpected text after the closing '}' of the JSON pattern"],
    ["{ ($.a = 1 }", 11, "expected ')' to close the '(' at position 2 but found '}'"],
    ["{ $.a = 1) }", 9, "expected '&&', '||' or '}' but found ')'"],
    ['{ $.a = "x }', 8, "unterminated quoted string: no closing '\"'"],
    ["{ $.['a = 1 }", 3, "unterminated quoted key inside '[ ]'"],
    // Empty pattern and empty or malformed selectors.
    ["{ }", 0, 'empty JSON pattern; write a condition such as { $.level = "ERROR" }'],
    ["{ $. = 1 }", 4, "expected a property name after '.' but found ' '"],
    ["{ $ = 1 }", 2, "a property selector starts with '$.' (array elements must follow a property)"],
    ["{ $[0] = 1 }", 2, "a property selector starts with '$.' (array elements must follow a property)"],
    ["{ a = 1 }", 2, "expected a property selector starting with '$.' but found 'a'"],
    ["{ $.a[x] = 1 }", 6, "expected an array index, '*' or a quoted key after '[' but found 'x'"],
    [
      "{ $.a@b = 1 }",
      5,
      "'@' cannot appear in a property name (letters, digits, '-' and '_'); use bracket notation such as $.['name'] " +
        "for other keys",
    ],
    // Operators.
    ["{ $.a }", 6, "expected a comparison operator (=, !=, <, <=, >, >=) but found '}'"],
    ["{ $.a == 1 }", 6, `unknown operator '=='; ${OPERATORS}`],
    ["{ $.a => 1 }", 6, `unknown operator '=>'; ${OPERATORS}`],
    ["{ $.a <> 1 }", 6, `unknown operator '<>'; ${OPERATORS}`],
    ["{ $.a ! 1 }", 6, "expected a comparison operator (=, !=, <, <=, >, >=) but found '!'"],
    ["{ $.a > abc }", 8, "'>' compares numbers, but this value is not a number"],
    ['{ $.a > "5" }', 8, "'>' compares numbers, but this value is not a number"],
    ["{ $.a = 1 & $.b = 2 }", 10, "'&' is not an operator; write '&&' for AND"],
    ["{ $.a = 1 | $.b = 2 }", 10, "'|' is not an operator; write '||' for OR"],
    ["{ $.a = 1 $.b = 2 }", 10, "expected '&&', '||' or '}' but found '$'"],
    // Keywords: "The variables IS NOT and EXISTS currently aren't supported."
    ["{ $.a IS NOT NULL }", 6, "IS NOT is not supported by CloudWatch Logs filter patterns"],
    ["{ $.a EXISTS }", 6, "EXISTS is not supported by CloudWatch Logs filter patterns (only NOT EXISTS is)"],
    ["{ $.a IS MISSING }", 9, "expected NULL, TRUE or FALSE after IS but found 'MISSING'"],
    ["{ $.a NOT NULL }", 6, "expected EXISTS after NOT"],
    ["{ $.a LIKE 1 }", 6, "expected a comparison operator, IS or NOT EXISTS but found 'LIKE'"],
    // Values.
    ["{ $.a = }", 8, "expected a value but found '}'"],
    ["{ $.a = x@y }", 9, `unexpected '@' in an unquoted value; ${UNQUOTED_VALUE}`],
    // Wildcard quotas: one per selector, three per pattern.
    ["{ $.a[*][*] = 1 }", 8, "only one wildcard selector is allowed in a property selector"],
    [
      "{ $.a[*] = 1 && $.* = 2 && $.b[*] = 3 && $.c[*] = 4 }",
      44,
      "a JSON pattern can contain at most 3 wildcard selectors",
    ],
  ])("rejects %j at position %d", (pattern, position, reason) => {
    expect(rejection(pattern)).toEqual({ reason, position });
  });

  it("accepts three wildcard selectors in one pattern", () => {
    expect(parseFilterPattern("{ $.a[*] = 1 && $.* = 2 && $.b[*] = 3 }").kind).toBe("json");
  });
});

describe("invalid space-delimited patterns", () => {
  it.each([
    ["[a, b", 0, "unterminated space-delimited pattern: no closing ']'"],
    ["[a, b] x", 7, "unexpected text after the closing ']' of the space-delimited pattern"],
    ["[]", 0, "empty space-delimited pattern; name the fields, as in [ip, user, ..., status_code, bytes]"],
    ["[a, a]", 4, "field name 'a' is used twice"],
    ["[..., ...]", 6, "a pattern can contain only one ellipsis '...'"],
    ["[a, \u2026]", 4, "write the ellipsis as three periods '...'"],
    ["[1, 2]", 1, "field name '1' is only digits, which would shadow the positional field $1"],
    // AWS rejects this example of its own old page (awsdocs/amazon-cloudwatch-logs-user-guide#21).
    [
      "[ip, user, username, timestamp, request, status_code = 4* && bytes > 1000]",
      61,
      "this condition tests 'bytes' but belongs to the field 'status_code'; a field's condition can only test that " +
        "field (give each field its own comma-separated entry)",
    ],
    ["[a b]", 3, "expected a comparison operator (=, !=, <, <=, >, >=) but found 'b'"],
    ["[a = , b]", 5, "expected a value but found ','"],
    ["[=1, b]", 1, "expected a field name but found '='"],
    ["[a == 1, b]", 3, `unknown operator '=='; ${OPERATORS}`],
    ["[a > x, b]", 5, "'>' compares numbers, but this value is not a number"],
    ["[a = 1; b]", 6, `unexpected ';' in an unquoted value; ${UNQUOTED_VALUE}`],
    ['[a = "x, b]', 5, "unterminated quoted string: no closing '\"'"],
  ])("rejects %j at position %d", (pattern, position, reason) => {
    expect(rejection(pattern)).toEqual({ reason, position });
  });
});

describe("invalid term patterns", () => {
  const QUOTE_HINT = "enclose terms with characters other than letters, digits and underscores in double quotes";

  it.each([
    ['"unterminated', 0, "unterminated quoted string: no closing '\"'"],
    ['ERROR "no end', 6, "unterminated quoted string: no closing '\"'"],
    ["ERROR:", 5, `':' cannot appear in an unquoted term; ${QUOTE_HINT}`],
    ["Task.timed", 4, `'.' cannot appear in an unquoted term; ${QUOTE_HINT}`],
    ["Gr\u00f6\u00dfe", 2, `'\u00f6' cannot appear in an unquoted term; ${QUOTE_HINT}`],
    ['ERROR "x"y', 9, "expected a space after the quoted phrase but found 'y'"],
    ["-", 0, "'-' must be followed by a term"],
    ["ERROR ?", 6, "'?' must be followed by a term"],
    ["--x", 1, "a term can have only one '-' or '?' prefix"],
    ["? ?x", 2, "a term can have only one '-' or '?' prefix"],
    ["ERROR {", 6, "a JSON pattern {...} must be the whole filter pattern; it cannot be combined with terms"],
    [
      "ERROR [a]",
      6,
      "a space-delimited pattern [...] must be the whole filter pattern; it cannot be combined with terms",
    ],
  ])("rejects %j at position %d", (pattern, position, reason) => {
    expect(rejection(pattern)).toEqual({ reason, position });
  });
});

describe("FilterPatternError", () => {
  it("says what is wrong, where (0-based), and shows the pattern with a caret", () => {
    // Act
    const error = thrownBy("ERROR:");
    // Assess
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: "FilterPatternError", pattern: "ERROR:", position: 5 });
    expect(error.message).toBe(
      "':' cannot appear in an unquoted term; enclose terms with characters other than letters, digits and " +
        "underscores in double quotes at position 5 (0-based)\n" +
        "  ERROR:\n" +
        "       ^"
    );
  });

  it("shortens long patterns around the position and keeps the caret aligned over tabs and newlines", () => {
    const pattern = `${"a".repeat(60)}\t"${"b".repeat(60)}`;
    const error = thrownBy(pattern);
    expect(error.position).toBe(61);
    expect(error.message.split("\n").slice(1)).toEqual([
      `  ...${"a".repeat(39)} "${"b".repeat(39)}...`,
      `     ${" ".repeat(40)}^`,
    ]);
  });

  it(`rejects patterns longer than ${MAX_PATTERN_LENGTH} characters, the API's limit`, () => {
    expect(parseFilterPattern("a".repeat(MAX_PATTERN_LENGTH)).kind).toBe("terms");
    expect(rejection("a".repeat(MAX_PATTERN_LENGTH + 1))).toEqual({
      reason: "the pattern is 1025 characters long; CloudWatch Logs accepts at most 1024",
      position: 1024,
    });
  });
});
