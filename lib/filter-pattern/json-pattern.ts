import { compileComparison, readOperator, readValueLiteral } from "./comparison";
import { readCondition, type Predicate } from "./condition";
import { Cursor } from "./cursor";
import { JsonSelector, readSelector } from "./json-selector";
import type { ExtractedValue, FieldReference, PatternEngine } from "./types";

/**
 * JSON patterns: `{ $.eventType = "UpdateTrail" && ($.latency > 500 || $.error IS TRUE) }`.
 *
 * Source: FilterAndPatternSyntax.html, "Using filter patterns to match terms in JSON log events" (and, for the
 * examples it no longer carries, the older FilterAndPatternSyntax.md).
 *
 * Semantics and the decisions behind them:
 * - The whole message must be a JSON object; anything else (plain text, a JSON array, a Lambda text line with JSON
 *   after its tab-separated prefix) matches no JSON pattern, not even `NOT EXISTS`.
 * - Comparisons apply to value nodes only, strings and numbers: "If a property selector points to an array or object,
 *   the filter pattern won't match the log format", and the old page: both `{$.users = 1}` and `{$.users != 1}` fail
 *   when users is an array. Booleans and null are not value nodes either; `IS TRUE`, `IS FALSE` and `IS NULL` test
 *   them.
 * - A comparison on a missing property is false, `!=` included: the pattern does not apply to that event. Absence is
 *   tested with `NOT EXISTS`.
 * - With a wildcard selector, a comparison holds when it holds for any selected value.
 * - `IS NOT` and `EXISTS` are rejected ("The variables IS NOT and EXISTS currently aren't supported"); keywords are
 *   accepted in any letter case.
 * - Quotas enforced: at most 2 regexes per pattern, at most one wildcard per selector and 3 per pattern.
 */

type JsonRoot = object;

const MAX_REGEXES = 2;
const MAX_WILDCARDS = 3;

function isValueNode(value: unknown): value is string | number {
  return typeof value === "string" || typeof value === "number";
}

