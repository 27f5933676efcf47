/** A lone UTF-16 surrogate: a high one not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * `text` with every lone surrogate replaced by U+FFFD, as `String.prototype.toWellFormed` (ES2024) does. A lone
 * surrogate cannot be encoded as UTF-8: the SDK's form encoding of an SNS message throws `URIError: URI malformed`
 * on it, so every string that reaches an AWS call goes through this first.
 */
export function toWellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, "\uFFFD");
}

/**
 * `text` when it has at most `max` code points; else its first `max - 3` code points, trimmed at the end, and `...`.
 * Reads at most `2 * max` UTF-16 units of `text` (no code point takes more than two), so a 1 MB line costs no more
 * than a short one.
 */
export function cutCodePoints(text: string, max: number): string {
  if (!(max >= 4)) throw new RangeError(`cutCodePoints keeps at least 4 code points (one and "..."), not ${max}`);
  if (text.length <= max) return text;
  const head = Array.from(text.slice(0, 2 * max));
  if (head.length <= max && text.length <= 2 * max) return text;
  return `${head.slice(0, max - 3).join("").trimEnd()}...`;
}

/** The first `count` code points of `text` (all of it when it has no more), reading at most `2 * count` UTF-16 units. */
export function firstCodePoints(text: string, count: number): string {
  if (text.length <= count) return text;
  return Array.from(text.slice(0, 2 * count)).slice(0, count).join("");
}

/** The longest prefix of `text` of at most `maxBytes` UTF-8 bytes that ends at a code point boundary. */
export function cutToBytes(text: string, maxBytes: number): string {
  if (!(maxBytes >= 0)) throw new RangeError(`cutToBytes keeps 0 or more bytes, not ${maxBytes}`);
  // A UTF-16 unit is at most 3 UTF-8 bytes: a text this short fits without being encoded.
  if (text.length * 3 <= maxBytes) return text;
  const bytes = Buffer.from(text.length > maxBytes ? text.slice(0, maxBytes) : text, "utf8");
  if (bytes.length <= maxBytes && text.length <= maxBytes) return text;
  let end = maxBytes;
  // Step back over continuation bytes (10xxxxxx) so that no character is split.
  while (end > 0 && ((bytes[end] as number) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString("utf8");
}
