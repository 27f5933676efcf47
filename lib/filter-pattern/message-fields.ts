/**
 * Splitting a log event into the fields that space-delimited patterns address.
 *
 * Source: "Characters between brackets ("[]") and double quotation marks ("") are considered single fields"
 * (FilterAndPatternSyntax.html, "Using filter patterns to match terms in space-delimited log events"); the extracted
 * values AWS shows drop the brackets and quotes (`"$4": "10/Oct/2000:13:25:15 -0700"`).
 *
 * Decisions where the page is silent:
 * - Spaces and horizontal tabs both delimit fields, and a run of them counts as one delimiter. Lambda writes its text
 *   log lines tab-separated (`2024-01-01T00:00:00.000Z\t<request id>\tERROR\t<message>`), and the pattern the
 *   CloudWatch console and tools built on it use for Lambda logs, `[timestamp=*Z, request_id="*-*", event]`, only
 *   works if tabs delimit (see ACloudGuru/serverless-plugin-cloudwatch-sumologic#16 and #18, where
 *   `[log_level, timestamp = *Z, request_id, event]` is reported working on `[WARNING]\t2018-...Z\t<id>\t...` lines).
 *   Newlines do not delimit: they stay inside a field (multi-line events end up in the last field).
 * - A `"` or `[` only opens a grouped field at the start of a field; the field ends at the next `"` (a backslash-
 *   escaped `\"` does not end it, as in Apache's escaped request lines) or the next `]`. An opening `"` or `[` that is
 *   never closed is an ordinary character.
 * - A grouped field ends at its closing character even when more text follows without a delimiter; that text starts
 *   the next field.
 */

/** The fields of one message: their values (without grouping quotes/brackets) and where each starts and ends. */
export interface MessageFields {
  readonly values: string[];
  /** Index of each field's first character, its opening quote or bracket included. */
  readonly starts: number[];
  /** Index just past each field's last character, its closing quote or bracket included. */
  readonly ends: number[];
}

const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACKET = 91;

function isDelimiter(code: number): boolean {
  return code === SPACE || code === TAB;
}

/** Splits a message into fields. */
export function splitFields(message: string): MessageFields {
  const values: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const length = message.length;
  let i = 0;
  for (;;) {
    while (i < length && isDelimiter(message.charCodeAt(i))) i++;
    if (i >= length) break;
    const start = i;
    const first = message.charCodeAt(i);
    const close =
      first === QUOTE ? closingQuote(message, i) : first === OPEN_BRACKET ? message.indexOf("]", i + 1) : -1;
    if (close !== -1) {
      values.push(message.slice(start + 1, close));
      i = close + 1;
    } else {
      while (i < length && !isDelimiter(message.charCodeAt(i))) i++;
      values.push(message.slice(start, i));
    }
    starts.push(start);
    ends.push(i);
  }
  return { values, starts, ends };
}

/** The index of the `"` closing the quoted field opened at `open`, skipping `\"`; -1 when there is none. */
function closingQuote(message: string, open: number): number {
  for (let i = open + 1; i < message.length; i++) {
    const code = message.charCodeAt(i);
    if (code === BACKSLASH) i++;
    else if (code === QUOTE) return i;
  }
  return -1;
}
