/**
 * Mutes in the alert-suppression table, per failure scope (account, log group, fingerprint: the item's
 * `failure_key`). The processor's claim compares `muted_until` with the time of the failure, so a mute is one group
 * of attributes on the failure's item, costs the processor no request, and ends by itself when `muted_until` passes.
 *
 * Mutes write only their own attributes (`muted_until`, `muted_by`, `mute_reason`, `muted_at`), the key's scope
 * attributes (`fingerprint`, `log_group`, `account_id`, which every writer sets to the same values) and `expires_at`
 * (only ever later), always with `UpdateItem`: never the lease, window, episode or notice attributes.
 */
import { AttributeValue, ScanCommand, ScanCommandOutput, UpdateItemCommand, UpdateItemCommandOutput } from "@aws-sdk/client-dynamodb";
import { failureKeyOf, FailureScope, SUPPRESSION_ATTRIBUTES, UNKNOWN_ACCOUNT } from "../../handlers/log-processor/suppression-schema";
import { scanEvery } from "../triage/scan-every";

/** The DynamoDB calls mutes make; `DynamoDBClient` satisfies it. */
export interface MuteClient {
  send(command: UpdateItemCommand): Promise<UpdateItemCommandOutput>;
  send(command: ScanCommand): Promise<ScanCommandOutput>;
}

/** One active mute. */
export interface Mute {
  readonly fingerprint: string;
  readonly logGroup: string;
  /** The source account; undefined when the failure's deliveries named none. */
  readonly accountId?: string | undefined;
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
export const RETENTION_AFTER_MUTE_SECONDS = 2 * 86_400;

/** The scope attributes of a failure, as every writer of its item sets them (`:fingerprint`, `:logGroup`, `:account`). */
export function scopeValues(scope: FailureScope): Record<string, AttributeValue> {
  return {
    ":fingerprint": { S: scope.fingerprint },
    ":logGroup": { S: scope.logGroup },
    ":account": { S: scope.accountId === undefined || scope.accountId === "" ? UNKNOWN_ACCOUNT : scope.accountId },
  };
}

/**
 * Mutes one failure scope until `untilMs`: sets the mute attributes (and the scope attributes) on its suppression
 * item, creating the item when the failure has none; an existing lease, window, episode or notice is left as it is.
 * Muting again replaces the mute. `expires_at` is moved past the mute's end, never earlier: set when absent, then
 * raised by a second conditional update when it is earlier (DynamoDB's update expressions have no max()).
 */
export async function muteFailure(
  client: MuteClient,
  tableName: string,
  mute: { readonly scope: FailureScope; readonly untilMs: number; readonly by: string; readonly reason: string; readonly nowMs: number },
): Promise<void> {
  const key = { [A.failureKey]: { S: failureKeyOf(mute.scope) } };
  const expires = { N: String(Math.ceil(mute.untilMs / 1000) + RETENTION_AFTER_MUTE_SECONDS) };
  await client.send(
    new UpdateItemCommand({
      TableName: tableName,
      Key: key,
      UpdateExpression:
        "SET #mutedUntil = :until, #mutedBy = :by, #reason = :reason, #mutedAt = :now, " +
        "#fingerprint = :fingerprint, #logGroup = :logGroup, #account = :account, #expiresAt = if_not_exists(#expiresAt, :expires)",
      ExpressionAttributeNames: {
        "#mutedUntil": A.mutedUntil,
        "#mutedBy": A.mutedBy,
        "#reason": A.muteReason,
        "#mutedAt": A.mutedAt,
        "#fingerprint": A.fingerprint,
        "#logGroup": A.logGroup,
        "#account": A.accountId,
        "#expiresAt": A.expiresAt,
      },
      ExpressionAttributeValues: {
        ":until": { N: String(mute.untilMs) },
        ":by": { S: mute.by },
        ":reason": { S: mute.reason },
        ":now": { N: String(mute.nowMs) },
        ":expires": expires,
        ...scopeValues(mute.scope),
      },
    }),
  );
  await raiseExpiry(client, tableName, mute.scope, Number(expires.N));
}

/**
 * Raises the item's `expires_at` (epoch seconds) to at least `expiresAt`, never lowers it: DynamoDB's update
 * expressions have no max(), so this is its own conditional update, which fails harmlessly when it is already later.
 */
export async function raiseExpiry(client: Pick<MuteClient, "send">, tableName: string, scope: FailureScope, expiresAt: number): Promise<void> {
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { [A.failureKey]: { S: failureKeyOf(scope) } },
        UpdateExpression: "SET #expiresAt = :expires",
        ConditionExpression: "attribute_not_exists(#expiresAt) OR #expiresAt < :expires",
        ExpressionAttributeNames: { "#expiresAt": A.expiresAt },
        ExpressionAttributeValues: { ":expires": { N: String(expiresAt) } },
      }),
    );
  } catch (error) {
    if ((error as { name?: unknown }).name !== "ConditionalCheckFailedException") throw error;
  }
}

