/**
 * The alert-suppression table: one item per failure, that is per (account, log group, fingerprint), holding that
 * failure's whole state machine (docs/alert-state-machine.md). The `processing` stack creates the table; the log
 * processor (leases and windows), the quiet-notice sweeper (episodes and notices) and `npm run incidents -- mute`
 * (mutes) each write only their own attributes, always with `UpdateItem` and a condition: no whole-item write, no
 * delete. Three groups of attributes, each owned by one mechanism:
 *
 * - Alert lease and window (processor): `alert_state` is `pending` while an owner (`owner_id`, derived from the
 *   delivery, so that Lambda's and Kinesis's retries of the same delivery own it too) publishes, until
 *   `lease_expires_at`; `sent` once SNS accepted the alert, suppressing until `window_ends_at`. A release removes the
 *   lease attributes (never the item). `approx_seen_count` counts occurrences in the window (an upper bound).
 * - Mute (CLI): `muted_until`, `muted_by`, `mute_reason`, `muted_at`. No alert while `muted_until` is in the future.
 * - Episode and quiet-again notice (processor sets `last_seen_at` on every occurrence and opens the episode;
 *   sweeper claims the notice with `notice_owner`/`notice_lease_expires_at`, publishes, then closes the episode,
 *   recording `noticed_last_seen_at` and `quiet_notice_at`).
 *
 * `expires_at` (epoch seconds) lets DynamoDB's TTL clear items long past; a mute extends it past its own end.
 */
export const SUPPRESSION_ATTRIBUTES = {
  /** Partition key: `<account>|<log group>|<fingerprint>` (see {@link failureKeyOf}). */
  failureKey: "failure_key",
  fingerprint: "fingerprint",
  logGroup: "log_group",
  accountId: "account_id",
  state: "alert_state",
  ownerId: "owner_id",
  leaseExpiresAt: "lease_expires_at",
  windowEndsAt: "window_ends_at",
  seenCount: "approx_seen_count",
  expiresAt: "expires_at",
  mutedUntil: "muted_until",
  mutedBy: "muted_by",
  muteReason: "mute_reason",
  mutedAt: "muted_at",
  lastSeenAt: "last_seen_at",
  episodeCount: "episode_count",
  episodeStartedAt: "episode_started_at",
  quietNoticeAt: "quiet_notice_at",
  noticeOwner: "notice_owner",
  noticeLeaseExpiresAt: "notice_lease_expires_at",
  noticedLastSeenAt: "noticed_last_seen_at",
  /** Occurrences ever counted into the item (claims and counts; approximate like `approx_seen_count`). */
  seenTotal: "seen_total",
  /** When the failure was first seen (epoch ms). */
  firstSeenAt: "first_seen_at",
  /**
   * The failure's text as its latest claim saw it: the error's first line, at most {@link MAX_FAILURE_TEXT_CHARS}
   * characters, so that the triage widget's Logs Insights link can filter on it as an alert's does.
   */
  failureText: "failure_text",
  /** The release of its first and its latest occurrence that carried one (release.ts). */
  firstRelease: "first_seen_release",
  lastRelease: "last_seen_release",
  /** Triage (docs/alert-state-machine.md, "Triage"): absent (open), `resolved`, `ignored` or `regressed`. */
  triage: "triage_state",
  triageBy: "triage_by",
  triageAt: "triage_at",
  /** Why the state is what it is: the ignore's condition, or what the processor saw (regressed in release 43). */
  triageNote: "triage_note",
  /** Resolved in a release: occurrences of earlier releases (release.ts `releaseOrder`) do not regress it. */
  resolvedInRelease: "resolved_in_release",
  resolvedInOrder: "resolved_in_order",
  /** Ignored until a time (epoch ms), until `seen_total` reaches a count, or until a rate per clock hour. */
  ignoredUntil: "ignored_until",
  ignoreUntilSeen: "ignore_until_seen",
  ignoreRate: "ignore_rate_per_hour",
  ignoreHour: "ignore_hour",
  ignoreHourCount: "ignore_hour_count",
} as const;

/**
 * Triage states (`triage_state`). No attribute is **open**. `resolved` and `ignored` are set by people
 * (`npm run incidents -- resolve|ignore`, or the dashboard's triage widget); `regressed` by the processor when a
 * resolved failure occurs again (in a later release, when it was resolved in one), with an alert that bypasses the
 * suppression window; an ignore whose condition is met goes back to open, with an alert saying why.
 */
export const TRIAGE_STATES = { resolved: "resolved", ignored: "ignored", regressed: "regressed" } as const;
export type TriageState = "open" | (typeof TRIAGE_STATES)[keyof typeof TRIAGE_STATES];

/** The longest failure text kept on the item (code points): enough to find the line, never near the item limit. */
export const MAX_FAILURE_TEXT_CHARS = 200;

/** The states of a failure's alert lease. No `alert_state` at all means quiet: nothing held, nothing suppressing. */
export const SUPPRESSION_STATES = { pending: "pending", sent: "sent" } as const;

/** The table's partition key. */
export const SUPPRESSION_PARTITION_KEY = SUPPRESSION_ATTRIBUTES.failureKey;

/** The attribute DynamoDB's time-to-live reads (epoch seconds). */
export const SUPPRESSION_TTL_ATTRIBUTE = SUPPRESSION_ATTRIBUTES.expiresAt;

/**
 * The fingerprint of a log group's storm item (`<account>|<log group>|storm`): where an invocation with more distinct
 * failures than it claims one by one counts the rest (realtime-alerts.ts, "Storms"). Not hexadecimal, so no real
 * fingerprint (32 hex characters) can be it. The item is an episode like a failure's, so that the storm gets one
 * quiet-again notice, and the sweeper holds back the notices of the log group's failures while the storm goes on.
 */
export const STORM_FINGERPRINT = "storm";

/** The key of the storm item of a log group in an account. */
export function stormKeyOf(scope: { readonly accountId?: string | undefined; readonly logGroup: string }): string {
  return failureKeyOf({ accountId: scope.accountId, logGroup: scope.logGroup, fingerprint: STORM_FINGERPRINT });
}

/** The account of deliveries that name none (tests and tools), in a failure key. */
export const UNKNOWN_ACCOUNT = "-";

/** Where one failure happens: the scope its alerts, windows, mutes and notices are kept for. */
export interface FailureScope {
  readonly accountId?: string | undefined;
  readonly logGroup: string;
  readonly fingerprint: string;
}

/**
 * The partition key of a failure: account, log group and fingerprint, joined by `|` (which neither an account id
 * nor a log group name may contain: CloudWatch Logs allows `[\.\-_/#A-Za-z0-9]+` in names), so that the same
 * message in another function or account is another failure with its own alert. At most 12 + 512 + 32 + 2
 * characters: well under DynamoDB's 2,048-byte partition key limit.
 */
export function failureKeyOf(scope: FailureScope): string {
  const account = scope.accountId === undefined || scope.accountId === "" ? UNKNOWN_ACCOUNT : scope.accountId;
  return `${account}|${scope.logGroup}|${scope.fingerprint}`;
}

/**
 * The triage transition a claim found due (docs/alert-state-machine.md, "Triage"): a resolved failure occurred again
 * (**regressed**), or an ignored one met its condition (**ignore-ended**). The alert says so, and its confirmation
 * makes the transition, so that it happens once per regression.
 */
export type TriageTransition =
  | {
      readonly kind: "regressed";
      readonly resolvedAtMs?: number | undefined;
      readonly resolvedBy?: string | undefined;
      readonly resolvedInRelease?: string | undefined;
    }
  | { readonly kind: "ignore-ended"; readonly why: string };
