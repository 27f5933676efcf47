import { DeleteItemCommand, DynamoDBClient, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { SUPPRESSION_ATTRIBUTES, SUPPRESSION_STATES } from "./suppression-schema";

/** The outcome of {@link SuppressionStore.claim}. */
export type SuppressionClaim =
  | {
      /** This invocation holds the failure's alert lease and must publish, then confirm or release it. */
      readonly claimed: true;
      /** Occurrences counted in the window so far, this call's included (approximate, see suppression-schema.ts). */
      readonly seenCount: number;
    }
  | {
      readonly claimed: false;
      /**
       * `sent`: the failure alerted within its window. `pending`: another live invocation holds the lease and is
       * publishing; if it fails, it releases the lease (or the lease expires with it) and Lambda retries its
       * delivery, which alerts. `muted`: someone muted the failure (`npm run incidents -- mute`) until a time still
       * in the future; it is counted, not alerted.
       */
      readonly state: "sent" | "pending" | "muted";
      /** Occurrences counted in the window so far, this call's included (approximate). */
      readonly seenCount: number;
    };

/**
 * Alert leases and suppression windows, one per failure fingerprint, shared by every invocation. Of several
 * concurrent claims on a failure with no live lease and no open window, exactly one succeeds; a claim that is
 * retried after its response was lost succeeds again for the same owner.
 */
export interface SuppressionStore {
  /**
   * Takes the failure's alert lease (until `leaseExpiresAtMs`) when no window is open and no other live lease
   * holds it, or counts `count` more occurrences into the existing window or lease.
   */
  claim(fingerprint: string, count: number, nowMs: number, ownerId: string, leaseExpiresAtMs: number): Promise<SuppressionClaim>;
  /** Marks the lease `ownerId` holds as sent: the window now suppresses. Resolves false when the lease was lost. */
  confirm(fingerprint: string, ownerId: string): Promise<boolean>;
  /**
   * Deletes the pending lease held by `ownerId`, so that the next delivery (Lambda's retry) alerts at once. A lease
   * someone else holds by now, or a sent window, is left alone. Resolves true when this call deleted it.
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

/** Times a claim retries when the item it was counting into is deleted under it by another invocation. */
const MAX_CLAIM_ATTEMPTS = 3;

const A = SUPPRESSION_ATTRIBUTES;
const NAMES = {
  "#fingerprint": A.fingerprint,
  "#state": A.state,
  "#ownerId": A.ownerId,
  "#leaseExpiresAt": A.leaseExpiresAt,
  "#windowEndsAt": A.windowEndsAt,
  "#seenCount": A.seenCount,
  "#expiresAt": A.expiresAt,
  "#mutedUntil": A.mutedUntil,
  "#lastSeenAt": A.lastSeenAt,
  "#episodeCount": A.episodeCount,
  "#episodeStartedAt": A.episodeStartedAt,
};

/**
 * The condition under which a claim takes the lease: the failure is not muted (no `muted_until`, or one in the past:
 * a mute ends by itself, with no request), and: no item; or the window ended (whatever its state); or a
 * pending lease that is this caller's own (the SDK retried a request whose response was lost, or the claim is
 * repeated) or that expired (its owner crashed, was killed or timed out). A sent window that is still open, and
 * another owner's live lease, make it fail. It depends on nothing DynamoDB returns on a failed condition
 * (dynalite returns no item for ReturnValuesOnConditionCheckFailure).
 */
export const CLAIM_CONDITION =
  "(attribute_not_exists(#mutedUntil) OR #mutedUntil < :now) AND (" +
  "attribute_not_exists(#fingerprint) OR #windowEndsAt < :now OR " +
  "(#state = :pending AND (#ownerId = :ownerId OR #leaseExpiresAt < :now)))";

/**
 * Leases and windows in DynamoDB, taken with conditional writes so that they hold across concurrent
 * invocations and execution environments:
 *
 * 1. Claim: `UpdateItem SET alert_state = pending, owner_id, lease_expires_at, window_ends_at, approx_seen_count,
 *    expires_at IF` {@link CLAIM_CONDITION}. Idempotent for its owner, so an SDK retry after a lost response
 *    ends with the same owner holding the lease, and exactly one alert.
 * 2. Otherwise `UpdateItem ADD approx_seen_count :n IF attribute_exists(fingerprint)`, returning the item's state.
 *    When the item was just deleted (a release), step 1 is tried again.
 * 3. Confirm, after SNS accepted the alert: `UpdateItem SET alert_state = sent REMOVE lease_expires_at
 *    IF owner_id = :me` (idempotent too).
 * 4. Release, when publishing failed: `DeleteItem IF alert_state = pending AND owner_id = :me`.
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

  async claim(fingerprint: string, count: number, nowMs: number, ownerId: string, leaseExpiresAtMs: number): Promise<SuppressionClaim> {
    const windowEndsAt = nowMs + this.windowMs;
    for (let attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt++) {
      try {
        await this.client.send(
          new UpdateItemCommand({
            TableName: this.tableName,
            Key: { [A.fingerprint]: { S: fingerprint } },
            UpdateExpression:
              "SET #state = :pending, #ownerId = :ownerId, #leaseExpiresAt = :leaseExpiresAt, " +
              "#windowEndsAt = :windowEndsAt, #seenCount = :count, #expiresAt = :expiresAt, " +
              // The episode (quiet-again notices) goes on across windows until its notice removes it.
              "#lastSeenAt = :now, #episodeCount = if_not_exists(#episodeCount, :zero) + :count, " +
              "#episodeStartedAt = if_not_exists(#episodeStartedAt, :now)",
            ConditionExpression: CLAIM_CONDITION,
            ExpressionAttributeNames: NAMES,
            ExpressionAttributeValues: {
              ":pending": { S: SUPPRESSION_STATES.pending },
              ":ownerId": { S: ownerId },
              ":leaseExpiresAt": { N: String(Math.min(leaseExpiresAtMs, windowEndsAt)) },
              ":windowEndsAt": { N: String(windowEndsAt) },
              ":count": { N: String(count) },
              ":expiresAt": { N: String(Math.ceil(windowEndsAt / 1000) + this.retentionSeconds) },
              ":now": { N: String(nowMs) },
              ":zero": { N: "0" },
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
            UpdateExpression: "SET #lastSeenAt = :now ADD #seenCount :count, #episodeCount :count",
            ConditionExpression: "attribute_exists(#fingerprint)",
            ExpressionAttributeNames: {
              "#fingerprint": A.fingerprint,
              "#seenCount": A.seenCount,
              "#lastSeenAt": A.lastSeenAt,
              "#episodeCount": A.episodeCount,
            },
            ExpressionAttributeValues: { ":count": { N: String(count) }, ":now": { N: String(nowMs) } },
            ReturnValues: "ALL_NEW",
          }),
        );
        const seen = Number(output.Attributes?.[A.seenCount]?.N);
        const mutedUntil = Number(output.Attributes?.[A.mutedUntil]?.N);
        const state =
          Number.isFinite(mutedUntil) && mutedUntil >= nowMs
            ? "muted"
            : output.Attributes?.[A.state]?.S === SUPPRESSION_STATES.pending
              ? "pending"
              : "sent";
        return { claimed: false, state, seenCount: Number.isFinite(seen) ? seen : count };
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

  async confirm(fingerprint: string, ownerId: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { [A.fingerprint]: { S: fingerprint } },
          UpdateExpression: "SET #state = :sent REMOVE #leaseExpiresAt",
          ConditionExpression: "#ownerId = :ownerId",
          ExpressionAttributeNames: { "#state": A.state, "#ownerId": A.ownerId, "#leaseExpiresAt": A.leaseExpiresAt },
          ExpressionAttributeValues: { ":sent": { S: SUPPRESSION_STATES.sent }, ":ownerId": { S: ownerId } },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw this.failure("confirm", fingerprint, error);
    }
  }

  async release(fingerprint: string, ownerId: string): Promise<boolean> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: { [A.fingerprint]: { S: fingerprint } },
          ConditionExpression: "#state = :pending AND #ownerId = :ownerId",
          ExpressionAttributeNames: { "#state": A.state, "#ownerId": A.ownerId },
          ExpressionAttributeValues: { ":pending": { S: SUPPRESSION_STATES.pending }, ":ownerId": { S: ownerId } },
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
