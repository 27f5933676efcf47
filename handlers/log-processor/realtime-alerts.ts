import { alertFactsOf, AlertMessage, formatAlert, formatDigest } from "./alert-message";
import { mapWithConcurrency } from "./concurrency";
import { Incident } from "./incident";
import { maxSeverity } from "./severity";
import { SuppressionStore } from "./suppression-store";

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
   * A token unique to one invocation: it marks the leases this invocation holds, so that it confirms and releases
   * only its own. (A request id would not do: Lambda's retries of an asynchronous invocation keep the original's.)
   */
  readonly newOwnerId: () => string;
  /**
   * Longest a lease is held, in milliseconds; it never outlives the invocation's deadline either.
   * @default 60000
   */
  readonly leaseMs?: number;
  /**
   * Alert messages one delivery may publish; further failures go into one digest message.
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
  /** Failures that were only counted: they alerted within their window, or another invocation is alerting them. */
  readonly suppressed: number;
  /** Failures alerted through the digest (0 when every failure had its own alert). */
  readonly digested: number;
  /** Of the suppressed failures, those muted (`npm run incidents -- mute`): counted, not alerted. */
  readonly muted?: number;
}

/** One failure (fingerprint) in a delivery: how often it occurs and the incident that represents it. */
export interface FailureGroup {
  /** The shared fingerprint. */
  readonly fingerprint: string;
  /** Incidents with this fingerprint in the delivery. */
  readonly count: number;
  /** The earliest of its most severe incidents: what the alert shows. */
  readonly representative: Incident;
}

/** Alert messages per delivery when not configured. */
export const DEFAULT_MAX_ALERTS_PER_DELIVERY = 10;
/** Longest lease when not configured. */
export const DEFAULT_LEASE_MS = 60_000;

/**
 * Groups a delivery's incidents by fingerprint, in order of first appearance. The representative is the earliest
 * incident of the group's highest severity, so an alert never shows an ERROR line while calling it FATAL.
 */
export function groupByFingerprint(incidents: readonly Incident[]): FailureGroup[] {
  const groups = new Map<string, { count: number; representative: Incident }>();
  for (const incident of incidents) {
    const group = groups.get(incident.fingerprint);
    if (group === undefined) {
      groups.set(incident.fingerprint, { count: 1, representative: incident });
      continue;
    }
    group.count++;
    const worse = maxSeverity(group.representative.severity, incident.severity) !== group.representative.severity;
    if (worse) group.representative = incident;
  }
  return [...groups].map(([fingerprint, { count, representative }]) => ({ fingerprint, count, representative }));
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

  constructor(failures: readonly { fingerprint: string; reason: string }[], total: number, cause?: unknown) {
    const listed = failures.slice(0, MAX_LISTED_FAILURES).map((f) => `${f.fingerprint}: ${f.reason}`);
    if (failures.length > MAX_LISTED_FAILURES) listed.push(`and ${failures.length - MAX_LISTED_FAILURES} more`);
    super(
      `Real-time alerts failed for ${failures.length} of ${total} failures in the delivery (incidents are written; ` +
        `Lambda's retry alerts again): ${listed.join("; ")}`,
      cause === undefined ? undefined : { cause },
    );
    this.name = "RealtimeAlertError";
    this.fingerprints = failures.map((f) => f.fingerprint);
  }
}

type Failure = { readonly fingerprint: string; readonly reason: string; readonly cause?: unknown };

/**
 * For the failures in the incidents, most frequent first: the first `maxAlertsPerDelivery` that need an alert
 * each take their alert lease (or count into the open window) and publish one alert; the rest go into one digest
 * message, whose failures get their sent windows once SNS accepted it. A lease becomes `sent` only after SNS
 * accepted its message; when a publish fails, or the deadline comes before it could start, its lease is released
 * and {@link RealtimeAlertError} is thrown after everything else was done, so that Lambda's retry alerts for
 * them. A lease that could not be released expires with the invocation.
 *
 * @throws RealtimeAlertError when a claim or a publish failed or was not started in time.
 */
