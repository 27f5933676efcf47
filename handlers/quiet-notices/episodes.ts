/**
 * The quiet-again part of a failure's state machine, on its alert-suppression item (docs/alert-state-machine.md,
 * "Quiet-again notices"). Every transition is one conditional `UpdateItem` on the sweeper's own attributes
 * (`notice_owner`, `notice_lease_expires_at`, `noticed_last_seen_at`, `quiet_notice_at`) plus, on close, the episode
 * attributes the processor opens (`episode_count`, `episode_started_at`); nothing else is written, nothing deleted.
 *
 *   open episode (alert_state = sent, episode_count exists, last_seen_at = L)
 *     --[quiet: L < now - window, not muted]--> quiet                       (found by a consistent Scan)
 *   quiet --claim (owner o = f(failure_key, L), lease)--> notice claimed    (claimNotice)
 *   notice claimed --Publish refused / not answered--> quiet                (releaseNotice: the next sweep retries)
 *   notice claimed --Publish accepted, no new occurrence--> closed          (closeNotice, case A: episode removed,
 *                                                                             noticed_last_seen_at = L)
 *   notice claimed --Publish accepted, failure recurred (last_seen_at > L)--> open episode of the new occurrences
 *                                                                           (closeNotice, case B: count - reported)
 *   closed --next occurrence (processor)--> open episode
 *
 * Every transition accepts the state it leaves behind, so an SDK retry of a request that was applied but whose
 * answer was lost succeeds instead of failing its condition (a claim by the same owner, a close whose
 * `noticed_last_seen_at` is already L). The owner is derived from (failure_key, L), so a retried or overlapping sweep
 * takes over its own claim at once: a claim never silences the retry of a sweep that died after claiming. The cost
 * is that two overlapping sweeps may both publish one episode's notice: at most two copies, within SNS's own
 * at-least-once delivery.
 */
