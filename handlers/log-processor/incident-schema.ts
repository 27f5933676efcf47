/**
 * The incidents table's key design, shared by the `processing` stack (which creates the table) and the
 * log processor (which writes it), so that the two can never disagree.
 *
 * - Items are keyed by `incident_id`, a hash of log group, stream and event id: a replayed delivery
 *   rewrites the same items instead of adding new ones, and writes spread evenly over partitions.
 * - `by-log-group` (log_group_shard, occurred_at) answers "recent incidents of a log group" with one Query per
 *   shard (`<log group>#<n>`, n = 0 .. LOG_GROUP_SHARD_COUNT - 1), newest first, merged; never a Scan. Sharding
 *   spreads one noisy group's index writes over several partitions (each takes about 1,000 writes a second).
 * - `by-fingerprint` (fingerprint_shard, occurred_at) answers "every occurrence of this failure" with one Query per
 *   shard (`<fingerprint>#<n>`, n = 0 .. FINGERPRINT_SHARD_COUNT - 1), newest first, merged. Sharded like
 *   `by-log-group`, for the same reason: one repeating failure would otherwise write one index partition.
 * - `expires_at` (epoch seconds) is the TTL attribute; DynamoDB deletes expired items in the background.
 */
export const INCIDENT_ATTRIBUTES = {
  incidentId: "incident_id",
  logGroup: "log_group",
  accountId: "account_id",
  logStream: "log_stream",
  eventId: "event_id",
  occurredAt: "occurred_at",
  timestampMs: "timestamp_ms",
  severity: "severity",
  message: "message",
  requestId: "request_id",
  errorType: "error_type",
  // The release that produced the event, where the line or the log stream says (release.ts `releaseOfEvent`).
  release: "release",
  fingerprint: "fingerprint",
  expiresAt: "expires_at",
  messageTruncated: "message_truncated",
  messageBytes: "message_bytes",
  logGroupShard: "log_group_shard",
  fingerprintShard: "fingerprint_shard",
  // Each string taken from the delivery is cut to its own cap (ATTRIBUTE_BYTE_CAPS below); when it is,
  // `<attribute>_truncated` is true and `<attribute>_bytes` is its original size in UTF-8 bytes.
  logGroupTruncated: "log_group_truncated",
  logGroupBytes: "log_group_bytes",
  accountIdTruncated: "account_id_truncated",
  accountIdBytes: "account_id_bytes",
  logStreamTruncated: "log_stream_truncated",
  logStreamBytes: "log_stream_bytes",
  eventIdTruncated: "event_id_truncated",
  eventIdBytes: "event_id_bytes",
  requestIdTruncated: "request_id_truncated",
  requestIdBytes: "request_id_bytes",
  errorTypeTruncated: "error_type_truncated",
  errorTypeBytes: "error_type_bytes",
  releaseTruncated: "release_truncated",
  releaseBytes: "release_bytes",
  // A line whose classification threw: stored as an incident all the same (see buildIncidentsReport).
  classificationFailed: "classification_failed",
  classificationError: "classification_error",
} as const;

/**
 * Shards of each log group in the `by-log-group` index. A partition takes about 1,000 write units a second
 * (Amazon DynamoDB Developer Guide, "Partitions and data distribution" / "Designing partition keys to distribute
 * your workload"). 16 shards carry a group at 10,000 incidents a second at 625 write units per shard (items up to
 * 1 KB), with room for the shards' uneven share; 10, the count before, put the mean shard at the limit itself. Raising
 * the count needs no migration: a reader of 16 shards also reads the items written to shards 0 .. 9 before. Lowering
 * it would hide items: it is a constant, not a setting.
 */
export const LOG_GROUP_SHARD_COUNT = 16;

/**
 * The shard of an incident: from its id (a SHA-256 in hex), so that a replayed delivery writes the same key, and
 * ids being uniform, a noisy group's incidents spread evenly.
 */
export function logGroupShardOf(incidentId: string): number {
  return shardOfHexDigits(incidentId.slice(0, 8), LOG_GROUP_SHARD_COUNT);
}

/** The `by-log-group` partition key value of one shard of a group: `<log group>#<n>`. */
export function logGroupShardKey(logGroup: string, shard: number): string {
  return shardKey(logGroup, shard);
}

/** Every `by-log-group` partition of a group, for a reader that queries them all and merges. */
export function logGroupShardKeys(logGroup: string): string[] {
  return shardKeys(logGroup, LOG_GROUP_SHARD_COUNT);
}

