import { createHash } from "node:crypto";
import { classifyLogMessage } from "./classify";
import { fingerprintMessage } from "./fingerprint";
import { LogsPayload } from "./logs-payload";
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
  /** The whole log line. */
  readonly message: string;
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
  for (const event of payload.logEvents) {
    const classification = classifyLogMessage(event.message);
    if (classification === null) continue;
    incidents.push({
      incidentId: incidentIdOf(payload.logGroup, payload.logStream, event.id),
      logGroup: payload.logGroup,
      logStream: payload.logStream,
      eventId: event.id,
      occurredAt: new Date(event.timestamp).toISOString(),
      timestampMs: event.timestamp,
      severity: classification.severity,
      message: event.message,
      ...(classification.requestId !== undefined ? { requestId: classification.requestId } : {}),
      ...(classification.errorType !== undefined ? { errorType: classification.errorType } : {}),
      fingerprint: fingerprintMessage(event.message),
      expiresAt: Math.floor(event.timestamp / 1000) + ttlDays * SECONDS_PER_DAY,
    });
  }
  return incidents;
}