import { createHash } from "node:crypto";
import {
  AttributeValue,
  DynamoDBClient,
  ScanCommand,
  ScanCommandOutput,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { newestMatchingItem } from "../log-processor/incident-index-query";
import { BY_FINGERPRINT_INDEX, fingerprintShardKeys, INCIDENT_ATTRIBUTES as I } from "../log-processor/incident-schema";
import { FailureScope, STORM_FINGERPRINT, stormKeyOf, SUPPRESSION_ATTRIBUTES, SUPPRESSION_STATES, TRIAGE_STATES, UNKNOWN_ACCOUNT } from "../log-processor/suppression-schema";

/** An episode that went quiet: one failure (account, log group, fingerprint) that alerted and has not recurred. */
export interface QuietEpisode {
  /** The item's partition key, `<account>|<log group>|<fingerprint>`. */
  readonly failureKey: string;
  readonly fingerprint: string;
  readonly logGroup: string;
  /** The source account; undefined when the deliveries named none. */
  readonly accountId?: string | undefined;
  /** Occurrences over the episode (approximate, as the processor's counts are). */
  readonly count: number;
  /** Epoch ms of the episode's first alert. */
  readonly startedAtMs: number;
  /** Epoch ms of its latest occurrence (processing time): L, which the claim and the close compare. */
  readonly lastSeenAtMs: number;
  /**
   * The last occurrence the previous notice of this failure covered, when a notice was sent while the failure recurred
   * (the occurrences counted here came after it).
   */
  readonly previousNoticeLastSeenAtMs?: number | undefined;
}

/** What a scan of the suppression table found: the quiet episodes, and when each log group's storm was last seen. */
export interface EpisodeScan {
  /** Quiet episodes, storms' included, oldest last occurrence first. */
  readonly quiet: readonly QuietEpisode[];
  /** Epoch ms of the last occurrence of every storm item, quiet or not, by storm key (suppression-schema.ts `stormKeyOf`). */
  readonly stormLastSeen: ReadonlyMap<string, number>;
}

/** The latest incident of a failure: what the notice shows. */
export interface LatestIncident {
  readonly logGroup: string;
  readonly message: string;
  readonly severity: string;
}

/** How a close ended. */
export type CloseOutcome =
  /** No new occurrence: the episode is closed (case A), or was already by this owner (an applied retry). */
  | "closed"
  /** The failure recurred after L: the notice is recorded and the new occurrences stay as the next episode (case B). */
  | "closed-recurred"
  /** Neither condition held: the claim is no longer this owner's and the episode is not closed at L. */
  | "superseded";

const A = SUPPRESSION_ATTRIBUTES;

/**
 * "This failure alerted", as the sweeper reads it: `sent` (SNS accepted the alert and the owner confirmed it), or
 * `pending` with its alert lease over. A pending lease that ran out means its owner stopped between claim and confirm
 * (a kill, a timeout) and no retry took the failure over, which happens when every later occurrence was muted: the
 * owner may have published, and SNS may have delivered the alert, so the episode gets its quiet-again notice like a
 * sent one. (When the owner was killed before publishing, that notice is the first word of the failure; a person
 * who muted it knows it already.) A live lease is an owner still at work: not quiet. Uses `#state`, `#alertLease`,
 * `:sent`, `:pending` and `:now`.
 */
const ALERTED = "(#state = :sent OR (#state = :pending AND #alertLease < :now))";

/** {@link ALERTED} on an item read back. */
function alerted(item: Record<string, AttributeValue>, nowMs: number): boolean {
  const state = item[A.state]?.S;
  return state === SUPPRESSION_STATES.sent || (state === SUPPRESSION_STATES.pending && Number(item[A.leaseExpiresAt]?.N) < nowMs);
}

/** The DynamoDB calls of the sweeper; `DynamoDBClient` satisfies it. */
export type EpisodeClient = Pick<DynamoDBClient, "send">;

/**
 * Quiet episodes: alerted ({@link ALERTED}) `AND attribute_exists(episode_count) AND last_seen_at < quietSince AND not
 * muted at now`. A consistent Scan (an eventually consistent read could miss an occurrence and report a failure quiet that
 * is not; the claim re-checks anyway), every page. One item per failure scope that alerted within about a day: small.
 */
export async function findQuietEpisodes(client: EpisodeClient, tableName: string, nowMs: number, quietSinceMs: number): Promise<QuietEpisode[]> {
  return [...(await scanEpisodes(client, tableName, nowMs, quietSinceMs)).quiet];
}

/**
 * The quiet episodes (see {@link findQuietEpisodes}) and every storm item, quiet or not, in one consistent Scan: a
 * failure counted into a storm has no occurrence of its own recorded, so the sweeper must know when its log group's
 * storm was last seen before it calls the failure quiet.
 */
export async function scanEpisodes(client: EpisodeClient, tableName: string, nowMs: number, quietSinceMs: number): Promise<EpisodeScan> {
  const episodes: QuietEpisode[] = [];
  const stormLastSeen = new Map<string, number>();
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = (await client.send(
      new ScanCommand({
        TableName: tableName,
        ConsistentRead: true,
        FilterExpression:
          `(${ALERTED} AND attribute_exists(#episodeCount) AND #lastSeenAt < :quietSince AND ` +
          // An ignored failure is silent, quiet-again notices included, until its ignore ends.
          "(attribute_not_exists(#mutedUntil) OR #mutedUntil < :now) AND (attribute_not_exists(#triage) OR #triage <> :ignored)) OR " +
          "#fingerprint = :storm",
        ProjectionExpression:
          "#key, #fingerprint, #logGroup, #account, #episodeCount, #episodeStartedAt, #lastSeenAt, #noticed, #state, #alertLease, #mutedUntil",
        ExpressionAttributeNames: {
          "#key": A.failureKey,
          "#fingerprint": A.fingerprint,
          "#logGroup": A.logGroup,
          "#account": A.accountId,
          "#state": A.state,
          "#alertLease": A.leaseExpiresAt,
          "#episodeCount": A.episodeCount,
          "#episodeStartedAt": A.episodeStartedAt,
          "#lastSeenAt": A.lastSeenAt,
          "#mutedUntil": A.mutedUntil,
          "#noticed": A.noticedLastSeenAt,
          "#triage": A.triage,
        },
        ExpressionAttributeValues: {
          ":sent": { S: SUPPRESSION_STATES.sent },
          ":pending": { S: SUPPRESSION_STATES.pending },
          ":quietSince": { N: String(quietSinceMs) },
          ":now": { N: String(nowMs) },
          ":storm": { S: STORM_FINGERPRINT },
          ":ignored": { S: TRIAGE_STATES.ignored },
        },
        ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
      }),
    )) as ScanCommandOutput;
    for (const item of page.Items ?? []) {
      const episode = episodeOf(item);
      if (episode.fingerprint === STORM_FINGERPRINT) {
        stormLastSeen.set(episode.failureKey, episode.lastSeenAtMs);
        // The same conditions as the filter's first part, which a storm item was returned without.
        const mutedUntil = Number(item[A.mutedUntil]?.N);
        const quiet =
          alerted(item, nowMs) &&
          item[A.episodeCount] !== undefined &&
          episode.lastSeenAtMs < quietSinceMs &&
          !(Number.isFinite(mutedUntil) && mutedUntil >= nowMs);
        if (!quiet) continue;
      }
      episodes.push(episode);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return { quiet: episodes.sort((a, b) => a.lastSeenAtMs - b.lastSeenAtMs || a.failureKey.localeCompare(b.failureKey)), stormLastSeen };
}

/**
 * Whether a quiet-looking failure may still be occurring inside its log group's storm: the storm was seen after the
 * failure's own last occurrence, and within the quiet period. Its notice then waits until the storm is quiet too (and
 * then it is true: every occurrence of the failure since was either its own, recorded, or in the storm).
 */
export function hiddenInStorm(episode: QuietEpisode, stormLastSeen: ReadonlyMap<string, number>, quietSinceMs: number): boolean {
  if (episode.fingerprint === STORM_FINGERPRINT) return false;
  const storm = stormLastSeen.get(stormKeyOf(episode));
  return storm !== undefined && storm >= quietSinceMs && storm > episode.lastSeenAtMs;
}

function episodeOf(item: Record<string, AttributeValue>): QuietEpisode {
  const failureKey = item[A.failureKey]?.S ?? "";
  // The scope attributes, or (for an item written before they existed) the parts of the key.
  const [keyAccount, ...rest] = failureKey.split("|");
  const keyFingerprint = rest.pop() ?? "";
  const account = item[A.accountId]?.S ?? keyAccount;
  const noticed = item[A.noticedLastSeenAt]?.N;
  return {
    failureKey,
    fingerprint: item[A.fingerprint]?.S ?? keyFingerprint,
    logGroup: item[A.logGroup]?.S ?? rest.join("|"),
    accountId: account === undefined || account === "" || account === UNKNOWN_ACCOUNT ? undefined : account,
    count: Number(item[A.episodeCount]?.N ?? 0),
    startedAtMs: Number(item[A.episodeStartedAt]?.N ?? 0),
    lastSeenAtMs: Number(item[A.lastSeenAt]?.N ?? 0),
    ...(noticed === undefined ? {} : { previousNoticeLastSeenAtMs: Number(noticed) }),
  };
}

/**
 * The owner of an episode's notice: derived from the failure and L only, so every sweep that finds the same quiet
 * episode (a Lambda retry, an overlapping schedule) is the same owner and takes over the claim at once.
 */
export function noticeOwnerOf(episode: Pick<QuietEpisode, "failureKey" | "lastSeenAtMs">): string {
  return `notice-${createHash("sha256").update(`${episode.failureKey}\n${episode.lastSeenAtMs}`).digest("hex").slice(0, 32)}`;
}

/**
 * Claims the episode's notice until `nowMs + leaseMs`, if the episode is unchanged (last occurrence still L, still
 * open and alerted, not muted) and its notice is free, this owner's, or held past its lease. Resolves false when it is
 * not (the failure recurred, was muted, or the notice was closed).
 */
export async function claimNotice(client: EpisodeClient, tableName: string, episode: QuietEpisode, nowMs: number, leaseMs: number): Promise<boolean> {
  return conditional(
    client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { [A.failureKey]: { S: episode.failureKey } },
        UpdateExpression: "SET #owner = :owner, #leaseExpiresAt = :expires",
        ConditionExpression:
          `#lastSeenAt = :lastSeen AND attribute_exists(#episodeCount) AND ${ALERTED} AND ` +
          "(attribute_not_exists(#mutedUntil) OR #mutedUntil < :now) AND (attribute_not_exists(#triage) OR #triage <> :ignored) AND " +
          "(attribute_not_exists(#owner) OR #owner = :owner OR #leaseExpiresAt < :now)",
        ExpressionAttributeNames: {
          "#owner": A.noticeOwner,
          "#leaseExpiresAt": A.noticeLeaseExpiresAt,
          "#lastSeenAt": A.lastSeenAt,
          "#episodeCount": A.episodeCount,
          "#state": A.state,
          "#alertLease": A.leaseExpiresAt,
          "#mutedUntil": A.mutedUntil,
          "#triage": A.triage,
        },
        ExpressionAttributeValues: {
          ":ignored": { S: TRIAGE_STATES.ignored },
          ":owner": { S: noticeOwnerOf(episode) },
          ":expires": { N: String(nowMs + leaseMs) },
          ":lastSeen": { N: String(episode.lastSeenAtMs) },
          ":sent": { S: SUPPRESSION_STATES.sent },
          ":pending": { S: SUPPRESSION_STATES.pending },
          ":now": { N: String(nowMs) },
        },
      }),
    ),
  );
}