/** Ends the mute of one failure scope now. Resolves false when it was not muted (no mute attributes). */
export async function unmuteFailure(client: MuteClient, tableName: string, scope: FailureScope): Promise<boolean> {
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { [A.failureKey]: { S: failureKeyOf(scope) } },
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
 * The scopes in which a fingerprint has a suppression item (it alerted, was counted, or was muted there), optionally
 * only in one log group and/or account: a consistent Scan filtered on the `fingerprint` attribute, every page. Sorted
 * by log group, then account.
 */
export async function scopesOfFingerprint(
  client: MuteClient,
  tableName: string,
  filter: { readonly fingerprint: string; readonly logGroup?: string | undefined; readonly accountId?: string | undefined },
): Promise<FailureScope[]> {
  const conditions = ["#fingerprint = :fingerprint"];
  const names: Record<string, string> = { "#fingerprint": A.fingerprint, "#logGroup": A.logGroup, "#account": A.accountId };
  const values: Record<string, AttributeValue> = { ":fingerprint": { S: filter.fingerprint } };
  if (filter.logGroup !== undefined) {
    conditions.push("#logGroup = :logGroup");
    values[":logGroup"] = { S: filter.logGroup };
  }
  if (filter.accountId !== undefined) {
    conditions.push("#account = :account");
    values[":account"] = { S: filter.accountId };
  }
  const scopes: FailureScope[] = [];
  await scanEvery(
    client,
    {
      TableName: tableName,
      ConsistentRead: true,
      FilterExpression: conditions.join(" AND "),
      ProjectionExpression: "#fingerprint, #logGroup, #account",
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
    (item) => scopes.push(scopeOf(item)),
  );
  return scopes.sort((a, b) => a.logGroup.localeCompare(b.logGroup) || (a.accountId ?? "").localeCompare(b.accountId ?? ""));
}

function scopeOf(item: Record<string, AttributeValue>): FailureScope {
  const account = item[A.accountId]?.S;
  return {
    fingerprint: item[A.fingerprint]?.S ?? "",
    logGroup: item[A.logGroup]?.S ?? "",
    ...(account === undefined || account === UNKNOWN_ACCOUNT ? {} : { accountId: account }),
  };
}

/**
 * The mutes still in force at `nowMs`, soonest to end first. Scans the suppression table (one item per failure scope
 * that alerted within about a day, so small), reading only mute and scope attributes.
 */
export async function listMutes(client: MuteClient, tableName: string, nowMs: number): Promise<Mute[]> {
  const mutes: Mute[] = [];
  await scanEvery(
    client,
    {
      TableName: tableName,
      ConsistentRead: true,
      FilterExpression: "#mutedUntil > :now",
      ProjectionExpression: "#fingerprint, #logGroup, #account, #mutedUntil, #mutedBy, #reason, #mutedAt, #seenCount",
      ExpressionAttributeNames: {
        "#fingerprint": A.fingerprint,
        "#logGroup": A.logGroup,
        "#account": A.accountId,
        "#mutedUntil": A.mutedUntil,
        "#mutedBy": A.mutedBy,
        "#reason": A.muteReason,
        "#mutedAt": A.mutedAt,
        "#seenCount": A.seenCount,
      },
      ExpressionAttributeValues: { ":now": { N: String(nowMs) } },
    },
    (item) => {
      mutes.push({
        ...scopeOf(item),
        mutedUntilMs: Number(item[A.mutedUntil]?.N),
        mutedBy: item[A.mutedBy]?.S ?? "",
        reason: item[A.muteReason]?.S ?? "",
        mutedAtMs: Number(item[A.mutedAt]?.N ?? 0),
        seenCount: Number(item[A.seenCount]?.N ?? 0),
      });
    },
  );
  return mutes.sort(
    (a, b) => a.mutedUntilMs - b.mutedUntilMs || a.fingerprint.localeCompare(b.fingerprint) || a.logGroup.localeCompare(b.logGroup) || (a.accountId ?? "").localeCompare(b.accountId ?? ""),
  );
}
