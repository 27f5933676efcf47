import { Cursor } from "./cursor";

/**
 * The `%...%` regular-expression dialect of filter patterns, validated against AWS's list of what it supports and
 * translated to a JavaScript RegExp.
 *
 * Source: "Supported regular expressions (regex) syntax" on
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html (and regex-expressions.html):
 * only letters, digits, the symbols `: _ # = @ / ; , -` and the operators `^ $ ? [ ] { } | \ * + .`; no `(` `)`;
 * no multi-byte characters; escapes `\d \D \s \S \w \W \xhh` and `\` before an operator.
 *
 * Decisions where the page is silent or inconsistent:
 * - A space is allowed: the page's own example `%^starting|^initializing|^shutting down%` contains one.
 * - `\` may escape any supported symbol or operator (`\.`, `\[`, `\-`...); any other escape (`\t`, `\n`, `\b`,
 *   `\(`) is rejected, because the page offers `\xhh` for characters outside the list ("`%\x28%` matches `(`").
 * - `{m, n}` may contain spaces and omit either bound ("Either m or n can be omitted"); it is rewritten to the
 *   JavaScript form, where `{,n}` and `{m, n}` would otherwise silently mean literal text.
 * - A `%` ends the regex; a literal percent sign is written `\x25`.
 * - The regex searches anywhere in the text (`%AUTHORIZED%` matches "UNAUTHORIZED REQUEST"); `^`/`$` anchor to the
 *   start/end of the whole text, not of lines.
 */

const SYMBOLS = ":_#=@/;,- ";
const OPERATORS = "^$?[]{}|\\*+.";
const CLASS_ESCAPES = "dDsSwW";
const SUPPORTED_LIST =
  "letters, digits, the symbols : _ # = @ / ; , - and space, and the operators ^ $ ? [ ] { } | \\ * + .";

function isAlphanumeric(char: string): boolean {
  return (char >= "a" && char <= "z") || (char >= "A" && char <= "Z") || (char >= "0" && char <= "9");
}

function isHexDigit(char: string | undefined): boolean {
  return char !== undefined && /^[0-9a-fA-F]$/.test(char);
}

/**
 * Reads a `%...%` regex at the cursor (which must be on the opening `%`), records it for the per-pattern quota and
 * returns the compiled RegExp. Throws FilterPatternError for anything outside the supported dialect.
 */
export function readRegex(cursor: Cursor): RegExp {
  const open = cursor.pos;
  const close = cursor.text.indexOf("%", open + 1);
  if (close === -1 || close >= cursor.end) throw cursor.error("unterminated regular expression: no closing '%'", open);
  if (close === open + 1) throw cursor.error("empty regular expression '%%'", open);
  const source = translate(cursor, open + 1, close);
  let regex: RegExp;
  try {
    regex = new RegExp(source);
  } catch (error) {
    // V8's message repeats the source ("Invalid regular expression: /a{5,3}/: ..."); keep only what is wrong.
    const detail = (error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, "");
    throw cursor.error(`invalid regular expression: ${detail}`, open);
  }
  cursor.regexPositions.push(open);
  cursor.pos = close + 1;
  return regex;
}

/** Validates text[from, to) and returns its JavaScript spelling. */
function translate(cursor: Cursor, from: number, to: number): string {
  const text = cursor.text;
  let out = "";
  let i = from;
  while (i < to) {
    const char = text[i];
    if (char === "\\") {
      const escape = readEscape(cursor, i, to);
      out += escape;
      i += escape.length;
    } else if (char === "[") {
      const end = findClassEnd(cursor, i, to);
      out += translateClass(cursor, i, end);
      i = end + 1;
    } else if (char === "{") {
      const quantifier = /^\{[ ]*(\d*)[ ]*(?:(,)[ ]*(\d*)[ ]*)?\}/.exec(text.slice(i, to));
      if (!quantifier || (quantifier[1] === "" && (quantifier[2] === undefined || quantifier[3] === ""))) {
        throw cursor.error("'{' must start a repetition such as {3}, {3,5}, {3,} or {,5}", i);
      }
      const [whole, min, comma, max] = quantifier;
      out += comma === undefined ? `{${min}}` : `{${min === "" ? "0" : min},${max ?? ""}}`;
      i += whole.length;
    } else if (char === "}" || char === "]") {
      throw cursor.error(`unmatched '${char}' in regular expression`, i);
    } else {
      checkSupported(cursor, char, i);
      out += char;
      i++;
    }
  }
  return out;
}

/** Reads the escape at text[at] (a backslash) and returns it verbatim, or throws if it is not supported. */
function readEscape(cursor: Cursor, at: number, to: number): string {
  const next = at + 1 < to ? cursor.text[at + 1] : undefined;
  if (next === undefined) throw cursor.error("a regular expression cannot end with '\\'", at);
  if (CLASS_ESCAPES.includes(next)) return `\\${next}`;
  if (next === "x") {
    const hex = cursor.text.slice(at + 2, Math.min(at + 4, to));
    if (hex.length !== 2 || !isHexDigit(hex[0]) || !isHexDigit(hex[1])) {
      throw cursor.error("'\\x' must be followed by two hexadecimal digits, as in \\x28", at);
    }
    return `\\x${hex}`;
  }
  if (SYMBOLS.includes(next) || OPERATORS.includes(next)) return `\\${next}`;
  throw cursor.error(
    `unsupported escape '\\${next}' in regular expression; supported are \\d \\D \\s \\S \\w \\W \\xhh and ` +
      "'\\' before an operator",
    at
  );
}

/** Finds the `]` closing the character class opened at text[open]. */
function findClassEnd(cursor: Cursor, open: number, to: number): number {
  for (let i = open + 1; i < to; i++) {
    if (cursor.text[i] === "\\") i++;
    else if (cursor.text[i] === "]") return i;
  }
  throw cursor.error("unterminated character class: no closing ']'", open);
}

/** Validates and returns the character class text[open..close]. */
function translateClass(cursor: Cursor, open: number, close: number): string {
  let out = "[";
  let i = open + 1;
  while (i < close) {
    const char = cursor.text[i];
    if (char === "\\") {
      const escape = readEscape(cursor, i, close);
      out += escape;
      i += escape.length;
    } else {
      checkSupported(cursor, char, i);
      out += char;
      i++;
    }
  }
  return `${out}]`;
}

function checkSupported(cursor: Cursor, char: string, at: number): void {
  if (isAlphanumeric(char) || SYMBOLS.includes(char) || OPERATORS.includes(char)) return;
  if (char === "(" || char === ")") {
    throw cursor.error(
      `'${char}' is not supported in regular expressions (no subpatterns); match a literal parenthesis with ` +
        `${char === "(" ? "\\x28" : "\\x29"}`,
      at
    );
  }
  if (char.charCodeAt(0) > 0x7f)
    throw cursor.error("multi-byte characters are not supported in regular expressions", at);
  throw cursor.error(
    `'${char}' is not supported in regular expressions; supported are ${SUPPORTED_LIST} (use \\xhh for others)`,
    at
  );
}