/** Gives the claim back (the notice was not published), so the next sweep tries again. False if it was not held. */
export async function releaseNotice(client: EpisodeClient, tableName: string, episode: QuietEpisode): Promise<boolean> {
  return conditional(
    client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { [A.failureKey]: { S: episode.failureKey } },
        UpdateExpression: "REMOVE #owner, #leaseExpiresAt",
        ConditionExpression: "#owner = :owner",
        ExpressionAttributeNames: { "#owner": A.noticeOwner, "#leaseExpiresAt": A.noticeLeaseExpiresAt },
        ExpressionAttributeValues: { ":owner": { S: noticeOwnerOf(episode) } },
      }),
    ),
  );
}

/**
 * Closes the episode once SNS accepted its notice.
 *
 * A: no new occurrence (`last_seen_at = L`): removes the episode and the claim, records `noticed_last_seen_at = L` and
 * `quiet_notice_at`, if this owner holds the claim or the close already happened (`noticed_last_seen_at = L`: an SDK
 * retry of an applied close). B: the failure recurred meanwhile: keeps the new occurrences as the next episode
 * (`episode_count - reported`), records the notice and removes the claim, if this owner still holds it. B is not
 * idempotent by its condition (it subtracts), so it accepts only the held claim; its applied-then-lost retry finds the
 * claim gone and reports `superseded`, which still means the notice went out.
 */
