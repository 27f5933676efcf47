import { createHash } from "node:crypto";
import { alertFactsOf, AlertMessage, formatAlert, formatDigest } from "./alert-message";
import { mapWithConcurrency } from "./concurrency";
import { Incident } from "./incident";
import { maxSeverity } from "./severity";
import { isPage } from "./severity-routing";
import { SuppressionStore } from "./suppression-store";
import { FailureScope, failureKeyOf } from "./suppression-schema";

/** Where alerts go. Resolves once the alert is accepted; rejects when it was not. */
export interface AlertPublisher {
  publish(alert: AlertMessage): Promise<void>;
}

/** The ports and settings real-time alerting works through. */
export interface RealtimeAlerting {
  /** Alert leases and suppression windows shared by all invocations. */
  readonly suppression: SuppressionStore;
  /** Publishes one alert. */
  readonly publisher: AlertPublisher;
  /** Minutes a failure stays quiet after it alerted (must match the store's window). */
  readonly windowMinutes: number;
  /** The function's region, for console links. */
  readonly region: string;
  /** The current time in milliseconds since the epoch. Tests pass a fixed clock. */
  readonly now: () => number;
  /**
   * Longest a lease is held, in milliseconds; it never outlives the invocation's deadline either.
   * @default 60000
   */
  readonly leaseMs?: number;
  /**
   * Alert messages one invocation may publish; further failures go into one digest message.
   * @default 10
   */
  readonly maxAlertsPerDelivery?: number;
  /**
   * Failures claimed at once (each claim is one or two DynamoDB calls).
   * @default 16
   */
  readonly concurrency?: number;
}

/** When the invocation must stop starting work. */
export interface AlertDeadline {
  /** Epoch milliseconds at which Lambda ends the invocation: no lease is held past it. */
  readonly deadlineMs: number;
  /** Epoch milliseconds after which no new claim or publish is started (the rest is released, then thrown). */
  readonly stopStartingAtMs: number;
}

/** What alerting did for one delivery. */
export interface AlertOutcome {
  /** Alert messages published, the digest included. */
  readonly published: number;
  /** Failures that were only counted: they alerted within their window, or are muted. */
  readonly suppressed: number;
  /** Failures alerted through the digest (0 when every failure had its own alert). */
  readonly digested: number;
  /** Of the suppressed failures, those muted (`npm run incidents -- mute`): counted, not alerted. */
  readonly muted?: number;
}

/** One failure (account, log group and fingerprint) in a delivery: how often it occurs and what represents it. */
export interface FailureGroup {
  /** The failure's key in the suppression table (suppression-schema.ts `failureKeyOf`). */
  readonly failureKey: string;
  /** Where the failure happens. */
  readonly scope: FailureScope;
  /** The shared fingerprint. */
  readonly fingerprint: string;
  /** Incidents with this fingerprint in the delivery. */
  readonly count: number;
  /** The earliest of its most severe incidents: what the alert shows. */
  readonly representative: Incident;
  /**
   * The lease owner for this failure in this delivery: derived from the delivery's content (the failure's key and
   * its first incident in delivery order), so that every retry of the same delivery (Lambda's async retries keep the event; a
   * Kinesis retry carries the same records) owns the lease the first attempt took, and takes it over at once.
   */
  readonly ownerId: string;
}

/** Alert messages per delivery when not configured. */
export const DEFAULT_MAX_ALERTS_PER_DELIVERY = 10;
/** Longest lease when not configured. */
export const DEFAULT_LEASE_MS = 60_000;

/**
 * Groups a delivery's incidents by failure (account, log group, fingerprint), in order of first appearance. The
 * representative is the earliest incident of the group's highest severity, so an alert never shows an ERROR line
 * while calling it FATAL.
 */
export function groupByFingerprint(incidents: readonly Incident[], ownerBasis: readonly Incident[] = incidents): FailureGroup[] {
  // The owner's basis: the failure's first incident in delivery order. A Kinesis retry starts at the lowest failed
  // record, which is at or before the first record holding an unalerted failure, and may add later records: neither
  // changes which incident comes first. (The smallest id would: a later record can hold a smaller one.)
  const firstIds = new Map<string, string>();
  for (const incident of ownerBasis) {
    const key = failureKeyOf({ accountId: incident.accountId, logGroup: incident.logGroup, fingerprint: incident.fingerprint });
    if (!firstIds.has(key)) firstIds.set(key, incident.incidentId);
  }
  const groups = new Map<string, { scope: FailureScope; count: number; representative: Incident; firstId: string }>();
  for (const incident of incidents) {
    const scope: FailureScope = { accountId: incident.accountId, logGroup: incident.logGroup, fingerprint: incident.fingerprint };
    const key = failureKeyOf(scope);
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, { scope, count: 1, representative: incident, firstId: firstIds.get(key) ?? incident.incidentId });
      continue;
    }
    group.count++;
    const worse = maxSeverity(group.representative.severity, incident.severity) !== group.representative.severity;
    if (worse) group.representative = incident;
  }
  return [...groups].map(([failureKey, { scope, count, representative, firstId }]) => ({
    failureKey,
    scope,
    fingerprint: scope.fingerprint,
    count,
    representative,
    ownerId: createHash("sha256").update(`${failureKey}\n${firstId}`, "utf8").digest("hex").slice(0, 32),
  }));
}

