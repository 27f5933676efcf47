import { createHash } from "node:crypto";
import { alertFactsOf, AlertMessage, DigestStorm, errorFirstLine, formatAlert, formatDigest, MAX_DIGEST_ENTRIES } from "./alert-message";
import { mapWithConcurrency } from "./concurrency";
import { Incident } from "./incident";
import { maxSeverity } from "./severity";
import { isPage } from "./severity-routing";
import { DEFAULT_STORM_THRESHOLD } from "./config";
import { Occurrence, SuppressionStore, TriageTransition } from "./suppression-store";
import { releaseOrder } from "./release";

/** The Lambda version of unpublished code, in a log stream's name (`[$LATEST]`): a release of no particular code. */
const UNPUBLISHED_LAMBDA_VERSION = "$LATEST";
import { FailureScope, failureKeyOf, MAX_FAILURE_TEXT_CHARS, STORM_FINGERPRINT } from "./suppression-schema";
import { firstCodePoints } from "./well-formed";

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
  /**
   * Storms: when an invocation holds more than `maxAlertsPerDelivery + stormThreshold` distinct failures that do not
   * page, it claims failures one by one only until `maxAlertsPerDelivery` are held (and every page), and counts the
   * rest per log group in the digest, with one write per log group instead of two per failure.
   * @default 100
   */
  readonly stormThreshold?: number;
}


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
  /** Of the digested failures, those counted in a log group's storm (no claim of their own). */
  readonly stormed?: number;
  /** Of the published failures, those announced as regressed or as no longer ignored (triage transitions). */
  readonly reopened?: number;
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
  /** The release of its occurrences, where the logs carry one: what its claim compares with a resolution's release. */
  readonly occurrence: Occurrence;
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
  type Building = { scope: FailureScope; count: number; representative: Incident; firstId: string; members: Incident[] };
  const groups = new Map<string, Building>();
  for (const incident of incidents) {
    const scope: FailureScope = { accountId: incident.accountId, logGroup: incident.logGroup, fingerprint: incident.fingerprint };
    const key = failureKeyOf(scope);
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, { scope, count: 1, representative: incident, firstId: firstIds.get(key) ?? incident.incidentId, members: [incident] });
      continue;
    }
    group.count++;
    group.members.push(incident);
    const worse = maxSeverity(group.representative.severity, incident.severity) !== group.representative.severity;
    if (worse) group.representative = incident;
  }
  return [...groups].map(([failureKey, { scope, count, representative, firstId, members }]) => ({
    failureKey,
    scope,
    fingerprint: scope.fingerprint,
    count,
    representative,
    ownerId: createHash("sha256").update(`${failureKey}\n${firstId}`, "utf8").digest("hex").slice(0, 32),
    occurrence: occurrenceOf(members),
  }));
}

/**
 * The release facts of a failure's occurrences: the release of the latest that carried one, and the order its claim
 * compares with a resolution's release: the highest, or none when any occurrence's release is missing or not comparable
 * (an unknown release is never taken for an old one, so a resolved failure regresses).
 */