/**
 * Shards of each fingerprint in the `by-fingerprint` index. One repeating failure writes every one of its incidents
 * with the same fingerprint, and an index partition takes at most 1,000 write units a second ("each individual
 * partition is limited to 1,000 write units per second and 3,000 read units per second", Amazon DynamoDB Developer
 * Guide, "Understanding DynamoDB warm throughput in different scenarios",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/warm-throughput-scenarios.html). A GSI that cannot
 * take its writes throttles the base table ("If a GSI doesn't have sufficient capacity to handle these updates,
 * DynamoDB throttles writes to the base table", "Understanding GSI write throttling and back pressure",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/gsi-throttling.html). 16 shards carry one failure
 * at 10,000 incidents a second (the README's figure per group) at 625 write units per shard for items up to 1 KB
 * (one write unit each; the processor's items average about 850 bytes, `npm run bench -- --only scale`), which leaves
 * room for the shards' uneven share (the property test bounds it) below 1,000. Readers query every shard and merge.
 * Changing it re-shards only new items: a reader of N shards finds items written with fewer, not with more.
 */
export const FINGERPRINT_SHARD_COUNT = 16;

/**
 * The `by-fingerprint` shard of an incident: from its id (a SHA-256 in hex), as {@link logGroupShardOf}, but from the
 * id's next 8 hex digits, so that the two shard numbers are independent of each other.
 */
export function fingerprintShardOf(incidentId: string): number {
  return shardOfHexDigits(incidentId.slice(8, 16), FINGERPRINT_SHARD_COUNT);
}

/** The `by-fingerprint` partition key value of one shard of a failure: `<fingerprint>#<n>`. */
export function fingerprintShardKey(fingerprint: string, shard: number): string {
  return shardKey(fingerprint, shard);
}

/** Every `by-fingerprint` partition of a failure, for a reader that queries them all and merges. */
export function fingerprintShardKeys(fingerprint: string): string[] {
  return shardKeys(fingerprint, FINGERPRINT_SHARD_COUNT);
}

// The two sharded indexes differ only in the value sharded, the id's digits that pick the shard, and the count.

/** The shard that hex digits of an incident id pick: their value modulo `count` (shard 0 when they are not hex). */
function shardOfHexDigits(digits: string, count: number): number {
  const value = Number.parseInt(digits, 16);
  return (Number.isNaN(value) ? 0 : value) % count;
}

/** The partition key value of one shard of a sharded index: `<value>#<n>`. */
function shardKey(value: string, shard: number): string {
  return `${value}#${shard}`;
}

/** Every partition key value of `value` in an index of `count` shards, shard 0 first. */
function shardKeys(value: string, count: number): string[] {
  return Array.from({ length: count }, (_, shard) => shardKey(value, shard));
}

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

/** Recent incidents of one log group, newest first: one partition per shard (`log_group_shard`). */
export const BY_LOG_GROUP_INDEX: IncidentIndex = {
  name: "by-log-group",
  partitionKey: INCIDENT_ATTRIBUTES.logGroupShard,
  sortKey: INCIDENT_ATTRIBUTES.occurredAt,
};

/**
 * Every incident of one fingerprint (the same failure), newest first: one partition per shard (`fingerprint_shard`).
 * The name is kept from the unsharded index so that grants naming `index/by-fingerprint` stay valid; changing its key
 * is an in-place table update that deletes and re-creates the index (docs/operations.md, "Upgrading").
 */
export const BY_FINGERPRINT_INDEX: IncidentIndex = {
  name: "by-fingerprint",
  partitionKey: INCIDENT_ATTRIBUTES.fingerprintShard,
  sortKey: INCIDENT_ATTRIBUTES.occurredAt,
};

/** All indexes the table has; the stack creates exactly these. */
export const INCIDENT_INDEXES: readonly IncidentIndex[] = [BY_LOG_GROUP_INDEX, BY_FINGERPRINT_INDEX];

/**
 * Caps, in UTF-8 bytes, of the strings taken from the delivery other than the message, which gets whatever room
 * they leave (about 393 KB at worst). Each is far above what a real value needs, so only a value no real log
 * line carries is cut:
 * - `logGroup`: CloudWatch Logs names are at most 512 characters of `[.\-_/#A-Za-z0-9]` (512 bytes); the group
 *   is stored twice (`log_group` and the `by-log-group` partition key `<group>#<n>`, which DynamoDB limits to
 *   2,048 bytes: Developer Guide, "Constraints in Amazon DynamoDB", "Partition key length").
 * - `logStream`: at most 512 characters, any but `:` and `*`, so up to 2,048 bytes in UTF-8.
 * - `accountId`: 12 digits. `eventId`: CloudWatch Logs' ids are 56 digits.
 * - `requestId`: a Lambda request id is a 36-character UUID; other loggers' trace ids are under 100.
 * - `errorType`: class names, qualified ones included (`com.example.billing.LedgerImbalanceException`), are
 *   well under 512 bytes.
 * - `release`: `releaseOfEvent` keeps at most 128 characters (`MAX_RELEASE_CHARS`), at most 384 UTF-8 bytes, so
 *   only a release set by other code could be cut.
 */
export const ATTRIBUTE_BYTE_CAPS = {
  logGroup: 1024,
  logStream: 2048,
  accountId: 64,
  eventId: 512,
  requestId: 256,
  errorType: 512,
  release: 512,
} as const;
