import { alertFactsOf, AlertMessage, formatAlert } from "./alert-message";
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
  /** Suppression windows shared by all invocations. */
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
   * A token unique to one invocation: it marks the windows this invocation opened, so that it releases only its
   * own. (A request id would not do: Lambda's retries of an asynchronous invocation keep the original's.)
   */
  readonly newOwnerId: () => string;
  /**
   * Failures handled at once (each is one or two DynamoDB calls and maybe one SNS call).
   * @default 4
   */
  readonly concurrency?: number;
}

/** What alerting did for one delivery. */
export interface AlertOutcome {
  /** Alerts published: failures that opened a new suppression window. */
  readonly published: number;
  /** Failures counted into a window that was already open, so not alerted. */
  readonly suppressed: number;
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

/**
 * Real-time alerts failed for some failures of a delivery. The incidents were written before alerting began;
 * every window whose alert was not published was released, so Lambda's retry of the delivery alerts for them
 * (and rewrites the same incidents). The message lists each fingerprint and why.
 */
export class RealtimeAlertError extends Error {
  /** Fingerprints whose alert was not published. */
  public readonly fingerprints: readonly string[];

  constructor(failures: readonly { fingerprint: string; reason: string }[], total: number, cause?: unknown) {
    super(
      `Real-time alerts failed for ${failures.length} of ${total} failures in the delivery (incidents are written; ` +
        `Lambda's retry alerts again): ${failures.map((f) => `${f.fingerprint}: ${f.reason}`).join("; ")}`,
      cause === undefined ? undefined : { cause },
    );
    this.name = "RealtimeAlertError";
    this.fingerprints = failures.map((f) => f.fingerprint);
  }
}

type GroupResult =
  | { readonly kind: "published" | "suppressed" }
  | { readonly kind: "failed"; readonly reason: string; readonly cause: unknown };

/**
 * For each failure in the incidents: claims its suppression window; when this invocation opened it, publishes
 * one alert; when the window was already open, only counts the occurrences. When a publish fails, the window is
 * released again and, after every failure was handled, {@link RealtimeAlertError} is thrown so that Lambda retries:
 * an alert is never lost between taking the window and publishing.
 *
 * @throws RealtimeAlertError when a claim or a publish failed; its message says, per fingerprint, what happened.
 */
export async function raiseRealtimeAlerts(
  incidents: readonly Incident[],
  alerting: RealtimeAlerting,
): Promise<AlertOutcome> {
  const groups = groupByFingerprint(incidents);
  if (groups.length === 0) return { published: 0, suppressed: 0 };
  const nowMs = alerting.now();
  const ownerId = alerting.newOwnerId();

  const results = await mapWithConcurrency(groups, alerting.concurrency ?? 4, async (group): Promise<GroupResult> => {
    let claim;
    try {
      claim = await alerting.suppression.claim(group.fingerprint, group.count, nowMs, ownerId);
    } catch (error) {
      return { kind: "failed", reason: describe(error), cause: error };
    }
    if (!claim.claimed) return { kind: "suppressed" };

    const alert = formatAlert(
      alertFactsOf(group.representative, {
        seenCount: claim.seenCount,
        windowMinutes: alerting.windowMinutes,
        region: alerting.region,
      }),
    );
    try {
      await alerting.publisher.publish(alert);
      return { kind: "published" };
    } catch (publishError) {
      const published = `publishing failed (${describe(publishError)})`;
      try {
        await alerting.suppression.release(group.fingerprint, ownerId);
        return { kind: "failed", reason: `${published}; its suppression window was released`, cause: publishError };
      } catch (releaseError) {
        const quietUntil = new Date(nowMs + alerting.windowMinutes * 60_000).toISOString();
        return {
          kind: "failed",
          reason: `${published} and its suppression window could not be released (${describe(
            releaseError,
          )}), so it stays quiet until ${quietUntil}`,
          cause: publishError,
        };
      }
    }
  });

  const failures = results.flatMap((result, index) =>
    result.kind === "failed"
      ? [{ fingerprint: (groups[index] as FailureGroup).fingerprint, reason: result.reason, cause: result.cause }]
      : [],
  );
  if (failures.length > 0) throw new RealtimeAlertError(failures, groups.length, failures[0]?.cause);
  return {
    published: results.filter((result) => result.kind === "published").length,
    suppressed: results.filter((result) => result.kind === "suppressed").length,
  };
}

function describe(error: unknown): string {
  if (error instanceof Error)
    return error.name === "AlertSuppressionError" ? error.message : `${error.name}: ${error.message}`;
  return String(error);
}