export async function closeNotice(client: EpisodeClient, tableName: string, episode: QuietEpisode, nowMs: number): Promise<CloseOutcome> {
  const names = {
    "#owner": A.noticeOwner,
    "#leaseExpiresAt": A.noticeLeaseExpiresAt,
    "#noticed": A.noticedLastSeenAt,
    "#noticeAt": A.quietNoticeAt,
    "#lastSeenAt": A.lastSeenAt,
    "#episodeCount": A.episodeCount,
  };
  const values = {
    ":owner": { S: noticeOwnerOf(episode) },
    ":lastSeen": { N: String(episode.lastSeenAtMs) },
    ":now": { N: String(nowMs) },
  };
  const quiet = await conditional(
    client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { [A.failureKey]: { S: episode.failureKey } },
        UpdateExpression: "SET #noticeAt = :now, #noticed = :lastSeen REMOVE #owner, #leaseExpiresAt, #episodeCount, #episodeStartedAt",
        ConditionExpression: "#lastSeenAt = :lastSeen AND (#owner = :owner OR #noticed = :lastSeen)",
        ExpressionAttributeNames: { ...names, "#episodeStartedAt": A.episodeStartedAt },
        ExpressionAttributeValues: values,
      }),
    ),
  );
  if (quiet) return "closed";
  const recurred = await conditional(
    client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { [A.failureKey]: { S: episode.failureKey } },
        UpdateExpression: "SET #noticeAt = :now, #noticed = :lastSeen, #episodeCount = #episodeCount - :reported REMOVE #owner, #leaseExpiresAt",
        ConditionExpression: "#owner = :owner AND #lastSeenAt <> :lastSeen AND attribute_exists(#episodeCount)",
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ...values, ":reported": { N: String(episode.count) } },
      }),
    ),
  );
  return recurred ? "closed-recurred" : "superseded";
}

/** Pages of {@link LATEST_INCIDENT_PAGE} a search for the latest incident of a scope reads at most, per shard of the index. */
export const LATEST_INCIDENT_PAGES = 5;
/** Incidents per page of that search. */
export const LATEST_INCIDENT_PAGE = 20;

/**
 * The failure's latest incident in its own scope (same log group and account) from the incidents table's
 * `by-fingerprint` index, newest first; undefined when none is found within {@link LATEST_INCIDENT_PAGES} pages (the
 * fingerprint's newest incidents are all in other scopes, or expired). The notice is written without its line then.
 */
export async function latestIncident(client: EpisodeClient, incidentsTable: string, scope: FailureScope): Promise<LatestIncident | undefined> {
  const account = scope.accountId === undefined || scope.accountId === "" || scope.accountId === UNKNOWN_ACCOUNT ? undefined : scope.accountId;
  // by-fingerprint is sharded (<fingerprint>#<n>): the newest match of every shard, the newest of those.
  const item = await newestMatchingItem(client, {
    tableName: incidentsTable,
    index: BY_FINGERPRINT_INDEX,
    partitionKeys: fingerprintShardKeys(scope.fingerprint),
    filterExpression: `#logGroup = :logGroup AND ${account === undefined ? "attribute_not_exists(#account)" : "#account = :account"}`,
    expressionAttributeNames: { "#logGroup": I.logGroup, "#account": I.accountId },
    expressionAttributeValues: { ":logGroup": { S: scope.logGroup }, ...(account === undefined ? {} : { ":account": { S: account } }) },
    pageSize: LATEST_INCIDENT_PAGE,
    maxPagesPerShard: LATEST_INCIDENT_PAGES,
  });
  return item === undefined ? undefined : { logGroup: item[I.logGroup]?.S ?? scope.logGroup, message: item[I.message]?.S ?? "", severity: item[I.severity]?.S ?? "ERROR" };
}

/** True when the conditional write was applied, false when its condition failed; any other error is thrown. */
async function conditional(request: Promise<unknown>): Promise<boolean> {
  try {
    await request;
    return true;
  } catch (error) {
    if ((error as { name?: unknown }).name === "ConditionalCheckFailedException") return false;
    throw error;
  }
}
