import { compileComparison, readOperator, readValueLiteral } from "./comparison";
import { readCondition, type Predicate } from "./condition";
import { Cursor } from "./cursor";
import { splitFields, type MessageFields } from "./message-fields";
import type { ExtractedValue, FieldReference, PatternEngine } from "./types";

/**
 * Space-delimited patterns: `[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes > 1000]`.
 *
 * Source: FilterAndPatternSyntax.html, "Using filter patterns to match terms in space-delimited log events", and the
 * older FilterAndPatternSyntax.md section "Using Metric Filters to Extract Values from Space-Delimited Log Events".
 * How a message is cut into fields is in message-fields.ts.
 *
 * Semantics and the decisions behind them:
 * - Without an ellipsis, the event needs at least as many fields as the pattern, and the pattern's last field takes
 *   the rest of the line when the event has more. The docs require it: `[w1=ERROR, w2]` "returns log events where
 *   the first word in the log events is ERROR" on lines such as `ERROR 09/25/2014 12:00:02 Failed to process
 *   request`, and "you must include a blank w2 indicator after the w1 term"; the Lambda pattern
 *   `[timestamp=*Z, request_id="*-*", event]` relies on it for messages with spaces. (The old page's claim that
 *   `[w1=ERROR || w1=WARN, w2]` does not match `ERROR WARN message` contradicts this, and sits next to an example
 *   that is wrong under any reading: `[w1!=ERROR&&w1!=WARN, w2]` "matches lines containing both ERROR and WARN".)
 *   The rest of the line is taken verbatim, from the start of the field to the end of the last one.
 * - An ellipsis `...` stands for zero or more fields; the fields after it align with the end of the event. At most
 *   one ellipsis per pattern, as the AWS CDK enforces ("Can use at most one '...' column").
 * - An empty entry (`[..., status_code = 4*, ]`) is an unnamed field. Extracted values are `$name` for named fields
 *   and `$N` for unnamed fields and the fields an ellipsis covers, as the page's extraction example shows.
 * - A field's condition can only test that field: `[..., status_code = 4* && bytes > 1000]` is rejected, as AWS
 *   rejects it ("Invalid filter pattern", awsdocs/amazon-cloudwatch-logs-user-guide#21); `status_code = 403 ||
 *   status_code = 404` is fine. Parentheses group as in JSON patterns.
 * - Field names are letters, digits, `_` and `-` (the CDK's rule), not all digits (they would shadow `$N`), unique.
 * - Quota enforced: at most 2 regexes per pattern.
 */

type Entry =
  | { readonly ellipsis: true }
  | { readonly ellipsis: false; readonly name?: string; readonly test?: Predicate<string> };

const MAX_REGEXES = 2;
const NAME_CHAR = /[A-Za-z0-9_-]/;

/** Compiles the space-delimited pattern at the cursor (on its `[`) through to the end of the pattern. */
export function compileSpaceDelimitedPattern(cursor: Cursor): PatternEngine {
  const open = cursor.pos++;
  const entries: Entry[] = [];
  const names = new Set<string>();
  for (;;) {
    cursor.skipSpaces();
    if (cursor.atEnd) throw cursor.error("unterminated space-delimited pattern: no closing ']'", open);
    if (cursor.peek() === "]" && entries.length === 0) {
      throw cursor.error(
        "empty space-delimited pattern; name the fields, as in [ip, user, ..., status_code, bytes]",
        open
      );
    }
    entries.push(readEntry(cursor, entries, names));
    cursor.skipSpaces();
    if (cursor.atEnd) throw cursor.error("unterminated space-delimited pattern: no closing ']'", open);
    const separator = cursor.peek();
    cursor.pos++;
    if (separator === "]") break;
    if (separator !== ",") throw cursor.error(`expected ',' or ']' but found '${separator}'`, cursor.pos - 1);
  }
  cursor.skipSpaces();
  if (!cursor.atEnd) throw cursor.error("unexpected text after the closing ']' of the space-delimited pattern");
  if (cursor.regexPositions.length > MAX_REGEXES) {
    throw cursor.error(
      `a space-delimited pattern can contain at most ${MAX_REGEXES} regular expressions`,
      cursor.regexPositions[MAX_REGEXES]
    );
  }
  return new SpaceDelimitedEngine(entries);
}

