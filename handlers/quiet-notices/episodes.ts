/**
 * Episodes in the alert-suppression table, as the quiet-notice sweeper reads and closes them. An episode starts with
 * a failure's first alert (the processor's claim sets `episode_started_at` and adds to `episode_count`) and is quiet
 * once its `last_seen_at` is a whole window in the past. Closing it (removing the episode attributes, setting
 * `quiet_notice_at`) is conditional on the episode being unchanged since it was read, so that of two sweeps, or a
 * sweep racing a new occurrence, exactly one notice is sent, or none when the failure recurred.
 */
import {
  AttributeValue,
  DynamoDBClient,
  QueryCommand,
  ScanCommand,
  ScanCommandOutput,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { BY_FINGERPRINT_INDEX, INCIDENT_ATTRIBUTES as I } from "../log-processor/incident-schema";
import { SUPPRESSION_ATTRIBUTES, SUPPRESSION_STATES } from "../log-processor/suppression-schema";

/** An episode that went quiet. */
export interface QuietEpisode {
  readonly fingerprint: string;
  /** Occurrences over the episode (approximate, as the windows' counts are). */
  readonly count: number;
  /** Epoch ms of the episode's first alert. */
  readonly startedAtMs: number;
  /** Epoch ms of its latest occurrence (processing time). */
  readonly lastSeenAtMs: number;
}

/** The latest incident of a failure: what the notice shows. */
export interface LatestIncident {
  readonly logGroup: string;
  readonly message: string;
  readonly severity: string;
}

const A = SUPPRESSION_ATTRIBUTES;

/** The DynamoDB calls of the sweeper; `DynamoDBClient` satisfies it. */
export type EpisodeClient = Pick<DynamoDBClient, "send">;

/**
 * Alerted (`sent`) episodes whose latest occurrence is older than `quietSinceMs` and that are not muted now. Scans the
 * suppression table (one item per failure that alerted within about a day: small), reading only episode attributes.
 */
export async function findQuietEpisodes(client: EpisodeClient, tableName: string, nowMs: number, quietSinceMs: number): Promise<QuietEpisode[]> {
  const episodes: QuietEpisode[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = (await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression:
          "#state = :sent AND attribute_exists(#episodeCount) AND #lastSeenAt < :quietSince AND " +
          "(attribute_not_exists(#mutedUntil) OR #mutedUntil < :now)",
        ProjectionExpression: "#fingerprint, #episodeCount, #episodeStartedAt, #lastSeenAt",
        ExpressionAttributeNames: {
          "#state": A.state,
          "#episodeCount": A.episodeCount,
          "#episodeStartedAt": A.episodeStartedAt,
          "#lastSeenAt": A.lastSeenAt,
          "#mutedUntil": A.mutedUntil,
          "#fingerprint": A.fingerprint,
        },
        ExpressionAttributeValues: {
          ":sent": { S: SUPPRESSION_STATES.sent },
          ":quietSince": { N: String(quietSinceMs) },
          ":now": { N: String(nowMs) },
        },
        ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
      }),
    )) as ScanCommandOutput;
    for (const item of page.Items ?? []) {
      episodes.push({
        fingerprint: item[A.fingerprint]?.S ?? "",
        count: Number(item[A.episodeCount]?.N ?? 0),
        startedAtMs: Number(item[A.episodeStartedAt]?.N ?? 0),
        lastSeenAtMs: Number(item[A.lastSeenAt]?.N ?? 0),
      });
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return episodes.sort((a, b) => a.lastSeenAtMs - b.lastSeenAtMs || a.fingerprint.localeCompare(b.fingerprint));
}

/**
 * Closes the episode for its notice: succeeds only if it is unchanged since it was read (same count, same last
 * occurrence), so a recurrence or another sweep wins. Resolves false when it did not.
 */
export async function closeEpisode(client: EpisodeClient, tableName: string, episode: QuietEpisode, nowMs: number): Promise<boolean> {
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { [A.fingerprint]: { S: episode.fingerprint } },
        UpdateExpression: "SET #noticeAt = :now REMOVE #episodeCount, #episodeStartedAt",
        ConditionExpression: "#episodeCount = :count AND #lastSeenAt = :lastSeen",
        ExpressionAttributeNames: {
          "#noticeAt": A.quietNoticeAt,
          "#episodeCount": A.episodeCount,
          "#episodeStartedAt": A.episodeStartedAt,
          "#lastSeenAt": A.lastSeenAt,
        },
        ExpressionAttributeValues: {
          ":now": { N: String(nowMs) },
          ":count": { N: String(episode.count) },
          ":lastSeen": { N: String(episode.lastSeenAtMs) },
        },
      }),
    );
    return true;
  } catch (error) {
    if ((error as { name?: unknown }).name === "ConditionalCheckFailedException") return false;
    throw error;
  }
}

/**
 * Reopens an episode whose notice could not be published, so that the next sweep tries again: only if it is still as
 * this sweep closed it (no new occurrence started a new episode meanwhile).
 */
export async function reopenEpisode(client: EpisodeClient, tableName: string, episode: QuietEpisode, closedAtMs: number): Promise<boolean> {
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { [A.fingerprint]: { S: episode.fingerprint } },
        UpdateExpression: "SET #episodeCount = :count, #episodeStartedAt = :startedAt REMOVE #noticeAt",
        ConditionExpression: "#noticeAt = :closedAt AND attribute_not_exists(#episodeCount)",
        ExpressionAttributeNames: { "#noticeAt": A.quietNoticeAt, "#episodeCount": A.episodeCount, "#episodeStartedAt": A.episodeStartedAt },
        ExpressionAttributeValues: {
          ":count": { N: String(episode.count) },
          ":startedAt": { N: String(episode.startedAtMs) },
          ":closedAt": { N: String(closedAtMs) },
        },
      }),
    );
    return true;
  } catch (error) {
    if ((error as { name?: unknown }).name === "ConditionalCheckFailedException") return false;
    throw error;
  }
}

/** The failure's latest incident, from the incidents table's `by-fingerprint` index; undefined if expired. */
export async function latestIncident(client: EpisodeClient, incidentsTable: string, fingerprint: string): Promise<LatestIncident | undefined> {
  const output = await client.send(
    new QueryCommand({
      TableName: incidentsTable,
      IndexName: BY_FINGERPRINT_INDEX.name,
      KeyConditionExpression: "#fingerprint = :fingerprint",
      ExpressionAttributeNames: { "#fingerprint": I.fingerprint },
      ExpressionAttributeValues: { ":fingerprint": { S: fingerprint } },
      ScanIndexForward: false,
      Limit: 1,
    }),
  );
  const item = output.Items?.[0];
  if (item === undefined) return undefined;
  return { logGroup: item[I.logGroup]?.S ?? "", message: item[I.message]?.S ?? "", severity: item[I.severity]?.S ?? "ERROR" };
}
