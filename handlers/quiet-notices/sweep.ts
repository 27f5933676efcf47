/**
 * One sweep: find the episodes that went quiet, close each (conditionally) and publish its notice. Ports are passed
 * in; the adapter (index.ts) owns the SDK clients.
 */
import { AlertMessage } from "../log-processor/alert-message";
import { mapWithConcurrency } from "../log-processor/concurrency";
import { closeEpisode, EpisodeClient, findQuietEpisodes, latestIncident, reopenEpisode } from "./episodes";
import { formatQuietNotice } from "./quiet-notice";

/** Notices one sweep sends at most; the rest wait for the next sweep (a storm that ends must not flood a channel). */
export const MAX_NOTICES_PER_SWEEP = 50;

/** What a sweep needs. */
export interface SweepDependencies {
  readonly client: EpisodeClient;
  readonly suppressionTableName: string;
  readonly incidentsTableName: string;
  readonly windowMinutes: number;
  readonly region: string;
  /** Publishes one notice; rejects when SNS did not accept it. */
  readonly publish: (notice: AlertMessage) => Promise<void>;
  readonly now: () => number;
}

/** What one sweep did. */
export interface SweepSummary {
  /** Quiet episodes found. */
  readonly quiet: number;
  /** Notices published. */
  readonly notified: number;
  /** Episodes another sweep closed first, or that recurred since they were read. */
  readonly skipped: number;
  /** Episodes left for the next sweep (beyond the per-sweep limit). */
  readonly deferred: number;
}

/** Some notices could not be published; their episodes were reopened, so the next sweep tries again. */
export class QuietNoticeError extends Error {
  constructor(readonly fingerprints: readonly string[], cause: unknown) {
    super(`Quiet-again notices failed for ${fingerprints.length} episode(s) (${fingerprints.join(", ")}); reopened for the next sweep: ${String((cause as Error)?.message ?? cause)}`, { cause });
    this.name = "QuietNoticeError";
  }
}

/** Runs one sweep. @throws QuietNoticeError after the others were done, when some notices failed. */
export async function sweepQuietEpisodes(deps: SweepDependencies): Promise<SweepSummary> {
  const nowMs = deps.now();
  const quiet = await findQuietEpisodes(deps.client, deps.suppressionTableName, nowMs, nowMs - deps.windowMinutes * 60_000);
  const now = quiet.slice(0, MAX_NOTICES_PER_SWEEP);
  const failed: string[] = [];
  let firstCause: unknown;
  const results = await mapWithConcurrency(now, 4, async (episode) => {
    const incident = await latestIncident(deps.client, deps.incidentsTableName, episode.fingerprint);
    if (!(await closeEpisode(deps.client, deps.suppressionTableName, episode, nowMs))) return "skipped" as const;
    try {
      await deps.publish(formatQuietNotice(episode, incident, { windowMinutes: deps.windowMinutes, region: deps.region }));
      return "notified" as const;
    } catch (error) {
      firstCause ??= error;
      failed.push(episode.fingerprint);
      await reopenEpisode(deps.client, deps.suppressionTableName, episode, nowMs).catch(() => false);
      return "failed" as const;
    }
  });
  if (failed.length > 0) throw new QuietNoticeError(failed, firstCause);
  return {
    quiet: quiet.length,
    notified: results.filter((r) => r === "notified").length,
    skipped: results.filter((r) => r === "skipped").length,
    deferred: quiet.length - now.length,
  };
}
