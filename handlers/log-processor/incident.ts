import { createHash } from "node:crypto";
import { Classification, classifyParsedLine } from "./classify";
import { fingerprintOf, fingerprintParsedLine, normaliseText } from "./fingerprint";
import { itemSizeBytes, MAX_ITEM_BYTES, toIncidentItem } from "./incident-item";
import { ATTRIBUTE_BYTE_CAPS } from "./incident-schema";
import { firstLine, parseLogLine } from "./log-line";
import { LogsPayload } from "./logs-payload";
import { releaseOfLogStream } from "./release";
import { cutToBytes, toWellFormed } from "./well-formed";
import { Severity } from "./severity";

/**
 * One error log event, as the incidents table keeps it. Each property is stored under the attribute name
 * `INCIDENT_ATTRIBUTES` (incident-schema.ts) gives for it: `incidentId` as `incident_id`, and so on;
 * incident-item.ts fails to compile if the two ever name different attributes.
 *
 * Every string taken from the delivery fits its own cap (`ATTRIBUTE_BYTE_CAPS`, the message whatever room is left),
 * so that the item always fits DynamoDB's 400 KB limit; a cut attribute says so in `<attribute>Truncated` and keeps
 * its original size in `<attribute>Bytes`. Ids and fingerprints are taken from the whole values before any cut.
 */
export interface Incident {
  /** sha256(logGroup + "\n" + logStream + "\n" + eventId), hex: the same event always has the same id. */
  readonly incidentId: string;
  /** The log group the event came from. */
  readonly logGroup: string;
  /**
   * The AWS account of the log group: the delivery's `owner` (CloudWatch Logs User Guide, "Subscription filters",
   * log data format: "owner — The AWS Account ID of the originating log data"), so a cross-account delivery keeps its
   * source account. Absent only on items written before it was stored.
   */
  readonly accountId?: string;
  /** The log stream the event came from. */
  readonly logStream: string;
  /** CloudWatch Logs' id of the event. */
  readonly eventId: string;
  /** The event's time as ISO-8601 (UTC, milliseconds), so that it sorts by time in the indexes. */
  readonly occurredAt: string;
  /** The event's time in milliseconds since the epoch. */
  readonly timestampMs: number;
  /** How bad it is; see `classifyLogMessage`. */
  readonly severity: Severity;
  /**
   * The log line, made well-formed (a lone UTF-16 surrogate becomes U+FFFD) and, when the whole line would not fit
   * DynamoDB's 400 KB item limit, cut to fit (see `messageTruncated`).
   */
  readonly message: string;
  /** Present, and true, only when `message` was cut to fit the item limit. */
  readonly messageTruncated?: boolean;
  /** Present only when `message` was cut: the original line's size in UTF-8 bytes. */
  readonly messageBytes?: number;
  /** Present only when the line carries a request id. */
  readonly requestId?: string;
  /** Present only when the line carries an error type. */
  readonly errorType?: string;
  /**
   * The release that produced the event, present only where the logs say: the line's JSON (`release`, `version`,
   * `service.version`, an ECS task definition revision), else the Lambda function version in the log stream's name
   * (`$LATEST` or a version number). At most 128 characters, trimmed; see `releaseOfEvent` (release.ts) for the
   * sources and their precedence, and `releaseOrder` to order releases.
   */
  readonly release?: string;
  /** Groups occurrences of the same failure; see `fingerprintMessage`. */
  readonly fingerprint: string;
  /** When DynamoDB may delete the item (TTL), in seconds since the epoch. */
  readonly expiresAt: number;
  /** Present, and true, only when `logGroup` was cut to its cap. */
  readonly logGroupTruncated?: boolean;
  /** Present only when `logGroup` was cut: its original size in UTF-8 bytes. */
  readonly logGroupBytes?: number;
  /** Present, and true, only when `accountId` was cut to its cap. */
  readonly accountIdTruncated?: boolean;
  /** Present only when `accountId` was cut: its original size in UTF-8 bytes. */
  readonly accountIdBytes?: number;
  /** Present, and true, only when `logStream` was cut to its cap. */
  readonly logStreamTruncated?: boolean;
  /** Present only when `logStream` was cut: its original size in UTF-8 bytes. */
  readonly logStreamBytes?: number;
  /** Present, and true, only when `eventId` was cut to its cap. */
  readonly eventIdTruncated?: boolean;
  /** Present only when `eventId` was cut: its original size in UTF-8 bytes. */
  readonly eventIdBytes?: number;
  /** Present, and true, only when `requestId` was cut to its cap. */
  readonly requestIdTruncated?: boolean;
  /** Present only when `requestId` was cut: its original size in UTF-8 bytes. */
  readonly requestIdBytes?: number;
  /** Present, and true, only when `errorType` was cut to its cap. */
  readonly errorTypeTruncated?: boolean;
  /** Present only when `errorType` was cut: its original size in UTF-8 bytes. */
  readonly errorTypeBytes?: number;
  /** Present, and true, only when `release` was cut to its cap (never for a release `releaseOfEvent` read). */
  readonly releaseTruncated?: boolean;
  /** Present only when `release` was cut: its original size in UTF-8 bytes. */
  readonly releaseBytes?: number;
  /**
   * Present, and true, only when reading the line threw: the line is kept as an incident all the same (an error
   * line that cannot be parsed is still an error line), with the severity and fingerprint of the fallback in
   * `buildIncidentsReport`.
   */
  readonly classificationFailed?: boolean;
  /** Present only with `classificationFailed`: the error's name and message, cut to 512 bytes. */
  readonly classificationError?: string;
}

