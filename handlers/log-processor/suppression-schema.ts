/**
 * The alert-suppression table, shared by the `processing` stack (which creates it) and the log processor
 * (which takes and releases suppression windows in it).
 *
 * One item per failure fingerprint that alerted recently. The processor takes a window with a conditional
 * write (`attribute_not_exists(fingerprint) OR window_ends_at < :now`), so that two concurrent invocations
 * seeing the same new failure publish one alert between them; it counts later occurrences into the same
 * item; and it deletes the item again if publishing failed, so that Lambda's retry alerts instead.
 * `expires_at` (epoch seconds) lets DynamoDB's TTL clear windows long past.
 */
export const SUPPRESSION_ATTRIBUTES = {
  fingerprint: "fingerprint",
  windowEndsAt: "window_ends_at",
  seenCount: "seen_count",
  ownerId: "owner_id",
  expiresAt: "expires_at",
} as const;

/** The table's partition key. */
export const SUPPRESSION_PARTITION_KEY = SUPPRESSION_ATTRIBUTES.fingerprint;

/** The attribute DynamoDB's time-to-live reads (epoch seconds). */
export const SUPPRESSION_TTL_ATTRIBUTE = SUPPRESSION_ATTRIBUTES.expiresAt;