export function occurrenceOf(incidents: readonly Incident[]): Occurrence {
  let latest: Incident | undefined;
  let order: number | undefined = -1;
  for (const incident of incidents) {
    if (incident.release !== undefined && (latest === undefined || incident.timestampMs >= latest.timestampMs)) latest = incident;
    const own = incident.release === undefined ? undefined : releaseOrder(incident.release);
    order = own === undefined || order === undefined ? undefined : Math.max(order, own);
  }
  return { ...(latest?.release === undefined ? {} : { release: latest.release }), ...(order === undefined || order < 0 ? {} : { releaseOrder: order }) };
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
 * Storms: with more than `maxAlertsPerDelivery + stormThreshold` failures that do not page, claiming each would cost
 * two writes per failure (10,000 failures: 20,000 conditional writes in one invocation). Then every page is still
 * claimed, and the `maxAlertsPerDelivery` most frequent others; the rest are counted into their log group's storm item
 * (`<account>|<log group>|storm`), which goes through the same claim as a failure: claimed, the storm is announced in
 * the digest (with those of its failures a consistent read shows neither muted nor alerted within their window, by
 * name), then confirmed; already announced within its window, or muted, it is only counted; held by another live
 * owner, its failures fail. Storm failures get no window of their own: each alerts on its own when it next occurs
 * outside a storm. So a failure of this invocation is claimed (alerted, suppressed, muted or failed), or counted into
 * a storm announced within the window (now or earlier), or muted as a storm, or its delivery fails.
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

  // 1. A claim per failure (in a storm: per page, and per other failure until the alert limit is held): the lease, or
  //    the reason there is nothing to publish.
  const held: Held[] = [];
  let suppressed = 0;
  let muted = 0;
  const claimAll = async (batch: readonly FailureGroup[]): Promise<void> => {
    const claims = await mapWithConcurrency(batch, concurrency, async (group) => {
      if (!claimTimeLeft()) return { kind: "late" as const };
      try {
        const occurrence = { ...group.occurrence, text: failureTextOf(group.representative) };
        return { kind: "done" as const, claim: await alerting.suppression.claim(group.scope, group.count, nowMs, group.ownerId, leaseExpiresAtMs, occurrence) };
      } catch (error) {
        return { kind: "failed" as const, error };
      }
    });
    claims.forEach((result, index) => {
      const group = batch[index] as FailureGroup;
      if (result.kind === "late") fail(group, "not claimed: the invocation's deadline was near");
      else if (result.kind === "failed") fail(group, describe(result.error), result.error);
      else if (result.claim.claimed) {
        const { seenCount, transition, firstSeen, firstRelease } = result.claim;
        held.push({ group, seenCount, ...(transition === undefined ? {} : { transition }), ...(firstSeen === true ? { firstSeen } : {}), ...(firstRelease === undefined ? {} : { firstRelease }) });
      }
      else if (result.claim.state === "held") fail(group, "another invocation holds its alert lease and has not published yet");
      else {
        suppressed++;
        if (result.claim.state === "muted") muted++;
      }
    });
  };
  const pages = groups.filter((group) => isPage(group.representative.severity));
  const others = groups.filter((group) => !isPage(group.representative.severity));
  const storming = others.length > maxAlerts + (alerting.stormThreshold ?? DEFAULT_STORM_THRESHOLD) ? others.slice(maxAlerts) : [];
  const storms = stormsOf(storming, ownerBasis);
  await claimAll(storming.length === 0 ? groups : [...pages, ...others.slice(0, maxAlerts)]);

  // The storms: each log group's storm item is claimed like a failure (a storm's failures are its own failures).
  const stormClaims = await mapWithConcurrency(storms, concurrency, async (storm) => {
    if (!claimTimeLeft()) return { kind: "late" as const };
    try {
      return { kind: "done" as const, claim: await alerting.suppression.claim(storm.group.scope, storm.group.count, nowMs, storm.group.ownerId, leaseExpiresAtMs) };
    } catch (error) {
      return { kind: "failed" as const, error };
    }
  });
  const announced: Storm[] = [];
  let stormed = 0;
  stormClaims.forEach((result, index) => {
    const storm = storms[index] as Storm;
    const failAll = (reason: string, cause?: unknown) => storm.members.forEach((group) => fail(group, reason, cause));
    if (result.kind === "late") failAll("its log group's storm was not counted: the invocation's deadline was near");
    else if (result.kind === "failed") failAll(`its log group's storm could not be counted (${describe(result.error)})`, result.error);
    else if (result.claim.claimed) announced.push(storm);
    else if (result.claim.state === "held") failAll("another invocation holds its log group's storm lease and has not published yet");
    else {
      // Announced within its window (or the storm is muted): counted into it.
      suppressed += storm.members.length;
      stormed += storm.members.length;
      if (result.claim.state === "muted") muted += storm.members.length;
    }
  });

  // 2. One alert each for the first (pages, then triage transitions: a regression is news), then one digest for the
  //    rest: claimed failures, and the storms announced now.
  const ordered = held
    .map((entry, index) => ({ entry, index }))
    .sort(
      (a, b) =>
        Number(isPage(b.entry.group.representative.severity)) - Number(isPage(a.entry.group.representative.severity)) ||
        Number(b.entry.transition !== undefined) - Number(a.entry.transition !== undefined) ||
        a.index - b.index,
    )
    .map(({ entry }) => entry);
  const individual = ordered.slice(0, maxAlerts);
  const digestHeld = ordered.slice(maxAlerts);
  const digest = digestHeld.map(({ group }) => group);
  const transitions = new Map<string, TriageTransition>();
  for (const entry of held) if (entry.transition !== undefined) transitions.set(entry.group.failureKey, entry.transition);
  const confirmWith = { transitions, nowMs };
  const publishedIndividually = await mapWithConcurrency(individual, 4, async ({ group, seenCount, transition, firstSeen, firstRelease }) => {
    const alert = formatAlert(
      alertFactsOf(group.representative, {
        seenCount,
        windowMinutes: alerting.windowMinutes,
        region: alerting.region,
        ...(transition === undefined ? {} : { transition }),
        ...(group.occurrence.release === undefined ? {} : { release: group.occurrence.release }),
        // "$LATEST" names no release (a Lambda function's unpublished code): no "new in release" for it.
        ...(firstSeen === true && firstRelease !== undefined && firstRelease !== UNPUBLISHED_LAMBDA_VERSION ? { newInRelease: firstRelease } : {}),
      }),
    );
    return publishHeld([group], alert, alerting, leaseExpiresAtMs, timeLeft, fail, confirmWith);
  });
  let published = publishedIndividually.filter(Boolean).length;
  let digested = digest.length;
  const reopened = (entries: readonly Held[]): number => entries.filter((entry) => entry.transition !== undefined).length;
  let reopenedCount = reopened(individual.filter((_, i) => publishedIndividually[i] === true));
  if (digest.length > 0 || announced.length > 0) {
    const parts = await stormParts(announced, alerting, nowMs, timeLeft);
    const message = formatDigest(
      digestHeld.map(({ group, transition }) => (transition === undefined ? group : { ...group, note: transitionLabel(transition) })),
      { maxAlerts, windowMinutes: alerting.windowMinutes, region: alerting.region },
      parts,
    );
    // A storm's lease stands for its failures: when the digest is not published, they fail, not the storm item.
    const stormOf = new Map(announced.map((storm) => [storm.group.failureKey, storm]));
    const failMember = (group: FailureGroup, reason: string, cause?: unknown): void => {
      const storm = stormOf.get(group.failureKey);
      if (storm === undefined) fail(group, reason, cause);
      else storm.members.forEach((member) => fail(member, `counted in its log group's storm: ${reason}`, cause));
    };
    if (await publishHeld([...digest, ...announced.map((storm) => storm.group)], message, alerting, leaseExpiresAtMs, timeLeft, failMember, confirmWith)) {
      published++;
      reopenedCount += reopened(digestHeld);
      const announcedFailures = announced.reduce((sum, storm) => sum + storm.members.length, 0);
      stormed += announcedFailures;
      digested += announcedFailures;
    }
  }

  const outcome: AlertOutcome = { published, suppressed, digested, muted, stormed, reopened: reopenedCount };
  if (failures.length > 0) {
    throw new RealtimeAlertError(failures, groups.length, outcome, failures.find((f) => f.cause !== undefined)?.cause);
  }
  return outcome;
}