/** What reading one log line yields: whether it is an incident, and which failure it is. */
export interface LineReading {
  /** The classification, or `null` when the line is not an error. */
  readonly classification: Classification | null;
  /** The fingerprint of the failure (see `fingerprintMessage`); unused when `classification` is `null`. */
  readonly fingerprint: string;
  /**
   * The release the line's JSON names (`ParsedLogLine.release`), when it names one. When absent, the incident takes
   * the log stream's Lambda version, if any.
   */
  readonly release?: string;
}

/** Reads one well-formed log line; may throw (that is what {@link buildIncidentsReport} guards against). */
export type LineReader = (message: string) => LineReading;

/** Options for {@link buildIncidents}. */
export interface BuildIncidentsOptions {
  /** Days after the event at which DynamoDB may delete the incident; a positive integer. */
  readonly ttlDays: number;
  /**
   * Reads each line. Tests pass one that throws, to show that one line cannot sink the others.
   * @default readLogLine: the line parsed once, then classified and fingerprinted
   */
  readonly readLine?: LineReader;
}

/** An event of the delivery that yielded no incident although it might have been an error. */
export interface SkippedEvent {
  /** CloudWatch Logs' id of the event (cut to 512 bytes). */
  readonly eventId: string;
  /** Why: the error thrown while building its incident. */
  readonly reason: string;
}

/** What {@link buildIncidentsReport} made of a delivery. */
export interface BuildIncidentsReport {
  /** One incident per error event, in the order of the events. */
  readonly incidents: Incident[];
  /** How many of `incidents` were kept although reading their line threw (`classificationFailed`). */
  readonly unclassified: number;
  /** Events that yielded no incident because even the fallback incident could not be built (none seen so far). */
  readonly skipped: SkippedEvent[];
}

const SECONDS_PER_DAY = 86_400;

/** The deterministic id of the incident for one log event. */
export function incidentIdOf(logGroup: string, logStream: string, eventId: string): string {
  return createHash("sha256").update(`${logGroup}\n${logStream}\n${eventId}`, "utf8").digest("hex");
}

/** The default {@link LineReader}: the line parsed once (bounded in depth and size, log-line.ts), classified and fingerprinted. */
export function readLogLine(message: string): LineReading {
  const parsed = parseLogLine(message);
  const classification = classifyParsedLine(parsed);
  if (classification === null) return { classification, fingerprint: "" };
  return {
    classification,
    fingerprint: fingerprintParsedLine(parsed),
    ...(parsed.release === undefined ? {} : { release: parsed.release }),
  };
}