function isScalar(value: unknown): value is ExtractedValue {
  return value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

/** Parses the message when it is a JSON object; the `{` check spares JSON.parse the plain-text lines. */
export function parseJsonObject(message: string): JsonRoot | undefined {
  let i = 0;
  while (i < message.length && message.charCodeAt(i) <= 32) i++;
  if (message.charCodeAt(i) !== 123 /* { */) return undefined;
  try {
    const value: unknown = JSON.parse(message);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The first string, number, boolean or null the selector selects, or undefined. */
function firstScalar(selector: JsonSelector, root: JsonRoot): ExtractedValue | undefined {
  let found: ExtractedValue | undefined;
  selector.some(root, (value) => {
    if (!isScalar(value)) return false;
    found = value;
    return true;
  });
  return found;
}

/** Compiles the JSON pattern at the cursor (on its `{`) through to the end of the pattern. */
export function compileJsonPattern(cursor: Cursor): PatternEngine {
  const open = cursor.pos++;
  cursor.skipSpaces();
  if (cursor.peek() === "}" || cursor.atEnd) {
    throw cursor.error('empty JSON pattern; write a condition such as { $.level = "ERROR" }', open);
  }
  const selectors = new Map<string, JsonSelector>();
  const predicate = readCondition<JsonRoot>(cursor, (c) => readComparison(c, selectors));
  cursor.skipSpaces();
  if (cursor.atEnd) throw cursor.error("unterminated JSON pattern: no closing '}'", open);
  if (cursor.peek() !== "}") throw cursor.error(`expected '&&', '||' or '}' but found ${cursor.describeNext()}`);
  cursor.pos++;
  cursor.skipSpaces();
  if (!cursor.atEnd) throw cursor.error("unexpected text after the closing '}' of the JSON pattern");
  if (cursor.regexPositions.length > MAX_REGEXES) {
    throw cursor.error(
      `a JSON pattern can contain at most ${MAX_REGEXES} regular expressions`,
      cursor.regexPositions[MAX_REGEXES]
    );
  }
  if (cursor.wildcardPositions.length > MAX_WILDCARDS) {
    throw cursor.error(
      `a JSON pattern can contain at most ${MAX_WILDCARDS} wildcard selectors`,
      cursor.wildcardPositions[MAX_WILDCARDS]
    );
  }
  return new JsonPatternEngine(predicate, [...selectors.values()]);
}

function readComparison(cursor: Cursor, selectors: Map<string, JsonSelector>): Predicate<JsonRoot> {
  cursor.skipSpaces();
  if (cursor.peek() !== "$") {
    throw cursor.error(`expected a property selector starting with '$.' but found ${cursor.describeNext()}`);
  }
  const selector = readSelector(cursor);
  if (!selectors.has(selector.source)) selectors.set(selector.source, selector);
  cursor.skipSpaces();
  const keywordAt = cursor.pos;
  const keyword = readWord(cursor);
  if (keyword === "IS") {
    cursor.skipSpaces();
    const valueAt = cursor.pos;
    const value = readWord(cursor);
    if (value === "NULL") return (root) => selector.some(root, (v) => v === null);
    if (value === "TRUE") return (root) => selector.some(root, (v) => v === true);
    if (value === "FALSE") return (root) => selector.some(root, (v) => v === false);
    if (value === "NOT") throw cursor.error("IS NOT is not supported by CloudWatch Logs filter patterns", keywordAt);
    throw cursor.error(
      `expected NULL, TRUE or FALSE after IS but found ${value ? `'${value}'` : cursor.describeNext()}`,
      valueAt
    );
  }
  if (keyword === "NOT") {
    cursor.skipSpaces();
    if (readWord(cursor) !== "EXISTS") throw cursor.error("expected EXISTS after NOT", keywordAt);
    return (root) => !selector.some(root, () => true);
  }
  if (keyword === "EXISTS") {
    throw cursor.error("EXISTS is not supported by CloudWatch Logs filter patterns (only NOT EXISTS is)", keywordAt);
  }
  if (keyword !== "")
    throw cursor.error(`expected a comparison operator, IS or NOT EXISTS but found '${keyword}'`, keywordAt);
  const operator = readOperator(cursor);
  cursor.skipSpaces();
  const compare = compileComparison(cursor, operator, readValueLiteral(cursor, ")}&|"));
  return (root) => selector.some(root, (value) => isValueNode(value) && compare(value));
}

/** Reads a run of letters, upper-cased so that keywords are case-insensitive; "" when there is none. */
function readWord(cursor: Cursor): string {
  const start = cursor.pos;
  while (!cursor.atEnd && /[A-Za-z]/.test(cursor.text[cursor.pos])) cursor.pos++;
  return cursor.text.slice(start, cursor.pos).toUpperCase();
}

class JsonPatternEngine implements PatternEngine {
  public readonly kind = "json";

  constructor(private readonly predicate: Predicate<JsonRoot>, private readonly selectors: readonly JsonSelector[]) {}

  matches(message: string): boolean {
    const root = parseJsonObject(message);
    return root !== undefined && this.predicate(root);
  }

  extract(message: string): Record<string, ExtractedValue> | undefined {
    const root = parseJsonObject(message);
    if (root === undefined || !this.predicate(root)) return undefined;
    const fields: Record<string, ExtractedValue> = {};
    for (const selector of this.selectors) {
      const value = firstScalar(selector, root);
      if (value !== undefined) fields[selector.source] = value;
    }
    return fields;
  }

  resolve(message: string, reference: FieldReference): ExtractedValue | undefined {
    if (reference.kind !== "json") return undefined;
    const root = parseJsonObject(message);
    if (root === undefined || !this.predicate(root)) return undefined;
    return firstScalar(reference.selector, root);
  }
}