function readEntry(cursor: Cursor, entries: Entry[], names: Set<string>): Entry {
  const start = cursor.pos;
  const first = cursor.peek();
  if (first === "," || first === "]") return { ellipsis: false };
  if (cursor.lookingAt("...")) {
    if (entries.some((entry) => entry.ellipsis)) throw cursor.error("a pattern can contain only one ellipsis '...'");
    cursor.pos += 3;
    return { ellipsis: true };
  }
  if (first === "\u2026") throw cursor.error("write the ellipsis as three periods '...'");
  let name: string | undefined;
  const claim = (candidate: string, at: number) => {
    if (name === undefined) {
      if (names.has(candidate)) throw cursor.error(`field name '${candidate}' is used twice`, at);
      names.add(candidate);
      name = candidate;
    } else if (candidate !== name) {
      throw cursor.error(
        `this condition tests '${candidate}' but belongs to the field '${name}'; a field's condition can only test ` +
          "that field (give each field its own comma-separated entry)",
        at
      );
    }
  };
  if (first !== "(") {
    const plain = readFieldName(cursor);
    cursor.skipSpaces();
    if (cursor.peek() === "," || cursor.peek() === "]" || cursor.atEnd) {
      claim(plain, start);
      return { ellipsis: false, name: plain };
    }
    cursor.pos = start;
  }
  const test = readCondition<string>(cursor, (c) => {
    c.skipSpaces();
    const at = c.pos;
    claim(readFieldName(c), at);
    c.skipSpaces();
    const operator = readOperator(c);
    c.skipSpaces();
    const compare = compileComparison(c, operator, readValueLiteral(c, ",])&|"));
    return (value: string) => compare(value);
  });
  return { ellipsis: false, name, test };
}

function readFieldName(cursor: Cursor): string {
  const start = cursor.pos;
  while (!cursor.atEnd && NAME_CHAR.test(cursor.text[cursor.pos])) cursor.pos++;
  const name = cursor.text.slice(start, cursor.pos);
  if (name === "") throw cursor.error(`expected a field name but found ${cursor.describeNext()}`);
  if (/^\d+$/.test(name)) {
    throw cursor.error(`field name '${name}' is only digits, which would shadow the positional field $${name}`, start);
  }
  return name;
}

class SpaceDelimitedEngine implements PatternEngine {
  public readonly kind = "space-delimited";
  private readonly ellipsisAt: number;
  /** The fewest fields an event needs. */
  private readonly minimumFields: number;

  constructor(private readonly entries: readonly Entry[]) {
    this.ellipsisAt = entries.findIndex((entry) => entry.ellipsis);
    this.minimumFields = this.ellipsisAt === -1 ? entries.length : entries.length - 1;
  }

  matches(message: string): boolean {
    return this.bind(message) !== undefined;
  }

  extract(message: string): Record<string, ExtractedValue> | undefined {
    const fields = this.bind(message);
    if (fields === undefined) return undefined;
    const extracted: Record<string, ExtractedValue> = {};
    this.entries.forEach((entry, index) => {
      if (entry.ellipsis) {
        const [from, to] = this.ellipsisRange(fields);
        for (let token = from; token < to; token++) extracted[`$${token + 1}`] = fields.values[token];
      } else {
        extracted[entry.name === undefined ? `$${this.tokenOf(index, fields) + 1}` : `$${entry.name}`] = this.valueOf(
          index,
          fields,
          message
        );
      }
    });
    return extracted;
  }

  resolve(message: string, reference: FieldReference): ExtractedValue | undefined {
    const fields = this.bind(message);
    if (fields === undefined) return undefined;
    if (reference.kind === "named") {
      const index = this.entries.findIndex((entry) => !entry.ellipsis && entry.name === reference.name);
      return index === -1 ? undefined : this.valueOf(index, fields, message);
    }
    if (reference.kind === "position") {
      const token = reference.position - 1;
      if (this.ellipsisAt !== -1) return fields.values[token];
      return token < this.entries.length ? this.valueOf(token, fields, message) : undefined;
    }
    return undefined;
  }

  /** Splits the message and checks every condition; the fields when the event matches, otherwise undefined. */
  private bind(message: string): MessageFields | undefined {
    const fields = splitFields(message);
    if (fields.values.length < this.minimumFields) return undefined;
    for (let index = 0; index < this.entries.length; index++) {
      const entry = this.entries[index];
      if (!entry.ellipsis && entry.test !== undefined && !entry.test(this.valueOf(index, fields, message))) {
        return undefined;
      }
    }
    return fields;
  }

  /** The token an entry (not the ellipsis) is bound to. */
  private tokenOf(index: number, fields: MessageFields): number {
    if (this.ellipsisAt === -1 || index < this.ellipsisAt) return index;
    return fields.values.length - (this.entries.length - index);
  }

  /** The tokens the ellipsis covers, [from, to). */
  private ellipsisRange(fields: MessageFields): [number, number] {
    return [this.ellipsisAt, fields.values.length - (this.entries.length - 1 - this.ellipsisAt)];
  }

  /** The value of an entry; without an ellipsis, the last entry takes the rest of the line. */
  private valueOf(index: number, fields: MessageFields, message: string): string {
    const last = this.entries.length - 1;
    if (this.ellipsisAt === -1 && index === last && fields.values.length > this.entries.length) {
      return message.slice(fields.starts[last], fields.ends[fields.ends.length - 1]);
    }
    return fields.values[this.tokenOf(index, fields)];
  }
}
