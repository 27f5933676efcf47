import { Cursor, isPatternSpace } from "./cursor";
import { readRegex } from "./regex";
import { compileTextMatcher } from "./text-matcher";

/**
 * One comparison of a JSON or space-delimited pattern: an operator and a value (`= "UpdateTrail"`, `>= 500`,
 * `!= 123.123.*`, `= %Trail%`), shared by both pattern kinds because AWS documents the same operators and values
 * for both.
 *
 * Semantics, for a value that is a string or a number (JSON numbers, JSON strings, and space-delimited fields, which
 * are always strings):
 * - A number literal (`400`, `-1.5`, `+1000`, `10e-3`) compares numerically with a number, or with a string that is
 *   entirely a plain decimal number (`"404"`, `"1.5"`). Strings in scientific notation are not read as numbers
 *   ("Strings don't support scientific notation"). A value that is not a number is unequal to every number, so
 *   `!= 500` holds for it and `<`, `<=`, `>`, `>=` do not.
 * - Any other literal (quoted, unquoted, with `*` wildcards) compares as text with the string, or with the number
 *   written in decimal (`= 4*` matches the JSON number 404).
 * - A `%regex%` literal searches the text.
 * - `!=` is the negation of `=` for a value that exists; whether a missing value matches is the caller's decision.
 */

/** The comparison operators of JSON and space-delimited patterns. */
export type ComparisonOperator = "=" | "!=" | "<" | "<=" | ">" | ">=";

/** The value side of a comparison, as parsed. */
export type ValueLiteral =
  | { readonly kind: "number"; readonly value: number; readonly position: number }
  | { readonly kind: "text"; readonly text: string; readonly position: number }
  | { readonly kind: "regex"; readonly regex: RegExp; readonly position: number };

/** A compiled comparison: true when the value satisfies it. */
export type ValueComparison = (value: string | number) => boolean;

/** Characters that may appear in an unquoted value; anything else needs double quotes. */
const BARE_VALUE_CHAR = /[A-Za-z0-9_.*+-]/;
const NUMBER_LITERAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const PLAIN_DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** Reads a string as a number when it is entirely a plain decimal number, as fields and JSON strings are read. */
export function plainDecimal(text: string): number | undefined {
  return PLAIN_DECIMAL.test(text) ? Number(text) : undefined;
}

/** Reads a comparison operator at the cursor, rejecting near-misses such as `==`, `=>`, `<>` and `!`. */
export function readOperator(cursor: Cursor): ComparisonOperator {
  const start = cursor.pos;
  let operator: ComparisonOperator;
  if (cursor.lookingAt("!=")) operator = "!=";
  else if (cursor.lookingAt("<=")) operator = "<=";
  else if (cursor.lookingAt(">=")) operator = ">=";
  else if (cursor.lookingAt("=")) operator = "=";
  else if (cursor.lookingAt("<")) operator = "<";
  else if (cursor.lookingAt(">")) operator = ">";
  else throw cursor.error(`expected a comparison operator (=, !=, <, <=, >, >=) but found ${cursor.describeNext()}`);
  cursor.pos += operator.length;
  const next = cursor.peek();
  if (next === "=" || next === "<" || next === ">" || next === "!") {
    throw cursor.error(`unknown operator '${operator}${next}'; the operators are =, !=, <, <=, >, >=`, start);
  }
  return operator;
}

/**
 * Reads a value at the cursor: a double-quoted string (with `\"` and `\\` escapes, as the AWS CDK writes them), a
 * `%regex%`, or an unquoted run of letters, digits and `_ . * + -`. An unquoted value ends at whitespace or at one
 * of `terminators`; any other character is rejected with a hint to quote the value.
 */
export function readValueLiteral(cursor: Cursor, terminators: string): ValueLiteral {
  const position = cursor.pos;
  const first = cursor.peek();
  if (first === '"') return { kind: "text", text: readQuoted(cursor), position };
  if (first === "%") return { kind: "regex", regex: readRegex(cursor), position };
  while (!cursor.atEnd && BARE_VALUE_CHAR.test(cursor.text[cursor.pos])) cursor.pos++;
  const text = cursor.text.slice(position, cursor.pos);
  const next = cursor.peek();
  if (next !== undefined && !isPatternSpace(next) && !terminators.includes(next)) {
    throw cursor.error(
      `unexpected '${next}' in an unquoted value; enclose values with characters other than letters, digits and ` +
        `_ . * + - in double quotes`
    );
  }
  if (text === "") throw cursor.error(`expected a value but found ${cursor.describeNext()}`);
  if (NUMBER_LITERAL.test(text)) return { kind: "number", value: Number(text), position };
  return { kind: "text", text, position };
}

/** Reads a double-quoted string at the cursor and returns its content. */
export function readQuoted(cursor: Cursor): string {
  const open = cursor.pos;
  let content = "";
  let i = open + 1;
  while (i < cursor.end) {
    const char = cursor.text[i];
    if (char === '"') {
      cursor.pos = i + 1;
      return content;
    }
    if (char === "\\" && (cursor.text[i + 1] === '"' || cursor.text[i + 1] === "\\") && i + 1 < cursor.end) {
      content += cursor.text[i + 1];
      i += 2;
    } else {
      content += char;
      i++;
    }
  }
  throw cursor.error("unterminated quoted string: no closing '\"'", open);
}

/** Compiles an operator and a literal; relational operators need a number literal. */
export function compileComparison(
  cursor: Cursor,
  operator: ComparisonOperator,
  literal: ValueLiteral
): ValueComparison {
  if (literal.kind === "number") return compileNumeric(operator, literal.value);
  if (operator !== "=" && operator !== "!=") {
    throw cursor.error(`'${operator}' compares numbers, but this value is not a number`, literal.position);
  }
  const test = literal.kind === "regex" ? (text: string) => literal.regex.test(text) : compileTextMatcher(literal.text);
  if (operator === "=") return (value) => test(typeof value === "number" ? String(value) : value);
  return (value) => !test(typeof value === "number" ? String(value) : value);
}

function compileNumeric(operator: ComparisonOperator, expected: number): ValueComparison {
  // A value that is not a number yields undefined, which fails every relation and equals no number.
  const numeric = (value: string | number) => (typeof value === "number" ? value : plainDecimal(value));
  switch (operator) {
    case "=":
      return (value) => numeric(value) === expected;
    case "!=":
      return (value) => numeric(value) !== expected;
    case "<":
      return (value) => (numeric(value) ?? NaN) < expected;
    case "<=":
      return (value) => (numeric(value) ?? NaN) <= expected;
    case ">":
      return (value) => (numeric(value) ?? NaN) > expected;
    case ">=":
      return (value) => (numeric(value) ?? NaN) >= expected;
  }
}
