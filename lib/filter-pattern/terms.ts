import { readQuoted } from "./comparison";
import { Cursor, isPatternSpace } from "./cursor";
import type { ExtractedValue, PatternEngine } from "./types";

/**
 * Term patterns for unstructured events: `ERROR`, `ERROR ARGUMENTS`, `"INTERNAL SERVER ERROR"`, `ERROR -ARGUMENTS`,
 * `?ERROR ?WARN`, and the match-all pattern.
 *
 * Sources: FilterAndPatternSyntax.html, "Using filter patterns to match terms in unstructured log events", and the
 * older FilterAndPatternSyntax.md, "Matching Terms in Log Events".
 *
 * Semantics and the decisions behind them:
 * - A term matches when it occurs anywhere in the message, case-sensitively, even inside a longer word. The docs'
 *   examples are the spec here: `ERROR` matches `Exiting with ERRORCODE: -1`, and `ERROR Exception` matches
 *   `[ERROR] Caught IllegalArgumentException` (the older page, Examples 1 and 3). Users report the same
 *   (dougmoscrop/serverless-plugin-log-subscription#15: `?error` catches "... 0 invoke errors"). A quoted phrase
 *   matches the same way, verbatim, spaces included.
 * - Several terms must all occur (AND); `-term` must not occur; a pattern of only `-` terms matches every event
 *   without them.
 * - `?term` terms are alternatives: a pattern of only `?` terms matches when any occurs. Mixed with plain or `-`
 *   terms, every `?` term is ignored, as the current page states: "If you combine "?" with other filter patterns,
 *   all question mark terms will be ignored", with `?ERROR ?ARGUMENTS REQUEST` matching `[INFO] REQUEST FAILED`.
 *   (The AWS CDK's `FilterPattern.anyTermGroup` renders `?"A" "B" ?"C" "D"` and documents it as (A and B) or
 *   (C and D); the AWS page says otherwise, and this model follows the page.)
 * - Unquoted terms are letters, digits and underscores; anything else must be quoted ("Enclose exact phrases and
 *   terms that include non-alphanumeric characters in double quotation marks"), so `ERROR:` is rejected. Inside
 *   quotes, `\"` and `\\` are escapes, as the AWS CDK writes them.
 * - A `-` or `?` may be separated from its term by spaces (the older page writes `"ERROR" - "Exiting"`).
 * - An empty or all-whitespace phrase matches every event: the page's "Match everything" example is `" "`.
 */

/** The pattern that matches every event: the empty pattern, `""`, `" "`. */
export const MATCH_ALL: PatternEngine = {
  kind: "all",
  matches: () => true,
  extract: () => ({}),
  resolve: () => undefined,
};

interface Term {
  readonly prefix: "" | "-" | "?";
  readonly text: string;
}

const WORD_CHAR = /[A-Za-z0-9_]/;

/** Compiles the term pattern at the cursor through to the end of the pattern. */
export function compileTermPattern(cursor: Cursor): PatternEngine {
  const terms: Term[] = [];
  for (;;) {
    cursor.skipSpaces();
    if (cursor.atEnd) break;
    terms.push(readTerm(cursor));
  }
  // Whitespace-only phrases are always present; they do not constrain a required or optional term list.
  const present = (term: Term) => term.text.trim() === "";
  const required = terms.filter((term) => term.prefix === "");
  const excluded = terms.filter((term) => term.prefix === "-");
  const optional = required.length + excluded.length > 0 ? [] : terms.filter((term) => term.prefix === "?");
  if (excluded.some(present)) return new TermEngine([], [], [], true);
  const requiredTexts = required.filter((term) => !present(term)).map((term) => term.text);
  const excludedTexts = excluded.map((term) => term.text);
  const optionalTexts = optional.some(present) ? [] : optional.map((term) => term.text);
  if (requiredTexts.length + excludedTexts.length + optionalTexts.length === 0) return MATCH_ALL;
  return new TermEngine(requiredTexts, excludedTexts, optionalTexts, false);
}

function readTerm(cursor: Cursor): Term {
  const start = cursor.pos;
  let prefix: Term["prefix"] = "";
  const first = cursor.peek();
  if (first === "-" || first === "?") {
    prefix = first;
    cursor.pos++;
    cursor.skipSpaces();
    if (cursor.atEnd) throw cursor.error(`'${prefix}' must be followed by a term`, start);
    if (cursor.peek() === "-" || cursor.peek() === "?")
      throw cursor.error("a term can have only one '-' or '?' prefix");
  }
  if (cursor.peek() === '"') {
    const text = readQuoted(cursor);
    if (!cursor.atEnd && !isPatternSpace(cursor.peek())) {
      throw cursor.error(`expected a space after the quoted phrase but found ${cursor.describeNext()}`);
    }
    return { prefix, text };
  }
  const wordStart = cursor.pos;
  while (!cursor.atEnd && WORD_CHAR.test(cursor.text[cursor.pos])) cursor.pos++;
  if (!cursor.atEnd && !isPatternSpace(cursor.peek())) throw unquotedCharacterError(cursor, cursor.pos === wordStart);
  return { prefix, text: cursor.text.slice(wordStart, cursor.pos) };
}

function unquotedCharacterError(cursor: Cursor, atTermStart: boolean) {
  const char = cursor.peek();
  if (atTermStart && char === "%") {
    return cursor.error("a %regex% must be the whole filter pattern; it cannot be combined with terms");
  }
  if (atTermStart && (char === "{" || char === "[")) {
    const kind = char === "{" ? "a JSON pattern {...}" : "a space-delimited pattern [...]";
    return cursor.error(`${kind} must be the whole filter pattern; it cannot be combined with terms`);
  }
  return cursor.error(
    `'${char}' cannot appear in an unquoted term; enclose terms with characters other than letters, digits and ` +
      "underscores in double quotes"
  );
}

class TermEngine implements PatternEngine {
  public readonly kind = "terms";

  constructor(
    private readonly required: readonly string[],
    private readonly excluded: readonly string[],
    private readonly optional: readonly string[],
    /** An excluded whitespace-only phrase is always present, so nothing matches. */
    private readonly matchesNothing: boolean
  ) {}

  matches(message: string): boolean {
    if (this.matchesNothing) return false;
    for (const term of this.required) if (!message.includes(term)) return false;
    for (const term of this.excluded) if (message.includes(term)) return false;
    if (this.optional.length === 0) return true;
    for (const term of this.optional) if (message.includes(term)) return true;
    return false;
  }

  extract(message: string): Record<string, ExtractedValue> | undefined {
    return this.matches(message) ? {} : undefined;
  }

  resolve(): undefined {
    return undefined;
  }
}
