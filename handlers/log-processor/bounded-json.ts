/**
 * Bounds on the JSON the processor reads from log lines.
 *
 * `JSON.parse` accepts nesting far deeper than anything that walks the result can follow: `JSON.stringify`, or any
 * recursive function, throws `RangeError: Maximum call stack size exceeded` near 5,000 levels on Node.js, and a
 * 1 MB log event (CloudWatch Logs' limit since April 2025) can nest half a million. So no text reaches
 * `JSON.parse` deeper than {@link MAX_JSON_DEPTH}: every value below that depth is replaced, in the text, by
 * {@link DEPTH_LIMIT_PLACEHOLDER}, by a loop (never recursion) that reads each character once.
 */

/**
 * Containers (objects and arrays) nested inside each other that a log line's JSON keeps; deeper values are
 * replaced by a placeholder. 64 is .NET's System.Text.Json default (`JsonSerializerOptions.MaxDepth`: "the default
 * value of 0 indicating a maximum depth of 64"): far more than structured loggers write (the level, message, request
 * id and error type the processor reads sit at depth 1 or 2), and about 80 times less than the depth at which
 * `JSON.stringify` overflows the stack.
 */
export const MAX_JSON_DEPTH = 64;

/** What stands, in the bounded text, for a value nested deeper than the bound (a JSON string, so it stays valid). */
export const DEPTH_LIMIT_PLACEHOLDER = `"[nested deeper than ${MAX_JSON_DEPTH} levels]"`;

/** A JSON text made safe to parse and walk. */
export interface BoundedJsonText {
  /** The text, with every value nested deeper than the bound replaced by {@link DEPTH_LIMIT_PLACEHOLDER}. */
  readonly text: string;
  /** Whether anything was replaced. */
  readonly pruned: boolean;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * `text` with every container nested deeper than `maxDepth` replaced by {@link DEPTH_LIMIT_PLACEHOLDER}, or
 * `undefined` when the text cannot be JSON (a string or a container left open, a container closed that was never
 * opened). One pass, no recursion: linear time and constant stack whatever the nesting.
 *
 * The text is returned as it is (no copy) when nothing is nested too deep. For a valid JSON text, strings are
 * delimited exactly as JSON delimits them, so the depth counted here is the depth `JSON.parse` builds; an invalid
 * text is left for `JSON.parse` to refuse.
 */
export function boundJsonDepth(text: string, maxDepth: number = MAX_JSON_DEPTH): BoundedJsonText | undefined {
  let depth = 0;
  let prunedFrom = -1;
  let copiedTo = 0;
  const parts: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = closingQuote(text, i);
      if (i < 0) return undefined;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
      if (depth === maxDepth + 1) prunedFrom = i;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (depth === 0) return undefined;
      if (depth === maxDepth + 1) {
        parts.push(text.slice(copiedTo, prunedFrom), DEPTH_LIMIT_PLACEHOLDER);
        copiedTo = i + 1;
      }
      depth--;
    }
  }
  if (depth !== 0) return undefined;
  if (parts.length === 0) return { text, pruned: false };
  parts.push(text.slice(copiedTo));
  return { text: parts.join(""), pruned: true };
}

/** The index of the quote that closes the string opened at `open`, or -1 when none does. */
function closingQuote(text: string, open: number): number {
  let from = open + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
    from = quote + 1;
  }
}
