import {
  AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  DynamoDBClient,
  UpdateItemCommand,
  WriteRequest,
} from "@aws-sdk/client-dynamodb";
import { mapWithConcurrency } from "./concurrency";
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
       * in the future; it is counted, not alerted. `unknown`: the claim's condition showed one of these, but counting
       * into it failed (the count then misses this delivery's occurrences; the alert is not affected).
       */
      readonly state: "sent" | "pending" | "muted" | "unknown";
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
  /**
   * Of `fingerprints`, those that need no alert now: in a sent window that is still open, or leased by a live
   * owner. Best effort (a fingerprint it could not read is not in the result, so it alerts: at least once).
   */
  quietOnes(fingerprints: readonly string[], nowMs: number): Promise<Set<string>>;
  /**
   * Opens sent windows, without conditions, for failures that alerted through a digest message already accepted
   * by SNS. Best effort: resolves with the number written; a window not written only means the failure may
   * alert again (a duplicate, never a loss).
   */
  markSent(failures: readonly { fingerprint: string; count: number }[], nowMs: number, ownerId: string): Promise<number>;
}

/** DynamoDB's limit of keys in one BatchGetItem call. */
const MAX_GET_BATCH = 100;
/** DynamoDB's limit of requests in one BatchWriteItem call. */
const MAX_WRITE_BATCH = 25;
/** Calls per batch of keys or writes, the first included, before unprocessed ones are given up on. */
const MAX_BATCH_ATTEMPTS = 4;

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
  /**
   * Rounds of the SDK's own attempts a claim, confirmation or release gets when DynamoDB fails transiently
   * (throttling, HTTP 5xx, timeouts). Every one of these writes is idempotent for its owner, so repeating it
   * is safe; it makes a lease survive a fault rate the SDK's three attempts alone do not.
   * @default 2
   */
  readonly transientRounds?: number;
  /**
   * Waits the given milliseconds between rounds.
   * @default setTimeout
   */
  readonly sleep?: (ms: number) => Promise<void>;
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
 * 5. For a digest (failures beyond the per-delivery alert limit), no lease per failure: `BatchGetItem` first
 *    finds the failures that need no alert ({@link quietOnes}); the digest is published; then `BatchWriteItem`
 *    opens their sent windows ({@link markSent}). A crash between the two only repeats the digest. Per-failure
 *    leases would cost two conditional writes per failure, which a delivery of 10,000 failures cannot afford.
 *
 * Needs `dynamodb:UpdateItem`, `dynamodb:DeleteItem`, `dynamodb:BatchGetItem` and `dynamodb:BatchWriteItem` on
 * the table.
 */
