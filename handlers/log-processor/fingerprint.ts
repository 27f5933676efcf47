import { createHash } from "node:crypto";
import { firstLine, ParsedLogLine, parseLogLine } from "./log-line";

// One pass, left to right: each alternative is tried at each position in this order, and what it replaces is
// never scanned again (so a URL's host keeps its digits, and a placeholder is never rewritten).
const VARIABLE_PARTS = new RegExp(
  [
    // 1 scheme://host, 2 the rest of the URL: keep which host failed, drop the path and query.
    String.raw`\b([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s/?#"'<>]+)((?:[/?#][^\s"'<>]*[^\s"'<>).,;:])?)`,
    // 3 e-mail address
    String.raw`([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})`,
    // 4 UUID (Lambda request ids)
    String.raw`([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})`,
    // 5 ISO-8601 or slashed date with optional time and zone; 6 time of day alone
    String.raw`(\d{4}[-/]\d{2}[-/]\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)`,
    String.raw`(\b\d{2}:\d{2}:\d{2}(?:[.,]\d+)?)`,
    // 7 IPv4 address with optional port
    String.raw`((?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?(?![\d.]))`,
    // 8 single-quoted value (not an apostrophe inside a word such as "can't"); 9 double-quoted value
    String.raw`((?<![A-Za-z0-9])'[^'\r\n]*')`,
    String.raw`("(?:[^"\\\r\n]|\\.)*")`,
    // 10 0x-prefixed hex; 11 bare hex of 8 or more with both a digit and a letter (ids, hashes, addresses)
    String.raw`(\b0x[0-9a-fA-F]+\b)`,
    String.raw`((?<![0-9A-Za-z])(?=[0-9a-fA-F]*[a-fA-F])(?=[0-9a-fA-F]*\d)[0-9a-fA-F]{8,}(?![0-9A-Za-z]))`,
    // 12 number not glued to a letter before it (keeps utf8, http2, E11000, v1.2.3)
    String.raw`((?<![A-Za-z0-9_.])\d+(?:\.\d+)*)`,
  ].join("|"),
  "g",
);

/**
 * Only the start of the line is normalised: what identifies a failure comes first, and a bound keeps the
 * regular expression's work small on a 1 MB single-line event (a JSON line with a large payload).
 */
const MAX_NORMALISED_LENGTH = 1000;

/** Placeholders for each kind of variable part, in the order of the capture groups above (after the URL's two). */
const PLACEHOLDERS = ["<email>", "<uuid>", "<ts>", "<ts>", "<ip>", "<str>", "<str>", "<hex>", "<hex>", "<num>"] as const;

/**
 * The form of a message that identical failures share: the application's own text (without Lambda's timestamp,
 * request id and level prefix), first meaningful line only (its first 1,000 characters), with variable parts
 * replaced by placeholders —
 * URLs keep scheme and host (`https://api.example.com/<path>`), and e-mail addresses, UUIDs, timestamps, IPv4
 * addresses, quoted values, hex strings and numbers become `<email>`, `<uuid>`, `<ts>`, `<ip>`, `<str>`, `<hex>`
 * and `<num>`. Whitespace runs collapse to one space.
 *
 * Numbers go too, so `HTTP 503` and `HTTP 504` group together; a number glued to a letter (`E11000`, `utf8`) stays.
 */
export function normaliseMessage(message: string): string {
  return normaliseParsedLine(parseLogLine(message));
}

/** {@link normaliseMessage} of a line already parsed (the processor parses each line once). */
export function normaliseParsedLine(parsed: ParsedLogLine): string {
  return normaliseText(parsed.text);
}

/**
 * The normalisation of {@link normaliseMessage} applied to text as it is, without reading a runtime's prefix
 * first: its first meaningful line, first 1,000 characters, variable parts replaced.
 */
export function normaliseText(text: string): string {
  const line = firstLine(text).slice(0, MAX_NORMALISED_LENGTH);
  return line
    .replace(VARIABLE_PARTS, (match: string, ...groups: unknown[]) => {
      const [host, path] = groups as (string | undefined)[];
      if (host !== undefined) return path ? `${host}/<path>` : host;
      const index = (groups.slice(2, 2 + PLACEHOLDERS.length) as (string | undefined)[]).findIndex((g) => g !== undefined);
      return index >= 0 ? (PLACEHOLDERS[index] as string) : match;
    })
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * A stable identifier for "the same failure": the first 16 bytes (32 hex characters) of the SHA-256 of
 * {@link normaliseMessage}. `timeout after 3001 ms (req 8f2c1a9e-...)` and `timeout after 2987 ms (req 11ab...)`
 * share a fingerprint; different failures do not.
 */
export function fingerprintMessage(message: string): string {
  return fingerprintParsedLine(parseLogLine(message));
}

/** {@link fingerprintMessage} of a line already parsed (the processor parses each line once). */
export function fingerprintParsedLine(parsed: ParsedLogLine): string {
  return fingerprintOf(normaliseParsedLine(parsed));
}

/** The fingerprint of an already normalised form: the first 32 hex characters of its SHA-256. */
export function fingerprintOf(normalised: string): string {
  return createHash("sha256").update(normalised, "utf8").digest("hex").slice(0, 32);
}
