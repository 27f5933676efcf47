/**
 * One sweep of the quiet-again state machine (episodes.ts; docs/alert-state-machine.md, "Quiet-again notices"):
 *
 * 1. find every quiet episode (consistent Scan);
 * 2. claim each notice (conditional, bounded concurrency);
 * 3. publish, only what was claimed: one notice per episode, or, when more than {@link SUMMARY_THRESHOLD} were
 *    claimed (a storm ended), one summary for all of them;
 * 4. close each published episode (conditional, idempotent), or release its claim when SNS did not accept it, so the
 *    next sweep tries again.
 *
 * Every quiet episode is attempted on every sweep: a notice that fails is released and counted, and never holds
 * back the others (no per-sweep cap, no head-of-line blocking). Ports are passed in; the adapter (index.ts) owns the
 * SDK clients.
 */
import { AlertMessage } from "../log-processor/alert-message";
import { mapWithConcurrency } from "../log-processor/concurrency";
import { STORM_FINGERPRINT } from "../log-processor/suppression-schema";
import { claimNotice, closeNotice, CloseOutcome, EpisodeClient, hiddenInStorm, LatestIncident, latestIncident, QuietEpisode, releaseNotice, scanEpisodes } from "./episodes";
import { formatQuietNotice, formatQuietSummary, MAX_SUMMARY_ENTRIES } from "./quiet-notice";

/** More claimed quiet episodes than this in one sweep get one summary instead of a notice each. */
export const SUMMARY_THRESHOLD = 10;

/**
 * How long a notice claim holds against a different owner. Owners are derived from the episode, so a retried or
 * overlapping sweep takes its own claim over at once; the lease only matters against an owner of another version of
 * the episode, and is longer than a sweep may run (the function's 60 s timeout) so a live sweep is never overtaken.
 */
export const NOTICE_LEASE_MS = 5 * 60_000;

/** DynamoDB requests (claims, closes, releases) and publishes one sweep has in flight at most. */
export const SWEEP_CONCURRENCY = 16;

/**
 * Time kept free before the function's timeout: once less remains, no new claim is made, and a summary whose
 * publish could not finish in time is not attempted (its claims are released).
 */
export const SWEEP_RESERVE_MS = 20_000;

/** What a sweep needs. */
export interface SweepDependencies {
  readonly client: EpisodeClient;
  readonly suppressionTableName: string;
  readonly incidentsTableName: string;
  readonly windowMinutes: number;
  readonly region: string;
  /** Publishes one notice; rejects when SNS did not accept it (or did not answer). */
  readonly publish: (notice: AlertMessage) => Promise<void>;
  /** The sweep's clock (epoch ms); read once, at the start. */
  readonly now: () => number;
  /** Milliseconds left before the function's timeout. @default no deadline */
  readonly remainingMs?: () => number;
  /** @default SUMMARY_THRESHOLD */
  readonly summaryThreshold?: number;
  /** @default NOTICE_LEASE_MS */
  readonly leaseMs?: number;
  /** @default SWEEP_CONCURRENCY */
  readonly concurrency?: number;
  /** Receives one line per problem that did not stop the sweep (a close that failed after publishing, say). */
  readonly warn?: (line: string) => void;
}

/** What one sweep did. */
export interface SweepSummary {
  /** Quiet episodes found. */
  readonly quiet: number;
  /** Notices claimed by this sweep. */
  readonly claimed: number;
  /** Episodes whose notice SNS accepted and that this sweep closed (individually or through a summary). */
  readonly notified: number;
  /** Summary notices published (0 or 1). */
  readonly summaries: number;
  /** Episodes whose notice went out but that the failure's recurrence turned into a new episode at close. */
  readonly recurred: number;
  /** Episodes not claimed (recurred, muted or closed since the scan), or published but closed by another sweep. */
  readonly skipped: number;
  /** Episodes whose notice could not be published or claimed now (released: the next sweep tries again). */
  readonly failed: number;
  /** Episodes published but whose close failed (their claim lapses; the next sweep may send the notice again). */
  readonly closeErrors: number;
  /** Episodes left for the next sweep (not claimed, or released unpublished) because the function's deadline came near. */
  readonly deferred: number;
  /** Quiet-looking episodes held back because their log group's storm goes on (they may be occurring inside it). */
  readonly heldByStorm?: number;
  /** The failure keys of `failed`, for the log line. */
  readonly failedKeys: readonly string[];
  /** The first error behind `failed` or `closeErrors`. */
  readonly firstError?: string | undefined;
}

/** Some notices could not be published; they were released, so the next sweep tries again. */
export class QuietNoticeError extends Error {
  constructor(readonly summary: SweepSummary) {
    super(
      `Quiet-again notices failed for ${summary.failed} episode(s) (${summary.failedKeys.slice(0, 10).join(", ")}${summary.failedKeys.length > 10 ? ", ..." : ""}); ` +
        `released for the next sweep: ${summary.firstError ?? "unknown error"}`,
    );
    this.name = "QuietNoticeError";
  }
}

type Work = { readonly episode: QuietEpisode; claimed: boolean; error?: unknown };