/** Failures a {@link RealtimeAlertError} message names one by one; the rest are counted. */
const MAX_LISTED_FAILURES = 20;

/**
 * Real-time alerts failed for some failures of a delivery. The incidents were written before alerting began;
 * every lease whose alert was not published was released (or expires with the invocation), so Lambda's retry of
 * the delivery alerts for them (and rewrites the same incidents). The message lists fingerprints and why.
 */
export class RealtimeAlertError extends Error {
  /** Fingerprints whose alert was not published. */
  public readonly fingerprints: readonly string[];
  /** Failure keys (suppression-schema.ts) whose alert was not published: which deliveries must be retried. */
  public readonly failureKeys: ReadonlySet<string>;
  /** What was done for the others. */
  public readonly outcome: AlertOutcome;

  constructor(failures: readonly Failure[], total: number, outcome: AlertOutcome, cause?: unknown) {
    const listed = failures.slice(0, MAX_LISTED_FAILURES).map((f) => `${f.group.fingerprint} in ${f.group.scope.logGroup}: ${f.reason}`);
    if (failures.length > MAX_LISTED_FAILURES) listed.push(`and ${failures.length - MAX_LISTED_FAILURES} more`);
    super(
      `Real-time alerts failed for ${failures.length} of ${total} failures in the delivery (incidents are written; ` +
        `Lambda's retry alerts again): ${listed.join("; ")}`,
      cause === undefined ? undefined : { cause },
    );
    this.name = "RealtimeAlertError";
    this.fingerprints = failures.map((f) => f.group.fingerprint);
    this.failureKeys = new Set(failures.map((f) => f.group.failureKey));
    this.outcome = outcome;
  }
}

type Failure = { readonly group: FailureGroup; readonly reason: string; readonly cause?: unknown };

/** Pages (FATAL, CRITICAL) first, then the most frequent, then order of appearance: who gets an alert by name. */
function alertOrder(groups: readonly FailureGroup[]): FailureGroup[] {
  return groups
    .map((group, index) => ({ group, index }))
    .sort(
      (a, b) =>
        Number(isPage(b.group.representative.severity)) - Number(isPage(a.group.representative.severity)) ||
        b.group.count - a.group.count ||
        a.index - b.index,
    )
    .map(({ group }) => group);
}

/**
 * Alerts every failure of the incidents (one invocation's: a direct delivery, or every record of a Kinesis batch,
 * so that storm control holds per invocation) that is not muted and has not alerted within its window.
 *
 * Every failure is claimed (one conditional write; see DynamoDbSuppressionStore). Of those claimed, pages first,
 * then the most frequent: the first `maxAlertsPerDelivery` get an alert each, the rest one digest. A lease becomes
 * `sent` only after SNS accepted its message; when a publish fails, or the deadline comes before it could start, the
 * lease is released (or expires with the invocation). A failure whose lease another live owner holds is a failure
 * of this delivery too: it has not been published, so the delivery must not report success for it.
 *
 * @throws RealtimeAlertError after everything else was done, naming the failures not alerted, so that Lambda's retry
 *   (or the Kinesis retry of their records) alerts for them.
 */