/**
 * Turns a decoded delivery into incidents: one per log event that `classifyLogMessage` calls an error, in the
 * order of the events. A CONTROL_MESSAGE has none. See {@link buildIncidentsReport}, which this returns the
 * incidents of.
 *
 * @throws RangeError when `ttlDays` is not a positive integer; never because of a log event.
 */
export function buildIncidents(payload: LogsPayload, options: BuildIncidentsOptions): Incident[] {
  return buildIncidentsReport(payload, options).incidents;
}

/**
 * Turns a decoded delivery into incidents, and says which events needed the fallback.
 *
 * Everything is derived from the event (never from the clock), so a replayed delivery yields byte-identical
 * items and rewrites them in place: `expiresAt` is the event's time in seconds plus `ttlDays` days.
 *
 * No log event can make it throw, so no event can cost the others their incidents. Parsing is bounded in depth and
 * size (log-line.ts) and every attribute is cut to fit the item limit ({@link fitItemLimit}). If reading a line
 * throws all the same, the event is still stored, as an ERROR (FATAL or CRITICAL when its first line says so),
 * with its raw message, `classificationFailed` and the error: the subscription filter only forwards lines that
 * mention an error, and an error line that cannot be parsed is still an error line, so an on-call engineer would
 * rather see it, flagged, than lose it. Only an event whose incident cannot be built at all is skipped, and
 * listed with the reason in `skipped`.
 *
 * @throws RangeError when `ttlDays` is not a positive integer.
 */
export function buildIncidentsReport(payload: LogsPayload, options: BuildIncidentsOptions): BuildIncidentsReport {
  const { ttlDays, readLine = readLogLine } = options;
  if (!Number.isSafeInteger(ttlDays) || ttlDays <= 0) {
    throw new RangeError(`ttlDays must be a positive integer, got ${String(ttlDays)}`);
  }
  const report: BuildIncidentsReport = { incidents: [], unclassified: 0, skipped: [] };
  if (payload.messageType !== "DATA_MESSAGE") return report;

  let unclassified = 0;
  const logGroup = toWellFormed(payload.logGroup);
  const logStream = toWellFormed(payload.logStream);
  const accountId = payload.owner === "" ? undefined : toWellFormed(payload.owner);
  // The release when the line names none: the Lambda version in the stream's name, the same for every event.
  const streamRelease = releaseOfLogStream(logStream);
  for (const event of payload.logEvents) {
    try {
      const message = toWellFormed(event.message);
      let reading: LineReading;
      let failure: string | undefined;
      try {
        reading = readLine(message);
      } catch (error) {
        failure = describeError(error);
        reading = fallbackReading(message);
      }
      const { classification, fingerprint } = reading;
      if (classification === null) continue;
      // What the line's JSON names comes first (releaseOfEvent's precedence), then the stream's version.
      const release = reading.release ?? streamRelease;
      report.incidents.push(
        fitItemLimit({
          incidentId: incidentIdOf(payload.logGroup, payload.logStream, event.id),
          logGroup,
          ...(accountId === undefined ? {} : { accountId }),
          logStream,
          eventId: toWellFormed(event.id),
          occurredAt: new Date(event.timestamp).toISOString(),
          timestampMs: event.timestamp,
          severity: classification.severity,
          message,
          ...(classification.requestId !== undefined ? { requestId: classification.requestId } : {}),
          ...(classification.errorType !== undefined ? { errorType: classification.errorType } : {}),
          ...(release === undefined ? {} : { release }),
          fingerprint,
          expiresAt: Math.floor(event.timestamp / 1000) + ttlDays * SECONDS_PER_DAY,
          ...(failure === undefined ? {} : { classificationFailed: true, classificationError: failure }),
        }),
      );
      if (failure !== undefined) unclassified++;
    } catch (error) {
      report.skipped.push({ eventId: cutToBytes(toWellFormed(String(event.id)), 512), reason: describeError(error) });
    }
  }
  return { ...report, unclassified };
}

/** Characters of a line the fallback looks at: its first line, within these, is all it reads. */
const FALLBACK_SCAN_CHARS = 4096;

