import { DeleteItemCommand, DynamoDBClient, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { SUPPRESSION_ATTRIBUTES } from "./suppression-schema";

/** The outcome of {@link SuppressionStore.claim}. */
export interface SuppressionClaim {
  /** True when this invocation opened a new window and so owns the alert; false when a window was already open. */
  readonly claimed: boolean;
  /** Occurrences counted in the window so far, this call's included. */
  readonly seenCount: number;
}

/**
 * Suppression windows, one per failure fingerprint, shared by every invocation. Must be safe across concurrent
 * invocations: of two claims on the same closed window, exactly one succeeds.
 */
export interface SuppressionStore {
  /**
   * Opens a window for `fingerprint` starting at `nowMs` when none is open (this invocation then owns the alert),
   * or counts `count` more occurrences into the open one.
   */
  claim(fingerprint: string, count: number, nowMs: number, ownerId: string): Promise<SuppressionClaim>;
  /**
   * Deletes the window opened by `ownerId`, so that the next delivery (Lambda's retry) alerts again. A window that
   * someone else owns by now is left alone. Resolves true when this call deleted it.
   */
  release(fingerprint: string, ownerId: string): Promise<boolean>;
}

/** Settings of {@link DynamoDbSuppressionStore}. */
export interface DynamoDbSuppressionStoreOptions {
  /** The alert-suppression table (see suppression-schema.ts). */
  readonly tableName: string;
  /** Length of a window in minutes: a failure that alerted stays quiet this long. */
  readonly windowMinutes: number;
  /**
   * How long DynamoDB's TTL keeps a window after it ended, in seconds. Expired windows are ignored by the
   * condition anyway; TTL only keeps the table small.
   * @default 86400 (one day)
   */
  readonly retentionAfterWindowSeconds?: number;
}

/** A suppression window could not be read or written; says which fingerprint, which table, and DynamoDB's reason. */
export class AlertSuppressionError extends Error {
  /** The fingerprint concerned. */
  public readonly fingerprint: string;
  /** The suppression table. */
  public readonly tableName: string;

  constructor(action: string, fingerprint: string, tableName: string, reason: string, cause?: unknown) {
    super(
      `Could not ${action} the suppression window of fingerprint ${fingerprint} in DynamoDB table "${tableName}": ${reason}`,
      cause === undefined ? undefined : { cause },
    );
    this.name = "AlertSuppressionError";
    this.fingerprint = fingerprint;
    this.tableName = tableName;
  }
}

/** Times a claim retries when the window it was counting into is released under it by another invocation. */
const MAX_CLAIM_ATTEMPTS = 3;

const A = SUPPRESSION_ATTRIBUTES;
const NAMES = {
  "#fingerprint": A.fingerprint,
  "#windowEndsAt": A.windowEndsAt,
  "#seenCount": A.seenCount,
  "#ownerId": A.ownerId,
  "#expiresAt": A.expiresAt,
};

/**
 * Suppression windows in DynamoDB, taken with conditional writes so that they hold across concurrent
 * invocations and execution environments (memory would not):
 *
 * 1. `UpdateItem SET window_ends_at, seen_count, owner_id, expires_at IF attribute_not_exists(fingerprint) OR
 *    window_ends_at < :now`: succeeds for exactly one of several concurrent callers when no window is open.
 * 2. Otherwise `UpdateItem ADD seen_count :n IF attribute_exists(fingerprint)`, returning the new count. The
 *    condition matters: without it, an ADD racing with a release would create an item with no window end and no
 *    TTL, which no claim could ever take again. When it fails (the window was just released), step 1 is retried.
 * 3. Release: `DeleteItem IF owner_id = :me`, so that an invocation only ever deletes its own window.
 *
 * Needs only `dynamodb:UpdateItem` and `dynamodb:DeleteItem` on the table.
 */
export class DynamoDbSuppressionStore implements SuppressionStore {
  private readonly tableName: string;
  private readonly windowMs: number;
  private readonly retentionSeconds: number;

  constructor(private readonly client: Pick<DynamoDBClient, "send">, options: DynamoDbSuppressionStoreOptions) {
    if (!Number.isSafeInteger(options.windowMinutes) || options.windowMinutes <= 0) {
      throw new RangeError(`windowMinutes must be a positive integer, got ${options.windowMinutes}`);
    }
    this.tableName = options.tableName;
    this.windowMs = options.windowMinutes * 60_000;
    this.retentionSeconds = options.retentionAfterWindowSeconds ?? 86_400;
  }

  async claim(fingerprint: string, count: number, nowMs: number, ownerId: string): Promise<SuppressionClaim> {
    const windowEndsAt = nowMs + this.windowMs;
    for (let attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt++) {
      try {
        await this.client.send(
          new UpdateItemCommand({
            TableName: this.tableName,
            Key: { [A.fingerprint]: { S: fingerprint } },
            UpdateExpression:
              "SET #windowEndsAt = :windowEndsAt, #seenCount = :count, #ownerId = :ownerId, #expiresAt = :expiresAt",
            ConditionExpression: "attribute_not_exists(#fingerprint) OR #windowEndsAt < :now",
            ExpressionAttributeNames: NAMES,
            ExpressionAttributeValues: {
              ":windowEndsAt": { N: String(windowEndsAt) },
              ":count": { N: String(count) },
              ":ownerId": { S: ownerId },
              ":expiresAt": { N: String(Math.ceil(windowEndsAt / 1000) + this.retentionSeconds) },
              ":now": { N: String(nowMs) },
            },
          }),
        );
        return { claimed: true, seenCount: count };
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw this.failure("claim", fingerprint, error);
      }

      try {
        const output = await this.client.send(
          new UpdateItemCommand({
            TableName: this.tableName,
            Key: { [A.fingerprint]: { S: fingerprint } },
            UpdateExpression: "ADD #seenCount :count",
            ConditionExpression: "attribute_exists(#fingerprint)",
            ExpressionAttributeNames: { "#fingerprint": A.fingerprint, "#seenCount": A.seenCount },
            ExpressionAttributeValues: { ":count": { N: String(count) } },
            ReturnValues: "UPDATED_NEW",
          }),
        );
        const seen = Number(output.Attributes?.[A.seenCount]?.N);
        return { claimed: false, seenCount: Number.isFinite(seen) ? seen : count };
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw this.failure("count into", fingerprint, error);
      }
    }
    throw new AlertSuppressionError(
      "claim",
      fingerprint,
      this.tableName,
      `the window was released by other invocations ${MAX_CLAIM_ATTEMPTS} times while this one tried to count into it`,
    );
  }

  async release(fingerprint: string, ownerId: string): Promise<boolean> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: { [A.fingerprint]: { S: fingerprint } },
          ConditionExpression: "#ownerId = :ownerId",
          ExpressionAttributeNames: { "#ownerId": A.ownerId },
          ExpressionAttributeValues: { ":ownerId": { S: ownerId } },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw this.failure("release", fingerprint, error);
    }
  }

  private failure(action: string, fingerprint: string, error: unknown): AlertSuppressionError {
    const { name, message } = error as Error;
    return new AlertSuppressionError(action, fingerprint, this.tableName, `${name}: ${message}`, error);
  }
}

function isConditionalCheckFailed(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === "ConditionalCheckFailedException";
}
