/**
 * Mutes in the alert-suppression table: the processor's claim compares `muted_until` with the time of the failure
 * (handlers/log-processor/suppression-store.ts, CLAIM_CONDITION), so a mute is one attribute on the failure's
 * suppression item, costs the processor no request, and ends by itself when `muted_until` passes.
 */
import { AttributeValue, ScanCommand, ScanCommandOutput, UpdateItemCommand, UpdateItemCommandOutput } from "@aws-sdk/client-dynamodb";
import { SUPPRESSION_ATTRIBUTES } from "../../handlers/log-processor/suppression-schema";

/** The DynamoDB calls mutes make; `DynamoDBClient` satisfies it. */
export interface MuteClient {
  send(command: UpdateItemCommand): Promise<UpdateItemCommandOutput>;
  send(command: ScanCommand): Promise<ScanCommandOutput>;
}

/** One active mute. */
export interface Mute {
  readonly fingerprint: string;
  /** Epoch milliseconds at which alerts resume. */
  readonly mutedUntilMs: number;
  /** Who muted it (an IAM ARN, or a user name). */
  readonly mutedBy: string;
  readonly reason: string;
  /** Epoch milliseconds at which it was muted. */
  readonly mutedAtMs: number;
  /** Occurrences counted in the item's current window (approximate; includes those while muted). */
  readonly seenCount: number;
}

const A = SUPPRESSION_ATTRIBUTES;

/**
 * How long after a mute ends DynamoDB's TTL may delete its item: two days. A suppression window lasts at most a day
 * (LOG_MONITOR_SUPPRESSION_MINUTES <= 1440) and is kept a day after it ends, so this never deletes an open window.
 */
const RETENTION_AFTER_MUTE_SECONDS = 2 * 86_400;

/**
 * Mutes a failure until `untilMs`: sets the mute attributes on its suppression item, creating the item when the
 * failure has none (with a window that already ended, so that the claim works as soon as the mute ends). An existing
 * window, lease or count is kept. Muting again replaces the mute.
 */
export async function muteFailure(
  client: MuteClient,
  tableName: string,
  mute: { readonly fingerprint: string; readonly untilMs: number; readonly by: string; readonly reason: string; readonly nowMs: number },
): Promise<void> {
  await client.send(
    new UpdateItemCommand({
      TableName: tableName,
      Key: { [A.fingerprint]: { S: mute.fingerprint } },
      UpdateExpression:
        "SET #mutedUntil = :until, #mutedBy = :by, #reason = :reason, #mutedAt = :now, " +
        "#windowEndsAt = if_not_exists(#windowEndsAt, :zero), #seenCount = if_not_exists(#seenCount, :zero), #expiresAt = :expires",
      ExpressionAttributeNames: {
        "#mutedUntil": A.mutedUntil,
        "#mutedBy": A.mutedBy,
        "#reason": A.muteReason,
        "#mutedAt": A.mutedAt,
        "#windowEndsAt": A.windowEndsAt,
        "#seenCount": A.seenCount,
        "#expiresAt": A.expiresAt,
      },
      ExpressionAttributeValues: {
        ":until": { N: String(mute.untilMs) },
        ":by": { S: mute.by },
        ":reason": { S: mute.reason },
        ":now": { N: String(mute.nowMs) },
        ":zero": { N: "0" },
        ":expires": { N: String(Math.ceil(mute.untilMs / 1000) + RETENTION_AFTER_MUTE_SECONDS) },
      },
    }),
  );
}

/** Ends a mute now. Resolves false when the failure was not muted (no mute attributes). */
export async function unmuteFailure(client: MuteClient, tableName: string, fingerprint: string): Promise<boolean> {
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { [A.fingerprint]: { S: fingerprint } },
        UpdateExpression: "REMOVE #mutedUntil, #mutedBy, #reason, #mutedAt",
        ConditionExpression: "attribute_exists(#mutedUntil)",
        ExpressionAttributeNames: { "#mutedUntil": A.mutedUntil, "#mutedBy": A.mutedBy, "#reason": A.muteReason, "#mutedAt": A.mutedAt },
      }),
    );
    return true;
  } catch (error) {
    if ((error as { name?: unknown }).name === "ConditionalCheckFailedException") return false;
    throw error;
  }
}

/**
 * The mutes still in force at `nowMs`, soonest to end first. Scans the suppression table (one item per failure that
 * alerted within about a day, so small), reading only mute attributes.
 */
export async function listMutes(client: MuteClient, tableName: string, nowMs: number): Promise<Mute[]> {
  const mutes: Mute[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page: ScanCommandOutput = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: "#mutedUntil > :now",
        ProjectionExpression: "#fingerprint, #mutedUntil, #mutedBy, #reason, #mutedAt, #seenCount",
        ExpressionAttributeNames: {
          "#fingerprint": A.fingerprint,
          "#mutedUntil": A.mutedUntil,
          "#mutedBy": A.mutedBy,
          "#reason": A.muteReason,
          "#mutedAt": A.mutedAt,
          "#seenCount": A.seenCount,
        },
        ExpressionAttributeValues: { ":now": { N: String(nowMs) } },
        ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
      }),
    );
    for (const item of page.Items ?? []) {
      mutes.push({
        fingerprint: item[A.fingerprint]?.S ?? "",
        mutedUntilMs: Number(item[A.mutedUntil]?.N),
        mutedBy: item[A.mutedBy]?.S ?? "",
        reason: item[A.muteReason]?.S ?? "",
        mutedAtMs: Number(item[A.mutedAt]?.N ?? 0),
        seenCount: Number(item[A.seenCount]?.N ?? 0),
      });
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return mutes.sort((a, b) => a.mutedUntilMs - b.mutedUntilMs || a.fingerprint.localeCompare(b.fingerprint));
}