/** The text a claim keeps on the failure's item: the error's first line, cut to MAX_FAILURE_TEXT_CHARS code points. */
export function failureTextOf(incident: Incident): string {
  return firstCodePoints(errorFirstLine(incident.message), MAX_FAILURE_TEXT_CHARS);
}

/** A failure this invocation holds the alert lease of, and what its claim found. */
interface Held {
  readonly group: FailureGroup;
  readonly seenCount: number;
  readonly transition?: TriageTransition;
  readonly firstSeen?: boolean;
  readonly firstRelease?: string;
}

/** The few words a digest entry adds for a triage transition. */
export function transitionLabel(transition: TriageTransition): string {
  return transition.kind === "regressed" ? "REGRESSED: it was resolved" : `no longer ignored: ${transition.why}`;
}

/** A log group's storm in one invocation: its storm item (as a failure group, for the lease) and the failures in it. */
interface Storm {
  readonly group: FailureGroup;
  readonly members: readonly FailureGroup[];
}

/** The storms of the failures counted instead of claimed, one per account and log group, in order of appearance. */
function stormsOf(storming: readonly FailureGroup[], ownerBasis: readonly Incident[]): Storm[] {
  const byGroup = new Map<string, FailureGroup[]>();
  for (const group of storming) {
    const key = failureKeyOf({ accountId: group.scope.accountId, logGroup: group.scope.logGroup, fingerprint: STORM_FINGERPRINT });
    byGroup.set(key, [...(byGroup.get(key) ?? []), group]);
  }
  const memberKeys = new Set(storming.map((group) => group.failureKey));
  return [...byGroup].map(([failureKey, members]) => {
    const first = members[0] as FailureGroup;
    const scope: FailureScope = { accountId: first.scope.accountId, logGroup: first.scope.logGroup, fingerprint: STORM_FINGERPRINT };
    // The owner, like a failure's: the storm's key and its first incident in delivery order (of its members' incidents).
    const firstIncident = ownerBasis.find((incident) => memberKeys.has(failureKeyOf(incident)) && incident.logGroup === scope.logGroup && incident.accountId === scope.accountId);
    const representative = members.reduce((worst, group) =>
      maxSeverity(worst.representative.severity, group.representative.severity) === worst.representative.severity ? worst : group,
    ).representative;
    return {
      group: {
        failureKey,
        scope,
        fingerprint: STORM_FINGERPRINT,
        count: members.reduce((sum, group) => sum + group.count, 0),
        representative,
        ownerId: createHash("sha256").update(`${failureKey}\n${firstIncident?.incidentId ?? first.representative.incidentId}`, "utf8").digest("hex").slice(0, 32),
        occurrence: {},
      },
      members,
    };
  });
}

