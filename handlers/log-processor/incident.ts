import { createHash } from "node:crypto";
import { classifyLogMessage } from "./classify";
import { fingerprintMessage } from "./fingerprint";
import { itemSizeBytes, MAX_ITEM_BYTES, toIncidentItem } from "./incident-item";
import { LogsPayload } from "./logs-payload";
import { toWellFormed } from "./well-formed";
import { Severity } from "./severity";

/**
 * One error log event, as the incidents table keeps it. Each property is stored under the attribute name
 * `INCIDENT_ATTRIBUTES` (incident-schema.ts) gives for it: `incidentId` as `incident_id`, and so on;
 * incident-item.ts fails to compile if the two ever name different attributes.
 */
export interface Incident {
  /** sha256(logGroup + "\n" + logStream + "\n" + eventId), hex: the same event always has the same id. */
  readonly incidentId: string;
  /** The log group the event came from. */
  readonly logGroup: string;
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
  /** Groups occurrences of the same failure; see `fingerprintMessage`. */
  readonly fingerprint: string;
  /** When DynamoDB may delete the item (TTL), in seconds since the epoch. */
  readonly expiresAt: number;
}

/** Options for {@link buildIncidents}. */
export interface BuildIncidentsOptions {
  /** Days after the event at which DynamoDB may delete the incident; a positive integer. */
  readonly ttlDays: number;
}

const SECONDS_PER_DAY = 86_400;

/** The deterministic id of the incident for one log event. */
export function incidentIdOf(logGroup: string, logStream: string, eventId: string): string {
  return createHash("sha256").update(`${logGroup}\n${logStream}\n${eventId}`, "utf8").digest("hex");
}

/**
 * Turns a decoded delivery into incidents: one per log event that `classifyLogMessage` calls an error, in the
 * order of the events. A CONTROL_MESSAGE has none.
 *
 * Everything is derived from the event (never from the clock), so a replayed delivery yields byte-identical
 * items and rewrites them in place: `expiresAt` is the event's time in seconds plus `ttlDays` days.
 *
 * @throws RangeError when `ttlDays` is not a positive integer.
 */
export function buildIncidents(payload: LogsPayload, options: BuildIncidentsOptions): Incident[] {
  const { ttlDays } = options;
  if (!Number.isSafeInteger(ttlDays) || ttlDays <= 0) {
    throw new RangeError(`ttlDays must be a positive integer, got ${String(ttlDays)}`);
  }
  if (payload.messageType !== "DATA_MESSAGE") return [];

  const incidents: Incident[] = [];
  const logGroup = toWellFormed(payload.logGroup);
  const logStream = toWellFormed(payload.logStream);
  for (const event of payload.logEvents) {
    const message = toWellFormed(event.message);
    const classification = classifyLogMessage(message);
    if (classification === null) continue;
    incidents.push(fitItemLimit({
      incidentId: incidentIdOf(payload.logGroup, payload.logStream, event.id),
      logGroup,
      logStream,
      eventId: event.id,
      occurredAt: new Date(event.timestamp).toISOString(),
      timestampMs: event.timestamp,
      severity: classification.severity,
      message,
      ...(classification.requestId !== undefined ? { requestId: classification.requestId } : {}),
      ...(classification.errorType !== undefined ? { errorType: classification.errorType } : {}),
      fingerprint: fingerprintMessage(message),
      expiresAt: Math.floor(event.timestamp / 1000) + ttlDays * SECONDS_PER_DAY,
    }));
  }
  return incidents;
}

/** Bytes kept free below {@link MAX_ITEM_BYTES}, for the flag, the original size and rounding. */
const ITEM_SIZE_MARGIN_BYTES = 256;

/**
 * The incident as it is, when its item fits DynamoDB's item limit; otherwise with its message cut (at a
 * character boundary) so that it does, `messageTruncated: true` and the original size in `messageBytes`. The
 * fingerprint and classification were taken from the whole line before.
 */
export function fitItemLimit(incident: Incident): Incident {
  const size = itemSizeBytes(toIncidentItem(incident));
  if (size <= MAX_ITEM_BYTES) return incident;
  const messageBytes = Buffer.byteLength(incident.message, "utf8");
  const budget = messageBytes - (size - MAX_ITEM_BYTES) - ITEM_SIZE_MARGIN_BYTES;
  return { ...incident, message: cutToBytes(incident.message, Math.max(0, budget)), messageTruncated: true, messageBytes };
}

/** The longest prefix of `text` of at most `maxBytes` UTF-8 bytes that ends at a code point boundary. */
function cutToBytes(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  // Step back over continuation bytes (10xxxxxx) so that no character is split.
  while (end > 0 && ((bytes[end] as number) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString("utf8");
}