export class DynamoDbSuppressionStore implements SuppressionStore {
  private readonly tableName: string;
  private readonly windowMs: number;
  private readonly retentionSeconds: number;
  private readonly transientRounds: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly client: Pick<DynamoDBClient, "send">, options: DynamoDbSuppressionStoreOptions) {
    if (!Number.isSafeInteger(options.windowMinutes) || options.windowMinutes <= 0) {
      throw new RangeError(`windowMinutes must be a positive integer, got ${options.windowMinutes}`);
    }
    this.tableName = options.tableName;
    this.windowMs = options.windowMinutes * 60_000;
    this.retentionSeconds = options.retentionAfterWindowSeconds ?? 86_400;
    this.transientRounds = options.transientRounds ?? 2;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Sends an idempotent write, repeating it after transient failures (see `transientRounds`). */
  private async sendIdempotent(command: UpdateItemCommand | DeleteItemCommand): Promise<unknown> {
    for (let round = 1; ; round++) {
      try {
        return await this.client.send(command as UpdateItemCommand);
      } catch (error) {
        if (round >= this.transientRounds || !isTransient(error)) throw error;
        await this.sleep(50 * round);
      }
    }
  }

  async claim(fingerprint: string, count: number, nowMs: number, ownerId: string, leaseExpiresAtMs: number): Promise<SuppressionClaim> {
    const windowEndsAt = nowMs + this.windowMs;
    for (let attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt++) {
      try {
        await this.sendIdempotent(
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
            UpdateExpression: "ADD #seenCount :count, #episodeCount :count SET #lastSeenAt = :now",
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
        // The claim's condition already showed that the failure alerted or is being alerted by a live owner:
        // a count that cannot be written loses occurrences from an approximate counter, never an alert.
        if (!isConditionalCheckFailed(error)) return { claimed: false, state: "unknown", seenCount: count };
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
      await this.sendIdempotent(
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
      await this.sendIdempotent(
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

  async quietOnes(fingerprints: readonly string[], nowMs: number): Promise<Set<string>> {
    const quiet = new Set<string>();
    const batches: string[][] = [];
    for (let start = 0; start < fingerprints.length; start += MAX_GET_BATCH) batches.push([...new Set(fingerprints.slice(start, start + MAX_GET_BATCH))]);
    await mapWithConcurrency(batches, 4, async (batch) => {
      let keys: Record<string, AttributeValue>[] = batch.map((fingerprint) => ({ [A.fingerprint]: { S: fingerprint } }));
      for (let attempt = 1; keys.length > 0 && attempt <= MAX_BATCH_ATTEMPTS; attempt++) {
        let output;
        try {
          output = await this.client.send(
            new BatchGetItemCommand({
              RequestItems: {
                [this.tableName]: {
                  Keys: keys,
                  ConsistentRead: true,
                  ProjectionExpression: "#fingerprint, #state, #leaseExpiresAt, #windowEndsAt, #mutedUntil",
                  ExpressionAttributeNames: {
                    "#fingerprint": A.fingerprint,
                    "#state": A.state,
                    "#leaseExpiresAt": A.leaseExpiresAt,
                    "#windowEndsAt": A.windowEndsAt,
                    "#mutedUntil": A.mutedUntil,
                  },
                },
              },
            }),
          );
        } catch {
          return;
        }
        for (const item of output.Responses?.[this.tableName] ?? []) {
          const fingerprint = item[A.fingerprint]?.S;
          const windowEndsAt = Number(item[A.windowEndsAt]?.N);
          const leaseExpiresAt = Number(item[A.leaseExpiresAt]?.N);
          const pending = item[A.state]?.S === SUPPRESSION_STATES.pending;
          const open = Number.isFinite(windowEndsAt) && windowEndsAt >= nowMs;
          const live = pending ? Number.isFinite(leaseExpiresAt) && leaseExpiresAt >= nowMs : true;
          // A muted failure needs no alert either (npm run incidents -- mute), until its mute ends.
          const mutedUntil = Number(item[A.mutedUntil]?.N);
          const muted = Number.isFinite(mutedUntil) && mutedUntil >= nowMs;
          if (fingerprint !== undefined && ((open && live) || muted)) quiet.add(fingerprint);
        }
        keys = (output.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, AttributeValue>[];
        if (keys.length > 0) await this.sleep(50 * attempt);
      }
    });
    return quiet;
  }

  async markSent(failures: readonly { fingerprint: string; count: number }[], nowMs: number, ownerId: string): Promise<number> {
    const windowEndsAt = nowMs + this.windowMs;
    const distinct = [...new Map(failures.map((failure) => [failure.fingerprint, failure])).values()];
    const batches: WriteRequest[][] = [];
    for (let start = 0; start < distinct.length; start += MAX_WRITE_BATCH) {
      batches.push(
        distinct.slice(start, start + MAX_WRITE_BATCH).map(({ fingerprint, count }) => ({
          PutRequest: {
            Item: {
              [A.fingerprint]: { S: fingerprint },
              [A.state]: { S: SUPPRESSION_STATES.sent },
              [A.ownerId]: { S: ownerId },
              [A.windowEndsAt]: { N: String(windowEndsAt) },
              [A.seenCount]: { N: String(count) },
              [A.expiresAt]: { N: String(Math.ceil(windowEndsAt / 1000) + this.retentionSeconds) },
              // A digested failure's episode starts here, for its quiet-again notice (an episode it was already in
              // restarts: a Put cannot add to it).
              [A.lastSeenAt]: { N: String(nowMs) },
              [A.episodeCount]: { N: String(count) },
              [A.episodeStartedAt]: { N: String(nowMs) },
            },
          },
        })),
      );
    }
    const written = await mapWithConcurrency(batches, 4, async (batch) => {
      let pending = batch;
      for (let attempt = 1; pending.length > 0 && attempt <= MAX_BATCH_ATTEMPTS; attempt++) {
        try {
          const output = await this.client.send(new BatchWriteItemCommand({ RequestItems: { [this.tableName]: pending } }));
          pending = output.UnprocessedItems?.[this.tableName] ?? [];
        } catch {
          break;
        }
        if (pending.length > 0) await this.sleep(50 * attempt);
      }
      return batch.length - pending.length;
    });
    return written.reduce((sum, n) => sum + n, 0);
  }

  private failure(action: string, fingerprint: string, error: unknown): AlertSuppressionError {
    const { name, message } = error as Error;
    return new AlertSuppressionError(action, fingerprint, this.tableName, `${name}: ${message}`, error);
  }
}

const TRANSIENT_NAMES = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
  "InternalServerError",
  "ServiceUnavailable",
  "TimeoutError",
]);

/** Throttling, a server error or a timeout: worth another round. Validation, access or missing-table errors are not. */
function isTransient(error: unknown): boolean {
  const { name, $metadata } = (error ?? {}) as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (name !== undefined && TRANSIENT_NAMES.has(name)) || ($metadata?.httpStatusCode ?? 0) >= 500;
}

function isConditionalCheckFailed(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === "ConditionalCheckFailedException";
}