export async function raiseRealtimeAlerts(
  incidents: readonly Incident[],
  alerting: RealtimeAlerting,
  deadline?: AlertDeadline,
  ownerBasis: readonly Incident[] = incidents,
): Promise<AlertOutcome> {
  const groups = alertOrder(groupByFingerprint(incidents, ownerBasis));
  if (groups.length === 0) return { published: 0, suppressed: 0, digested: 0, muted: 0 };
  const nowMs = alerting.now();
  const leaseExpiresAtMs = Math.min(nowMs + (alerting.leaseMs ?? DEFAULT_LEASE_MS), deadline?.deadlineMs ?? Infinity);
  const maxAlerts = alerting.maxAlertsPerDelivery ?? DEFAULT_MAX_ALERTS_PER_DELIVERY;
  const concurrency = alerting.concurrency ?? 16;
  const timeLeft = (): boolean => deadline === undefined || alerting.now() < deadline.stopStartingAtMs;
  // Claims may use half the time left: every claim needs its publish and confirmation (or release) after it, which cost
  // about as much. A storm too large for one invocation then still alerts what it claimed, and fails for the rest
  // (Lambda's retry finds those sent and claims the next ones), instead of claiming until no time is left to publish.
  const claimUntilMs = deadline === undefined ? Infinity : nowMs + Math.max(0, deadline.stopStartingAtMs - nowMs) / 2;
  const claimTimeLeft = (): boolean => alerting.now() < claimUntilMs;
  const failures: Failure[] = [];
  const fail = (group: FailureGroup, reason: string, cause?: unknown): void => {
    failures.push({ group, reason, ...(cause === undefined ? {} : { cause }) });
  };

  // 1. A claim per failure: the lease, or the reason there is nothing to publish.
  const claims = await mapWithConcurrency(groups, concurrency, async (group) => {
    if (!claimTimeLeft()) return { kind: "late" as const };
    try {
      return { kind: "done" as const, claim: await alerting.suppression.claim(group.scope, group.count, nowMs, group.ownerId, leaseExpiresAtMs) };
    } catch (error) {
      return { kind: "failed" as const, error };
    }
  });
  const held: { group: FailureGroup; seenCount: number }[] = [];
  let suppressed = 0;
  let muted = 0;
  claims.forEach((result, index) => {
    const group = groups[index] as FailureGroup;
    if (result.kind === "late") fail(group, "not claimed: the invocation's deadline was near");
    else if (result.kind === "failed") fail(group, describe(result.error), result.error);
    else if (result.claim.claimed) held.push({ group, seenCount: result.claim.seenCount });
    else if (result.claim.state === "held") fail(group, "another invocation holds its alert lease and has not published yet");
    else {
      suppressed++;
      if (result.claim.state === "muted") muted++;
    }
  });

  // 2. One alert each for the first, then one digest for the rest.
  const individual = held.slice(0, maxAlerts);
  const digest = held.slice(maxAlerts).map(({ group }) => group);
  const publishedIndividually = await mapWithConcurrency(individual, 4, async ({ group, seenCount }) => {
    const alert = formatAlert(alertFactsOf(group.representative, { seenCount, windowMinutes: alerting.windowMinutes, region: alerting.region }));
    return publishHeld([group], alert, alerting, leaseExpiresAtMs, timeLeft, fail);
  });
  let published = publishedIndividually.filter(Boolean).length;
  if (digest.length > 0) {
    const message = formatDigest(digest, { maxAlerts, windowMinutes: alerting.windowMinutes, region: alerting.region });
    if (await publishHeld(digest, message, alerting, leaseExpiresAtMs, timeLeft, fail)) published++;
  }

  const outcome: AlertOutcome = { published, suppressed, digested: digest.length, muted };
  if (failures.length > 0) {
    throw new RealtimeAlertError(failures, groups.length, outcome, failures.find((f) => f.cause !== undefined)?.cause);
  }
  return outcome;
}

/**
 * Publishes one message for the leases of `groups`, then confirms them (sent). When the deadline is near or
 * publishing fails, releases them instead and records a failure for each. Resolves true when the message was
 * accepted. A confirmation that fails is not a failure of the alert: the message was accepted, and the lease then
 * expires, so at worst the failure alerts once more (a duplicate, never a loss).
 */
async function publishHeld(
  groups: readonly FailureGroup[],
  message: AlertMessage,
  alerting: RealtimeAlerting,
  leaseExpiresAtMs: number,
  timeLeft: () => boolean,
  fail: (group: FailureGroup, reason: string, cause?: unknown) => void,
): Promise<boolean> {
  const concurrency = alerting.concurrency ?? 16;
  let problem: { reason: string; cause?: unknown } | undefined;
  if (!timeLeft()) {
    problem = { reason: "not published: the invocation's deadline was near" };
  } else {
    try {
      await alerting.publisher.publish(message);
    } catch (error) {
      problem = { reason: `publishing failed (${describe(error)})`, cause: error };
    }
  }
  if (problem === undefined) {
    await mapWithConcurrency(groups, concurrency, (group) => alerting.suppression.confirm(group.scope, group.ownerId).catch(() => false));
    return true;
  }
  const { reason, cause } = problem;
  await mapWithConcurrency(groups, concurrency, async (group) => {
    try {
      await alerting.suppression.release(group.scope, group.ownerId);
      fail(group, `${reason}; its lease was released`, cause);
    } catch (releaseError) {
      const expiry = new Date(leaseExpiresAtMs).toISOString();
      fail(
        group,
        `${reason}, and its lease could not be released (${describe(releaseError)}): a retry of this delivery takes it over, any other delivery once it expires at ${expiry}`,
        cause,
      );
    }
  });
  return false;
}

function describe(error: unknown): string {
  if (error instanceof Error)
    return error.name === "AlertSuppressionError" ? error.message : `${error.name}: ${error.message}`;
  return String(error);
}