/**
 * What is known of a line whose reading threw: an error (the subscription filter forwarded it for an error word),
 * FATAL or CRITICAL when its first line says so in capitals, and a fingerprint of its first line normalised as
 * usual but without parsing, so that repeats of the same unreadable line group together.
 */
function fallbackReading(message: string): LineReading {
  const head = firstLine(message.slice(0, FALLBACK_SCAN_CHARS));
  const severity: Severity = /\bFATAL\b/.test(head) ? "FATAL" : /\bCRITICAL\b/.test(head) ? "CRITICAL" : "ERROR";
  let fingerprint: string;
  try {
    fingerprint = fingerprintOf(`unclassified: ${normaliseText(head)}`);
  } catch {
    fingerprint = fingerprintOf(`unclassified: ${head}`);
  }
  return { classification: { severity }, fingerprint };
}

/** An error's name and message for an attribute or a log line: one line, at most 512 bytes. */
function describeError(error: unknown): string {
  let text: string;
  try {
    text = error instanceof Error ? `${error.name}: ${error.message}` : `thrown: ${String(error)}`;
  } catch {
    text = "thrown: a value that cannot be described";
  }
  return cutToBytes(toWellFormed(text.replace(/\s+/g, " ")), 512);
}

export { ATTRIBUTE_BYTE_CAPS };

type CappedAttribute = keyof typeof ATTRIBUTE_BYTE_CAPS;

/** Where each capped attribute records that it was cut, and its original size. */
const CUT_RECORDS: { readonly [K in CappedAttribute]: readonly [keyof Incident, keyof Incident] } = {
  logGroup: ["logGroupTruncated", "logGroupBytes"],
  logStream: ["logStreamTruncated", "logStreamBytes"],
  accountId: ["accountIdTruncated", "accountIdBytes"],
  eventId: ["eventIdTruncated", "eventIdBytes"],
  requestId: ["requestIdTruncated", "requestIdBytes"],
  errorType: ["errorTypeTruncated", "errorTypeBytes"],
  release: ["releaseTruncated", "releaseBytes"],
};

/** Bytes kept free below {@link MAX_ITEM_BYTES}, for the flag, the original size and rounding. */
const ITEM_SIZE_MARGIN_BYTES = 256;

/**
 * The incident as it is, when every attribute is within its cap and the item fits DynamoDB's item limit;
 * otherwise with each attribute over its cap ({@link ATTRIBUTE_BYTE_CAPS}) cut, then the message cut so that the
 * item fits, each cut at a character boundary, flagged (`<attribute>Truncated: true`) and with its original size in
 * UTF-8 bytes (`<attribute>Bytes`). The id, the fingerprint and the classification were taken from the whole
 * values before.
 *
 * Since every attribute but the message is capped (under 8 KB with their names and flags at most), the message's
 * room is never negative and the result always fits, as `itemSizeBytes` counts (an upper bound of DynamoDB's
 * count: "DynamoDB item sizes and formats").
 */
export function fitItemLimit(incident: Incident): Incident {
  let fitted: Record<string, unknown> | undefined;
  for (const key of Object.keys(CUT_RECORDS) as CappedAttribute[]) {
    const value = incident[key];
    if (value === undefined || value.length <= ATTRIBUTE_BYTE_CAPS[key] / 3) continue;
    const bytes = Buffer.byteLength(value, "utf8");
    if (bytes <= ATTRIBUTE_BYTE_CAPS[key]) continue;
    const [truncated, original] = CUT_RECORDS[key];
    fitted ??= { ...incident };
    fitted[key] = cutToBytes(value, ATTRIBUTE_BYTE_CAPS[key]);
    fitted[truncated] = true;
    fitted[original] = bytes;
  }
  const capped = (fitted ?? incident) as Incident;
  const size = itemSizeBytes(toIncidentItem(capped));
  if (size <= MAX_ITEM_BYTES) return capped;
  const messageBytes = Buffer.byteLength(capped.message, "utf8");
  const budget = messageBytes - (size - MAX_ITEM_BYTES) - ITEM_SIZE_MARGIN_BYTES;
  return { ...capped, message: cutToBytes(capped.message, Math.max(0, budget)), messageTruncated: true, messageBytes };
}