export async function raiseRealtimeAlerts(
  incidents: readonly Incident[],
  alerting: RealtimeAlerting,
  deadline?: AlertDeadline,
): Promise<AlertOutcome> {
  // Most frequent first (stable), so the individual alerts go to the failures that matter most.
  const groups = groupByFingerprint(incidents).sort((a, b) => b.count - a.count);
  if (groups.length === 0) return { published: 0, suppressed: 0, digested: 0 };
  const nowMs = alerting.now();
  const ownerId = alerting.newOwnerId();
  const leaseExpiresAtMs = Math.min(nowMs + (alerting.leaseMs ?? DEFAULT_LEASE_MS), deadline?.deadlineMs ?? Infinity);
  const maxAlerts = alerting.maxAlertsPerDelivery ?? DEFAULT_MAX_ALERTS_PER_DELIVERY;
  const concurrency = alerting.concurrency ?? 16;
  const timeLeft = (): boolean => deadline === undefined || alerting.now() < deadline.stopStartingAtMs;
  const failures: Failure[] = [];
  const fail = (fingerprint: string, reason: string, cause?: unknown): void => {
    failures.push({ fingerprint, reason, ...(cause === undefined ? {} : { cause }) });
  };

  // A storm (more failures than alerts allowed): read once which failures need no alert, so that only the
  // most frequent of the rest take leases one by one, and the others go into the digest without per-failure
  // writes before it is published (see DynamoDbSuppressionStore, step 5). Their occurrences are not counted.
  let suppressed = 0;
  let loud = groups;
  if (groups.length > maxAlerts) {
    const quiet = await alerting.suppression.quietOnes(
      groups.map((group) => group.fingerprint),
      nowMs,
    );
    loud = groups.filter((group) => !quiet.has(group.fingerprint));
    suppressed += groups.length - loud.length;
  }
  const individual = loud.slice(0, maxAlerts);
  const digest = loud.slice(maxAlerts);

  // 1. Leases for the failures that get their own alert.
  const claims = await mapWithConcurrency(individual, concurrency, async (group) => {
    if (!timeLeft()) return { kind: "late" as const };
    try {
      return { kind: "done" as const, claim: await alerting.suppression.claim(group.fingerprint, group.count, nowMs, ownerId, leaseExpiresAtMs) };
    } catch (error) {
      return { kind: "failed" as const, error };
    }
  });
  const held: { group: FailureGroup; seenCount: number }[] = [];
  let muted = 0;
  claims.forEach((result, index) => {
    const group = individual[index] as FailureGroup;
    if (result.kind === "late") fail(group.fingerprint, "not claimed: the invocation's deadline was near");
    else if (result.kind === "failed") fail(group.fingerprint, describe(result.error), result.error);
    else if (result.claim.claimed) held.push({ group, seenCount: result.claim.seenCount });
    else {
      suppressed++;
      if (result.claim.state === "muted") muted++;
    }
  });

  // 2. One alert each, then one digest for the rest.
  const publishedIndividually = await mapWithConcurrency(held, 4, async ({ group, seenCount }) => {
    const alert = formatAlert(
      alertFactsOf(group.representative, { seenCount, windowMinutes: alerting.windowMinutes, region: alerting.region }),
    );
    return publishHeld([group.fingerprint], alert, alerting, ownerId, leaseExpiresAtMs, timeLeft, fail);
  });
  let published = publishedIndividually.filter(Boolean).length;
  if (digest.length > 0) {
    const message = formatDigest(digest, { maxAlerts, windowMinutes: alerting.windowMinutes, region: alerting.region });
    let problem: { reason: string; cause?: unknown } | undefined;
    if (!timeLeft()) {
      problem = { reason: "not published in the digest: the invocation's deadline was near" };
    } else {
      try {
        await alerting.publisher.publish(message);
      } catch (error) {
        problem = { reason: `the digest could not be published (${describe(error)})`, cause: error };
      }
    }
    if (problem === undefined) {
      published++;
      await alerting.suppression
        .markSent(
          digest.map((group) => ({ fingerprint: group.fingerprint, count: group.count })),
          nowMs,
          ownerId,
        )
        .catch(() => 0);
    } else {
      for (const group of digest) fail(group.fingerprint, problem.reason, problem.cause);
    }
  }

  if (failures.length > 0) throw new RealtimeAlertError(failures, groups.length, failures.find((f) => f.cause !== undefined)?.cause);
  return { published, suppressed, digested: digest.length, muted };
}

/**
 * Publishes one message for the leases of `fingerprints`, then confirms them (sent). When the deadline is near or
 * publishing fails, releases them instead and records a failure for each. Resolves true when the message was
 * accepted. A confirmation that fails is not a failure of the alert: the message was accepted, and the lease then
 * expires, so at worst the failure alerts once more (a duplicate, never a loss).
 */
async function publishHeld(
  fingerprints: readonly string[],
  message: AlertMessage,
  alerting: RealtimeAlerting,
  ownerId: string,
  leaseExpiresAtMs: number,
  timeLeft: () => boolean,
  fail: (fingerprint: string, reason: string, cause?: unknown) => void,
): Promise<boolean> {
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
    await mapWithConcurrency(fingerprints, alerting.concurrency ?? 16, (fingerprint) =>
      alerting.suppression.confirm(fingerprint, ownerId).catch(() => false),
    );
    return true;
  }
  const { reason, cause } = problem;
  await mapWithConcurrency(fingerprints, alerting.concurrency ?? 16, async (fingerprint) => {
    try {
      await alerting.suppression.release(fingerprint, ownerId);
      fail(fingerprint, `${reason}; its lease was released`, cause);
    } catch (releaseError) {
      const expiry = new Date(leaseExpiresAtMs).toISOString();
      fail(
        fingerprint,
        `${reason}, and its lease could not be released (${describe(releaseError)}), so the next delivery alerts once it expires at ${expiry}`,
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
