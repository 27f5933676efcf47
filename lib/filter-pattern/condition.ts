import { Cursor } from "./cursor";

/**
 * The boolean layer shared by JSON and space-delimited patterns: comparisons combined with `&&` and `||`, grouped
 * with parentheses, with the precedence AWS documents for JSON compound expressions: "() > && > ||"
 * (FilterAndPatternSyntax.html, "Using filter patterns to match terms in JSON log events").
 */
export type Predicate<T> = (input: T) => boolean;

/** Reads a condition at the cursor; `readComparison` reads one comparison of the pattern kind at hand. */
export function readCondition<T>(cursor: Cursor, readComparison: (cursor: Cursor) => Predicate<T>): Predicate<T> {
  // `a || b || ...` of ANDs and `a && b && ...` of primaries: the same loop, with its operator and how it joins.
  const readJoined = (operator: "||" | "&&", name: string, readOperand: () => Predicate<T>, join: (parts: Predicate<T>[]) => Predicate<T>): Predicate<T> => {
    const parts = [readOperand()];
    const single = operator.charAt(0);
    for (;;) {
      cursor.skipSpaces();
      if (cursor.lookingAt(operator)) {
        cursor.pos += operator.length;
        parts.push(readOperand());
      } else if (cursor.lookingAt(single)) {
        throw cursor.error(`'${single}' is not an operator; write '${operator}' for ${name}`);
      } else {
        return join(parts);
      }
    }
  };
  const readOr = (): Predicate<T> => readJoined("||", "OR", readAnd, anyOf);
  const readAnd = (): Predicate<T> => readJoined("&&", "AND", readPrimary, allOf);
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