/**
 * The digest's part for each storm announced: counts, and the most frequent of its failures that a consistent read
 * shows neither muted nor alerted within their window (a read that fails names none: an error is never taken as
 * "not muted").
 */
async function stormParts(storms: readonly Storm[], alerting: RealtimeAlerting, nowMs: number, timeLeft: () => boolean): Promise<DigestStorm[]> {
  const candidatesOf = (storm: Storm) => [...storm.members].sort((a, b) => b.count - a.count).slice(0, MAX_DIGEST_ENTRIES * 2);
  const candidates = storms.flatMap(candidatesOf);
  let states = new Map<string, string>();
  if (candidates.length > 0 && timeLeft()) {
    try {
      states = await alerting.suppression.readAlertStates(candidates.map((group) => group.scope), nowMs);
    } catch {
      states = new Map();
    }
  }
  return storms.map((storm) => ({
    accountId: storm.group.scope.accountId,
    logGroup: storm.group.scope.logGroup,
    failures: storm.members.length,
    occurrences: storm.group.count,
    severity: storm.group.representative.severity,
    named: candidatesOf(storm)
      .filter((group) => {
        const state = states.get(group.failureKey);
        return state === "quiet" || state === "held";
      })
      .slice(0, MAX_DIGEST_ENTRIES),
  }));
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
  confirmWith?: { readonly transitions: ReadonlyMap<string, TriageTransition>; readonly nowMs: number },
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
    await mapWithConcurrency(groups, concurrency, (group) => {
      const transition = confirmWith?.transitions.get(group.failureKey);
      return alerting.suppression
        .confirm(group.scope, group.ownerId, transition === undefined || confirmWith === undefined ? undefined : { transition, nowMs: confirmWith.nowMs })
        .catch(() => false);
    });
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
