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
