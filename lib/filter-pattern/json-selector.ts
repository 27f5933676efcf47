import { Cursor, isPatternSpace } from "./cursor";

/**
 * JSON property selectors: `$.eventType`, `$.users[0].email`, `$.coordinates[0][1]`, the bracket notation for keys
 * with periods `$.['cluster.name']`, and the wildcard selectors `$.arrayKey[*]` and `$.*`.
 *
 * Source: FilterAndPatternSyntax.html, "Using filter patterns to match terms in JSON log events": selectors start
 * with "$."; property names are "alphanumeric strings that support hyphen and underscore"; array elements are
 * zero-based, in brackets, and must follow a property; "You can use the JSON wildcard to select any array element or
 * any JSON object field"; at most one wildcard per selector.
 *
 * Decisions: `[*]` and `.*` both select every element of an array and every value of an object. Bracket-notation
 * keys are quoted with ' or " and have no escapes. A selector through a missing key, a non-object or an index out of
 * range selects nothing.
 */

/** One step of a selector. */
export type SelectorStep =
  | { readonly kind: "key"; readonly key: string }
  | { readonly kind: "index"; readonly index: number }
  | { readonly kind: "any" };

const NAME_CHAR = /[A-Za-z0-9_-]/;
/** What may follow a selector in a pattern: space, an operator, a closing parenthesis or brace. */
const SELECTOR_FOLLOWERS = "=!<>()&|}";
const hasOwn = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

/** A compiled selector. */
export class JsonSelector {
  constructor(
    /** The selector as written in the pattern, used as the key of extracted values. */
    public readonly source: string,
    public readonly steps: readonly SelectorStep[]
  ) {}

  /** True when `predicate` holds for at least one selected value (with a wildcard, for any of them). */
  some(root: unknown, predicate: (value: unknown) => boolean): boolean {
    return this.visit(root, 0, predicate);
  }

  /** Walks the selected values from `steps[from]` on; stops and returns true as soon as `found` returns true. */
  private visit(value: unknown, from: number, found: (value: unknown) => boolean): boolean {
    let current = value;
    for (let i = from; i < this.steps.length; i++) {
      const step = this.steps[i];
      if (typeof current !== "object" || current === null) return false;
      if (step.kind === "key") {
        if (Array.isArray(current) || !hasOwn(current, step.key)) return false;
        current = (current as Record<string, unknown>)[step.key];
      } else if (step.kind === "index") {
        if (!Array.isArray(current) || step.index >= current.length) return false;
        current = current[step.index];
      } else {
        const children = Array.isArray(current) ? current : Object.values(current);
        return children.some((child) => this.visit(child, i + 1, found));
      }
    }
    return found(current);
  }
}

/** Reads a selector at the cursor, which must be on its `$`. */
export function readSelector(cursor: Cursor): JsonSelector {
  const start = cursor.pos;
  cursor.expect("$", "a property selector starting with '$.'");
  if (cursor.peek() !== ".") {
    throw cursor.error("a property selector starts with '$.' (array elements must follow a property)", start);
  }
  const steps: SelectorStep[] = [];
  let wildcardAt = -1;
  const addWildcard = (position: number) => {
    if (wildcardAt !== -1) throw cursor.error("only one wildcard selector is allowed in a property selector", position);
    wildcardAt = position;
    cursor.wildcardPositions.push(position);
    steps.push({ kind: "any" });
  };
  while (cursor.peek() === "." || cursor.peek() === "[") {
    const stepStart = cursor.pos;
    if (cursor.peek() === ".") {
      cursor.pos++;
      if (cursor.peek() === "*") {
        cursor.pos++;
        addWildcard(stepStart);
      } else if (cursor.peek() === "[") {
        cursor.pos++;
        steps.push({ kind: "key", key: readBracketKey(cursor, stepStart) });
      } else {
        steps.push({ kind: "key", key: readName(cursor) });
      }
    } else {
      if (steps.length === 0) throw cursor.error("array elements must follow a property", stepStart);
      cursor.pos++;
      const next = cursor.peek();
      if (next === "*") {
        cursor.pos++;
        cursor.expect("]", "']' after '[*'");
        addWildcard(stepStart);
      } else if (next === "'" || next === '"') {
        steps.push({ kind: "key", key: readBracketKey(cursor, stepStart) });
      } else {
        const digits = /^\d+/.exec(cursor.text.slice(cursor.pos, cursor.end));
        if (!digits)
          throw cursor.error(
            `expected an array index, '*' or a quoted key after '[' but found ${cursor.describeNext()}`
          );
        cursor.pos += digits[0].length;
        cursor.expect("]", "']' after the array index");
        steps.push({ kind: "index", index: Number(digits[0]) });
      }
    }
  }
  const follower = cursor.peek();
  if (follower !== undefined && !isPatternSpace(follower) && !SELECTOR_FOLLOWERS.includes(follower)) {
    throw cursor.error(
      `'${follower}' cannot appear in a property name (letters, digits, '-' and '_'); use bracket notation such ` +
        "as $.['name'] for other keys"
    );
  }
  return new JsonSelector(cursor.text.slice(start, cursor.pos), steps);
}

function readName(cursor: Cursor): string {
  const start = cursor.pos;
  while (!cursor.atEnd && NAME_CHAR.test(cursor.text[cursor.pos])) cursor.pos++;
  if (cursor.pos === start) {
    throw cursor.error(`expected a property name after '.' but found ${cursor.describeNext()}`);
  }
  return cursor.text.slice(start, cursor.pos);
}

/** Reads `'key']` or `"key"]` (the `[` already consumed). */
function readBracketKey(cursor: Cursor, stepStart: number): string {
  const quote = cursor.peek();
  if (quote !== "'" && quote !== '"') {
    throw cursor.error(`expected a quoted key after '[' but found ${cursor.describeNext()}`);
  }
  const close = cursor.text.indexOf(quote, cursor.pos + 1);
  if (close === -1 || close >= cursor.end) throw cursor.error("unterminated quoted key inside '[ ]'", stepStart);
  const key = cursor.text.slice(cursor.pos + 1, close);
  cursor.pos = close + 1;
  cursor.expect("]", "']' after the quoted key");
  return key;
}
