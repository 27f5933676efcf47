/**
 * The incidents table's key design, shared by the `processing` stack (which creates the table) and the
 * log processor (which writes it), so that the two can never disagree.
 *
 * - Items are keyed by `incident_id`, a hash of log group, stream and event id: a replayed delivery
 *   rewrites the same items instead of adding new ones, and writes spread evenly over partitions.
 * - `by-log-group` (log_group, occurred_at) answers "recent incidents of a log group" with a Query,
 *   newest first (`ScanIndexForward: false`), never a Scan.
 * - `by-fingerprint` (fingerprint, occurred_at) answers "every occurrence of this failure", newest first.
 * - `expires_at` (epoch seconds) is the TTL attribute; DynamoDB deletes expired items in the background.
 */
export const INCIDENT_ATTRIBUTES = {
  incidentId: "incident_id",
  logGroup: "log_group",
  logStream: "log_stream",
  eventId: "event_id",
  occurredAt: "occurred_at",
  timestampMs: "timestamp_ms",
  severity: "severity",
  message: "message",
  requestId: "request_id",
  errorType: "error_type",
  fingerprint: "fingerprint",
  expiresAt: "expires_at",
  messageTruncated: "message_truncated",
  messageBytes: "message_bytes",
} as const;

/** The table's partition key: the deterministic incident id. */
export const INCIDENT_PARTITION_KEY = INCIDENT_ATTRIBUTES.incidentId;

/** The attribute DynamoDB's time-to-live reads (epoch seconds). */
export const INCIDENT_TTL_ATTRIBUTE = INCIDENT_ATTRIBUTES.expiresAt;

/** A global secondary index of the incidents table. */
export interface IncidentIndex {
  /** The index name, used in Query's IndexName. */
  readonly name: string;
  /** The index's partition key (a string attribute). */
  readonly partitionKey: string;
  /** The index's sort key (an ISO-8601 string attribute, so that it sorts by time). */
  readonly sortKey: string;
}

/** Recent incidents of one log group, newest first. */
export const BY_LOG_GROUP_INDEX: IncidentIndex = {
  name: "by-log-group",
  partitionKey: INCIDENT_ATTRIBUTES.logGroup,
  sortKey: INCIDENT_ATTRIBUTES.occurredAt,
};

/** Every incident of one fingerprint (the same failure), newest first. */
export const BY_FINGERPRINT_INDEX: IncidentIndex = {
  name: "by-fingerprint",
  partitionKey: INCIDENT_ATTRIBUTES.fingerprint,
  sortKey: INCIDENT_ATTRIBUTES.occurredAt,
};

/** All indexes the table has; the stack creates exactly these. */
export const INCIDENT_INDEXES: readonly IncidentIndex[] = [BY_LOG_GROUP_INDEX, BY_FINGERPRINT_INDEX];
