/**
 * The alert-suppression table, shared by the `processing` stack (which creates it) and the log processor
 * (which takes, confirms and releases alert leases in it).
 *
 * One item per failure fingerprint that alerted (or is alerting) recently. An item is in one of two states:
 *
 * - `pending`: an invocation (`owner_id`) has taken the failure's alert lease and is publishing. The lease ends
 *   at `lease_expires_at` (epoch milliseconds), never later than that invocation's own deadline, so a crashed,
 *   killed or timed-out owner cannot hold it past its lifetime: the next delivery (Lambda's retry) takes it over.
 * - `sent`: SNS accepted the alert; the failure stays quiet until `window_ends_at` (epoch milliseconds).
 *
 * Failures alerted through a delivery's digest get no lease: their `sent` items are written after the digest was
 * accepted. Only `sent` suppresses. `approx_seen_count` counts occurrences in the window; it is approximate (an upper
 * bound): a replayed delivery, a Lambda retry or an SDK retry of a lost response counts its occurrences again.
 * `expires_at` (epoch seconds) lets DynamoDB's TTL clear windows long past.
 */
export const SUPPRESSION_ATTRIBUTES = {
  fingerprint: "fingerprint",
  state: "alert_state",
  ownerId: "owner_id",
  leaseExpiresAt: "lease_expires_at",
  windowEndsAt: "window_ends_at",
  seenCount: "approx_seen_count",
  expiresAt: "expires_at",
  // Mutes (npm run incidents -- mute): the failure does not alert while `muted_until` (epoch milliseconds) is in
  // the future. The claim's own condition compares it, so a mute costs no request per failure and ends by itself.
  mutedUntil: "muted_until",
  mutedBy: "muted_by",
  muteReason: "mute_reason",
  mutedAt: "muted_at",
  // Episodes, for quiet-again notices: an episode starts with a failure's first alert and lasts until it has not
  // recurred for a whole window. `last_seen_at` (epoch ms, processing time) is the latest occurrence; `episode_count`
  // and `episode_started_at` add up over the episode's windows, and are removed when its quiet notice is sent
  // (`quiet_notice_at`), so the next alert starts a new episode.
  lastSeenAt: "last_seen_at",
  episodeCount: "episode_count",
  episodeStartedAt: "episode_started_at",
  quietNoticeAt: "quiet_notice_at",
} as const;

/** The states of a suppression item. */
export const SUPPRESSION_STATES = { pending: "pending", sent: "sent" } as const;

/** The table's partition key. */
export const SUPPRESSION_PARTITION_KEY = SUPPRESSION_ATTRIBUTES.fingerprint;

/** The attribute DynamoDB's time-to-live reads (epoch seconds). */
export const SUPPRESSION_TTL_ATTRIBUTE = SUPPRESSION_ATTRIBUTES.expiresAt;