/** Runs one sweep; never throws for one episode's failure (see {@link SweepSummary.failed}). */
export async function sweepQuietEpisodes(deps: SweepDependencies): Promise<SweepSummary> {
  const nowMs = deps.now();
  const remaining = deps.remainingMs ?? (() => Number.POSITIVE_INFINITY);
  const concurrency = deps.concurrency ?? SWEEP_CONCURRENCY;
  const leaseMs = deps.leaseMs ?? NOTICE_LEASE_MS;
  const threshold = deps.summaryThreshold ?? SUMMARY_THRESHOLD;
  const context = { windowMinutes: deps.windowMinutes, region: deps.region };
  const table = deps.suppressionTableName;
  const errors: unknown[] = [];
  const failedKeys: string[] = [];
  let deferred = 0;
  let skipped = 0;

  const quietSinceMs = nowMs - deps.windowMinutes * 60_000;
  const scan = await scanEpisodes(deps.client, table, nowMs, quietSinceMs);
  const quiet = scan.quiet.filter((episode) => !hiddenInStorm(episode, scan.stormLastSeen, quietSinceMs));
  const heldByStorm = scan.quiet.length - quiet.length;

  // Claim every quiet episode (no cap): a failed claim is one failed episode, not a failed sweep.
  // Claims may use half the time left above the reserve: every claim needs a close (or a release) after the publish,
  // which costs about as much, and closing must finish before the function's timeout.
  const claimUntilRemainingMs = SWEEP_RESERVE_MS + Math.max(0, remaining() - SWEEP_RESERVE_MS) / 2;
  const works: Work[] = quiet.map((episode) => ({ episode, claimed: false }));
  await mapWithConcurrency(works, concurrency, async (work) => {
    if (remaining() < claimUntilRemainingMs) {
      deferred++;
      return;
    }
    try {
      work.claimed = await claimNotice(deps.client, table, work.episode, nowMs, leaseMs);
      if (!work.claimed) skipped++;
    } catch (error) {
      fail(work, error);
    }
  });
  const claimed = works.filter((work) => work.claimed);

  function fail(work: Work, error: unknown): void {
    work.error = error;
    errors.push(error);
    failedKeys.push(work.episode.failureKey);
  }
  /** Releases a claim whose notice was not published; a failed release only delays the retry to the lease's end. */
  const release = async (work: Work): Promise<void> => {
    await releaseNotice(deps.client, table, work.episode).catch((error: unknown) =>
      deps.warn?.(`release of ${work.episode.failureKey} failed (the next sweep takes it over): ${describe(error)}`),
    );
  };
  const outcomes: (CloseOutcome | "close-error")[] = [];
  const close = async (work: Work): Promise<void> => {
    try {
      outcomes.push(await closeNotice(deps.client, table, work.episode, nowMs));
    } catch (error) {
      errors.push(error);
      outcomes.push("close-error");
      deps.warn?.(`close of ${work.episode.failureKey} failed after its notice was published: ${describe(error)}`);
    }
  };

  let summaries = 0;
  if (claimed.length > threshold) {
    // A storm ended: one summary for every claimed episode, then close them all; if SNS refuses it, release them all.
    if (remaining() < SWEEP_RESERVE_MS) {
      await mapWithConcurrency(claimed, concurrency, release);
      deferred += claimed.length;
      claimed.forEach((work) => (work.claimed = false));
    } else {
      const top = [...claimed].sort((a, b) => b.episode.count - a.episode.count).slice(0, MAX_SUMMARY_ENTRIES);
      const lines = new Map<string, LatestIncident>();
      await mapWithConcurrency(top, concurrency, async ({ episode }) => {
        const incident = await lineOf(deps, episode);
        if (incident !== undefined) lines.set(episode.failureKey, incident);
      });
      try {
        await deps.publish(formatQuietSummary(claimed.map((work) => work.episode), lines, context));
        summaries = 1;
        await mapWithConcurrency(claimed, concurrency, close);
      } catch (error) {
        claimed.forEach((work) => fail(work, error));
        await mapWithConcurrency(claimed, concurrency, release);
      }
    }
  } else {
    await mapWithConcurrency(claimed, concurrency, async (work) => {
      if (remaining() < SWEEP_RESERVE_MS) {
        // Too close to the function's timeout to publish and close: give the claim back for the next sweep.
        deferred++;
        await release(work);
        return;
      }
      try {
        await deps.publish(formatQuietNotice(work.episode, await lineOf(deps, work.episode), context));
      } catch (error) {
        fail(work, error);
        await release(work);
        return;
      }
      await close(work);
    });
  }

  const count = (outcome: CloseOutcome | "close-error") => outcomes.filter((o) => o === outcome).length;
  return {
    quiet: quiet.length,
    claimed: claimed.length,
    notified: count("closed") + count("closed-recurred"),
    summaries,
    recurred: count("closed-recurred"),
    skipped: skipped + count("superseded"),
    failed: failedKeys.length,
    closeErrors: count("close-error"),
    deferred,
    heldByStorm,
    failedKeys,
    firstError: errors.length === 0 ? undefined : describe(errors[0]),
  };
}

/** The episode's latest line: decoration only, so a failed read gives a notice without it rather than no notice. */
async function lineOf(deps: SweepDependencies, episode: QuietEpisode): Promise<LatestIncident | undefined> {
  if (episode.fingerprint === STORM_FINGERPRINT) return undefined; // a storm has no line of its own
  try {
    return await latestIncident(deps.client, deps.incidentsTableName, episode);
  } catch (error) {
    deps.warn?.(`latest incident of ${episode.failureKey} unreadable, notice sent without its line: ${describe(error)}`);
    return undefined;
  }
}

function describe(error: unknown): string {
  const { name, message } = (error ?? {}) as { name?: string; message?: string };
  return `${name ?? "Error"}: ${message ?? String(error)}`;
}
