import { Cursor } from "./cursor";

/**
 * The boolean layer shared by JSON and space-delimited patterns: comparisons combined with `&&` and `||`, grouped
 * with parentheses, with the precedence AWS documents for JSON compound expressions: "() > && > ||"
 * (FilterAndPatternSyntax.html, "Using filter patterns to match terms in JSON log events").
 */
export type Predicate<T> = (input: T) => boolean;

/** Reads a condition at the cursor; `readComparison` reads one comparison of the pattern kind at hand. */
export function readCondition<T>(cursor: Cursor, readComparison: (cursor: Cursor) => Predicate<T>): Predicate<T> {
  const readOr = (): Predicate<T> => {
    const parts = [readAnd()];
    for (;;) {
      cursor.skipSpaces();
      if (cursor.lookingAt("||")) {
        cursor.pos += 2;
        parts.push(readAnd());
      } else if (cursor.lookingAt("|")) {
        throw cursor.error("'|' is not an operator; write '||' for OR");
      } else {
        return anyOf(parts);
      }
    }
  };
  const readAnd = (): Predicate<T> => {
    const parts = [readPrimary()];
    for (;;) {
      cursor.skipSpaces();
      if (cursor.lookingAt("&&")) {
        cursor.pos += 2;
        parts.push(readPrimary());
      } else if (cursor.lookingAt("&")) {
        throw cursor.error("'&' is not an operator; write '&&' for AND");
      } else {
        return allOf(parts);
      }
    }
  };
  const readPrimary = (): Predicate<T> => {
    cursor.skipSpaces();
    if (cursor.peek() !== "(") return readComparison(cursor);
    const open = cursor.pos++;
    const inner = readOr();
    cursor.skipSpaces();
    cursor.expect(")", `')' to close the '(' at position ${open}`);
    return inner;
  };
  return readOr();
}

function allOf<T>(parts: Predicate<T>[]): Predicate<T> {
  if (parts.length === 1) return parts[0];
  if (parts.length === 2) {
    const [first, second] = parts;
    return (input) => first(input) && second(input);
  }
  return (input) => parts.every((part) => part(input));
}

function anyOf<T>(parts: Predicate<T>[]): Predicate<T> {
  if (parts.length === 1) return parts[0];
  if (parts.length === 2) {
    const [first, second] = parts;
    return (input) => first(input) || second(input);
  }
  return (input) => parts.some((part) => part(input));
}
