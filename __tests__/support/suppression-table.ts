import { suppressionTableInput } from "../../lib/bench/throughput";
import {
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { DynamoDbItem } from "../../handlers/log-processor/incident-item";
import {
  failureKeyOf,
  FailureScope,
  SUPPRESSION_ATTRIBUTES as A,
  SUPPRESSION_PARTITION_KEY,
  SUPPRESSION_STATES,
  UNKNOWN_ACCOUNT,
} from "../../handlers/log-processor/suppression-schema";
import { scanAll } from "./incidents-table";

/** Creates the alert-suppression table as suppression-schema.ts and the processing stack describe it. */
export async function createSuppressionTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(new CreateTableCommand(suppressionTableInput(tableName)));
}

/** The failure key of a scope, or a failure key as it is. */
function keyOf(failure: string | FailureScope): string {
  return typeof failure === "string" ? failure : failureKeyOf(failure);
}

/** The suppression item of one failure (its key, or its scope), raw, or undefined when there is none. */
export async function suppressionItem(
  client: DynamoDBClient,
  tableName: string,
  failure: string | FailureScope,
): Promise<DynamoDbItem | undefined> {
  const { Item } = await client.send(
    new GetItemCommand({
      TableName: tableName,
      Key: { [SUPPRESSION_PARTITION_KEY]: { S: keyOf(failure) } },
      ConsistentRead: true,
    }),
  );
  return Item;
}

/**
 * Mutes a failure until `untilMs` the way a mute must be written into the shared item (suppression-schema.ts): one
 * `UpdateItem` of the mute's own attributes, creating the item when there is none and leaving every other attribute
 * as it is. Tests set mutes with this, so that they do not depend on the mute command's own module.
 */
export async function muteInTable(
  client: DynamoDBClient,
  tableName: string,
  scope: FailureScope,
  mute: { readonly untilMs: number; readonly nowMs: number; readonly by?: string; readonly reason?: string },
): Promise<void> {
  await client.send(
    new UpdateItemCommand({
      TableName: tableName,
      Key: { [SUPPRESSION_PARTITION_KEY]: { S: failureKeyOf(scope) } },
      UpdateExpression: "SET #mutedUntil = :until, #mutedBy = :by, #reason = :reason, #mutedAt = :now",
      ExpressionAttributeNames: { "#mutedUntil": A.mutedUntil, "#mutedBy": A.mutedBy, "#reason": A.muteReason, "#mutedAt": A.mutedAt },
      ExpressionAttributeValues: {
        ":until": { N: String(mute.untilMs) },
        ":by": { S: mute.by ?? "ana" },
        ":reason": { S: mute.reason ?? "known noise" },
        ":now": { N: String(mute.nowMs) },
      },
    }),
  );
}

/** Every suppression item, raw. */
export async function allSuppressionItems(client: DynamoDBClient, tableName: string): Promise<DynamoDbItem[]> {
  return scanAll(client, tableName);
}

/** Deletes every suppression item, so that tests sharing one table start with no open window. */
export async function deleteAllSuppressionItems(client: DynamoDBClient, tableName: string): Promise<void> {
  for (const item of await scanAll(client, tableName)) {
    await client.send(
      new DeleteItemCommand({
        TableName: tableName,
        Key: { [SUPPRESSION_PARTITION_KEY]: item[SUPPRESSION_PARTITION_KEY] as { S: string } },
      }),
    );
  }
}

/** Writes a suppression item as it is (to set up a window that is open, expired or malformed). */
export async function putSuppressionItem(client: DynamoDBClient, tableName: string, item: DynamoDbItem): Promise<void> {
  await client.send(new PutItemCommand({ TableName: tableName, Item: item }));
}

/**
 * `count` occurrences of an alerted failure at `atMs`, written as the processor's contract says it writes them (one
 * UpdateItem on its own attributes): the key and scope attributes, `alert_state = sent` with its window, and on every
 * occurrence `last_seen_at = now`, `episode_count = if_not_exists(episode_count, 0) + n`,
 * `episode_started_at = if_not_exists(episode_started_at, now)`. Lets the sweeper's tests drive the item without the
 * processor's code.
 */
export async function writeAlertedOccurrence(
  client: DynamoDBClient,
  tableName: string,
  scope: FailureScope,
  atMs: number,
  count = 1,
  windowMinutes = 15,
): Promise<void> {
  await client.send(
    new UpdateItemCommand({
      TableName: tableName,
      Key: { [SUPPRESSION_PARTITION_KEY]: { S: failureKeyOf(scope) } },
      UpdateExpression:
        "SET #fingerprint = :fingerprint, #logGroup = :logGroup, #account = :account, #state = :sent, " +
        "#windowEndsAt = if_not_exists(#windowEndsAt, :windowEnds), #lastSeenAt = :now, " +
        "#episodeCount = if_not_exists(#episodeCount, :zero) + :n, #episodeStartedAt = if_not_exists(#episodeStartedAt, :now), " +
        "#expiresAt = :expires",
      ExpressionAttributeNames: {
        "#fingerprint": A.fingerprint,
        "#logGroup": A.logGroup,
        "#account": A.accountId,
        "#state": A.state,
        "#windowEndsAt": A.windowEndsAt,
        "#lastSeenAt": A.lastSeenAt,
        "#episodeCount": A.episodeCount,
        "#episodeStartedAt": A.episodeStartedAt,
        "#expiresAt": A.expiresAt,
      },
      ExpressionAttributeValues: {
        ":fingerprint": { S: scope.fingerprint },
        ":logGroup": { S: scope.logGroup },
        ":account": { S: scope.accountId ?? UNKNOWN_ACCOUNT },
        ":sent": { S: SUPPRESSION_STATES.sent },
        ":windowEnds": { N: String(atMs + windowMinutes * 60_000) },
        ":now": { N: String(atMs) },
        ":zero": { N: "0" },
        ":n": { N: String(count) },
        ":expires": { N: String(Math.ceil(atMs / 1000) + 86_400) },
      },
    }),
  );
}
