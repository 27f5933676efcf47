import { AttributeValue, BatchGetItemCommand, BatchGetItemCommandOutput, DynamoDBClient, UpdateItemCommand, UpdateItemCommandOutput } from "@aws-sdk/client-dynamodb";
import { FailureScope, failureKeyOf, SUPPRESSION_ATTRIBUTES, SUPPRESSION_STATES, TRIAGE_STATES, TriageTransition, UNKNOWN_ACCOUNT } from "./suppression-schema";

/**
 * What a read says of a failure's alert state: `quiet` (nothing suppresses it: no item, no window, or one that ended),
 * `sent` (alerted within its window), `muted`, or `held` (another owner's live lease).
 */
export type AlertStateReading = "quiet" | "sent" | "muted" | "held" | "ignored" | "resolved";

/** What this invocation knows of the occurrences it claims for: their release (release.ts), when the logs carry one. */
export interface Occurrence {
  /** The release of the latest occurrence that carried one. */
  readonly release?: string | undefined;
  /**
   * The latest release's order (release.ts `releaseOrder`), or undefined when any occurrence's release is unknown or not
   * comparable: then a failure resolved in a release regresses (an unknown release is never taken as an old one).
   */
  readonly releaseOrder?: number | undefined;
  /** The failure's text (the error's first line, cut to MAX_FAILURE_TEXT_CHARS), kept on the item by a claim. */
  readonly text?: string | undefined;
}

export type { TriageTransition } from "./suppression-schema";

/** The outcome of {@link SuppressionStore.claim}. */
export type SuppressionClaim =
  | {
      /** This owner holds the failure's alert lease and must publish, then confirm or release it. */
      readonly claimed: true;
      /** Occurrences counted in the window so far, this call's included (approximate). */
      readonly seenCount: number;
      /** A triage transition this alert announces, confirmed with the lease (see {@link SuppressionStore.confirm}). */
      readonly transition?: TriageTransition | undefined;
      /** True when the item did not exist: the failure's first occurrence ever (as far as the table remembers). */
      readonly firstSeen?: boolean;
      /** The release of the failure's first occurrence that carried one, as stored. */
      readonly firstRelease?: string | undefined;
    }
  | {
      readonly claimed: false;
      /**
       * `sent`: the failure alerted within its window, so this occurrence is only counted: done.
       * `muted`: someone muted it (`npm run incidents -- mute`) until a time still in the future: counted, done.
       * `held`: another owner's live lease: that owner is publishing, or died and its lease has not expired yet.
       * This delivery has NOT alerted the failure and must not report success for it (it fails, and its retry
       * finds the failure sent, or takes the expired lease over).
       * `ignored`: someone ignored it and its condition is not met yet: counted, done.
       * `resolved`: resolved in a release, and this occurrence is of an earlier one: counted, done.
       */
      readonly state: "sent" | "muted" | "held" | "ignored" | "resolved";
      /** Occurrences counted in the window so far, this call's included (approximate). */
      readonly seenCount: number;
    };

/**
 * A failure's alert lease and suppression window in the failure's state machine (docs/alert-state-machine.md),
 * shared by every invocation. Every method is one conditional `UpdateItem` on the lease's own attributes (never a
 * whole-item write, never a delete), idempotent for its owner, so that an SDK retry of a request whose answer was
 * lost ends in the same state. An error is thrown, never taken as an answer.
 */
export interface SuppressionStore {
  /**
   * Takes the failure's alert lease (until `leaseExpiresAtMs`) when it is not muted, no window is open and no other
   * live owner holds it; otherwise counts `count` more occurrences and says why there is nothing to publish (or,
   * `held`, why this delivery cannot publish yet). Either way records the occurrence for its episode (`last_seen_at`).
   */
  claim(scope: FailureScope, count: number, nowMs: number, ownerId: string, leaseExpiresAtMs: number, occurrence?: Occurrence): Promise<SuppressionClaim>;
  /**
   * Marks the lease `ownerId` holds as sent: the window now suppresses. With the claim's transition, makes it too
   * (resolved → regressed, ignored → open) when the triage state is still the one the claim saw. Resolves false when
   * the lease was lost.
   */
  confirm(scope: FailureScope, ownerId: string, transition?: { readonly transition: TriageTransition; readonly nowMs: number }): Promise<boolean>;
  /**
   * Removes the pending lease `ownerId` holds (its lease attributes only: a mute and the episode stay), so that the
   * next delivery alerts at once. Resolves true when this call removed it.
   */
  release(scope: FailureScope, ownerId: string): Promise<boolean>;
  /**
   * Reads the alert state of failures (strongly consistent `BatchGetItem`, 100 keys per request), keyed by failure
   * key. A failure missing from the result was not read (DynamoDB left it unprocessed): its state is unknown, never
   * assumed. Throws when a request fails.
   */
  readAlertStates(scopes: readonly FailureScope[], nowMs: number): Promise<Map<string, AlertStateReading>>;
}

/** Settings of {@link DynamoDbSuppressionStore}. */
export interface DynamoDbSuppressionStoreOptions {
  /** The alert-suppression table (see suppression-schema.ts). */
  readonly tableName: string;
  /** Length of a window in minutes: a failure that alerted stays quiet this long. */
  readonly windowMinutes: number;
  /**
   * How long DynamoDB's TTL keeps an item after its window ended, in seconds.
   * @default 86400 (one day)
   */
  readonly retentionAfterWindowSeconds?: number;
  /**
   * Rounds of the SDK's own attempts a write gets when DynamoDB fails transiently (throttling, HTTP 5xx, timeouts).
   * Every write is idempotent for its owner, so repeating it is safe.
   * @default 2
   */
  readonly transientRounds?: number;
  /**
   * Waits the given milliseconds between rounds.
   * @default setTimeout
   */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** A failure's state could not be read or written; says which failure, which table, and DynamoDB's reason. */
export class AlertSuppressionError extends Error {
  /** The fingerprint concerned. */
  public readonly fingerprint: string;
  /** The suppression table. */
  public readonly tableName: string;

  constructor(action: string, scope: FailureScope, tableName: string, reason: string, cause?: unknown) {
    super(
      `Could not ${action} the alert state of fingerprint ${scope.fingerprint} (log group ${scope.logGroup}) in DynamoDB table "${tableName}": ${reason}`,
      cause === undefined ? undefined : { cause },
    );
    this.name = "AlertSuppressionError";
    this.fingerprint = scope.fingerprint;
    this.tableName = tableName;
  }
}

/** Rounds of claim-then-count when the state changes between the two (a release, an expiry, a window ending). */
const MAX_CLAIM_ATTEMPTS = 3;

const A = SUPPRESSION_ATTRIBUTES;
const NAMES = {
  "#fingerprint": A.fingerprint,
  "#logGroup": A.logGroup,
  "#accountId": A.accountId,
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
  "#seenTotal": A.seenTotal,
  "#firstSeenAt": A.firstSeenAt,
  "#triage": A.triage,
  "#ignoredUntil": A.ignoredUntil,
  "#ignoreUntilSeen": A.ignoreUntilSeen,
  "#ignoreHour": A.ignoreHour,
  "#ignoreHourCount": A.ignoreHourCount,
  "#ignoreRate": A.ignoreRate,
  "#resolvedInOrder": A.resolvedInOrder,
};

/**
 * The condition under which a claim takes the lease (transition quiet → pending): not muted (no `muted_until`, or
 * one in the past: a mute ends by itself), and: no lease state (never alerted, or released); or the window ended
 * (whatever its state); or a pending lease that is this owner's own (a retry of the same delivery: Lambda's async
 * retry, a Kinesis retry of the same records, or an SDK retry of this very request) or that expired (its owner
 * crashed, was killed or timed out). A sent window still open and another owner's live lease make it fail. It
 * depends on nothing DynamoDB returns on a failed condition (dynalite returns no item for
 * ReturnValuesOnConditionCheckFailure).
 */
export const CLAIM_CONDITION =
  "(attribute_not_exists(#mutedUntil) OR #mutedUntil < :now) AND " +
  // Triage: an ignore holds until its condition is met (a time, a count of occurrences, a rate per clock hour) ...
  // Each comparison of two attributes names its own condition's attribute as existing: an ignore by time has no
  // ignore_until_seen, and a failure ignored before it was first seen no seen_total either. AWS defines `a >= b` on
  // values ("Condition and filter expressions, operators, and functions", "Making comparisons"); dynalite 4 takes two
  // missing attributes as equal, so `#seenTotal >= #ignoreUntilSeen` ended an ignore by time at once (the model test,
  // seed 7). The guard holds under either reading.
  "(attribute_not_exists(#triage) OR #triage <> :ignored OR #ignoredUntil < :now OR " +
  "(attribute_exists(#ignoreUntilSeen) AND #seenTotal >= #ignoreUntilSeen) OR " +
  "(#ignoreHour = :hour AND attribute_exists(#ignoreRate) AND #ignoreHourCount >= #ignoreRate)) AND " +
  // ... and a failure resolved in a release regresses only with an occurrence of that release or a later one.
  "(attribute_not_exists(#triage) OR #triage <> :resolved OR attribute_not_exists(#resolvedInOrder) OR #resolvedInOrder <= :order) AND (" +
  "attribute_not_exists(#state) OR #windowEndsAt < :now OR " +
  "(#state = :pending AND (#ownerId = :ownerId OR #leaseExpiresAt < :now)) OR " +
  // A regression, or an ignore that ended, alerts at once: through a window still open (never through a live lease).
  "(#triage IN (:resolved, :ignored) AND #state = :sent))";

/** The clock hour (since the epoch) an ignore's rate counts occurrences in. */
export function hourOf(nowMs: number): number {
  return Math.floor(nowMs / 3_600_000);
}

/**
 * The order a claim compares with `resolved_in_order`: the occurrences' latest release's, or, when unknown, the
 * largest safe integer (an occurrence of an unknown release regresses any resolved failure).
 */
export function claimOrder(occurrence: Occurrence | undefined): number {
  return occurrence?.releaseOrder ?? Number.MAX_SAFE_INTEGER;
}

/**
 * The lease transitions in DynamoDB (see docs/alert-state-machine.md for the whole machine):
 *
 * 1. Claim: `UpdateItem SET alert_state = pending, owner_id, lease_expires_at, window_ends_at, ... IF`
 *    {@link CLAIM_CONDITION}.
 * 2. Otherwise count: `UpdateItem ADD approx_seen_count, episode_count SET last_seen_at IF attribute_exists(key)`,
 *    returning the item, which says why there is nothing to publish: sent, muted, or held by another live owner.
 *    If it shows none of these (released, expired or ended between the two requests), step 1 is tried again.
 * 3. Confirm, after SNS accepted the alert: `SET alert_state = sent REMOVE lease_expires_at IF owner_id = :me`.
 * 4. Release, when publishing failed: `REMOVE alert_state, owner_id, lease_expires_at, window_ends_at IF
 *    alert_state = pending AND owner_id = :me`: the item, its mute and its episode stay.
 *
 * Storms (more failures in one invocation than it claims one by one): the log group's storm item
 * (`<account>|<log group>|storm`) goes through the same claim, count, confirm and release as a failure's; and a
 * consistent `BatchGetItem` reads the failures a storm digest would name, so that it names none muted or alerted.
 *
 * Needs `dynamodb:UpdateItem` and `dynamodb:BatchGetItem` on the table.
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
  private async send(command: UpdateItemCommand): Promise<UpdateItemCommandOutput> {
    for (let round = 1; ; round++) {
      try {
        return await this.client.send(command);
      } catch (error) {
        if (round >= this.transientRounds || !isTransient(error)) throw error;
        await this.sleep(50 * round);
      }
    }
  }

  private key(scope: FailureScope): Record<string, { S: string }> {
    return { [A.failureKey]: { S: failureKeyOf(scope) } };
  }

  async claim(
    scope: FailureScope,
    count: number,
    nowMs: number,
    ownerId: string,
    leaseExpiresAtMs: number,
    occurrence?: Occurrence,
  ): Promise<SuppressionClaim> {
    const windowEndsAt = nowMs + this.windowMs;
    const release = occurrence?.release;
    const order = claimOrder(occurrence);
    const hour = hourOf(nowMs);
    const scopeValues = {
      ":fingerprint": { S: scope.fingerprint },
      ":logGroup": { S: scope.logGroup },
      ":accountId": { S: scope.accountId === undefined || scope.accountId === "" ? UNKNOWN_ACCOUNT : scope.accountId },
    };
    // The release attributes are written only when the occurrences carry one (DynamoDB refuses unused names).
    const releaseNames: Record<string, string> = release === undefined ? {} : { "#firstRelease": A.firstRelease, "#lastRelease": A.lastRelease };
    const releaseValues: Record<string, AttributeValue> = release === undefined ? {} : { ":release": { S: release } };
    const releaseSet = release === undefined ? "" : ", #firstRelease = if_not_exists(#firstRelease, :release), #lastRelease = :release";
    const text = occurrence?.text;
    const textNames: Record<string, string> = text === undefined ? {} : { "#failureText": A.failureText };
    const textValues: Record<string, AttributeValue> = text === undefined ? {} : { ":failureText": { S: text } };
    // Occurrences not yet counted into the item: all of them until the count step below has added them.
    let uncounted = count;
    for (let attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt++) {
      try {
        const output = await this.send(
          new UpdateItemCommand({
            TableName: this.tableName,
            Key: this.key(scope),
            UpdateExpression:
              "SET #fingerprint = :fingerprint, #logGroup = :logGroup, #accountId = :accountId, " +
              "#state = :pending, #ownerId = :ownerId, #leaseExpiresAt = :leaseExpiresAt, " +
              "#windowEndsAt = :windowEndsAt, #seenCount = :count, " +
              // A mute may have set a later expiry: the claim only happens once the mute ended, so it may shorten it.
              "#expiresAt = :expiresAt, " +
              // The episode (quiet-again notices) goes on across windows until its notice closes it.
              "#lastSeenAt = :now, #episodeCount = if_not_exists(#episodeCount, :zero) + :uncounted, " +
              "#episodeStartedAt = if_not_exists(#episodeStartedAt, :now), " +
              "#seenTotal = if_not_exists(#seenTotal, :zero) + :uncounted, #firstSeenAt = if_not_exists(#firstSeenAt, :now)" +
              releaseSet +
              (text === undefined ? "" : ", #failureText = :failureText"),
            ConditionExpression: CLAIM_CONDITION,
            ExpressionAttributeNames: { ...NAMES, ...releaseNames, ...textNames },
            ExpressionAttributeValues: {
              ...scopeValues,
              ...releaseValues,
              ...textValues,
              ":pending": { S: SUPPRESSION_STATES.pending },
              ":sent": { S: SUPPRESSION_STATES.sent },
              ":resolved": { S: TRIAGE_STATES.resolved },
              ":ignored": { S: TRIAGE_STATES.ignored },
              ":ownerId": { S: ownerId },
              ":leaseExpiresAt": { N: String(Math.min(leaseExpiresAtMs, windowEndsAt)) },
              ":windowEndsAt": { N: String(windowEndsAt) },
              ":count": { N: String(count) },
              ":uncounted": { N: String(uncounted) },
              ":expiresAt": { N: String(this.expiresAtOf(windowEndsAt)) },
              ":now": { N: String(nowMs) },
              ":zero": { N: "0" },
              ":order": { N: String(order) },
              ":hour": { N: String(hour) },
            },
            // What the item was: whether this claim is a regression or the end of an ignore, or the first occurrence.
            ReturnValues: "ALL_OLD",
          }),
        );
        const old = output.Attributes;
        const transition = old === undefined ? undefined : transitionOf(old, nowMs, hour);
        const firstRelease = old?.[A.firstRelease]?.S ?? release;
        return {
          claimed: true,
          seenCount: count,
          ...(transition === undefined ? {} : { transition }),
          ...(old === undefined || old[A.seenTotal] === undefined ? { firstSeen: true } : {}),
          ...(firstRelease === undefined ? {} : { firstRelease }),
        };
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw this.failure("claim", scope, error);
      }

      let output: UpdateItemCommandOutput;
      try {
        output = await this.send(
          new UpdateItemCommand({
            TableName: this.tableName,
            Key: this.key(scope),
            UpdateExpression:
              "ADD #seenCount :count, #episodeCount :uncounted, #seenTotal :uncounted SET #lastSeenAt = :now, " +
              "#episodeStartedAt = if_not_exists(#episodeStartedAt, :now)" +
              releaseSet,
            ConditionExpression: "attribute_exists(#failureKey)",
            ExpressionAttributeNames: {
              "#failureKey": A.failureKey,
              "#seenCount": A.seenCount,
              "#episodeCount": A.episodeCount,
              "#seenTotal": A.seenTotal,
              "#lastSeenAt": A.lastSeenAt,
              "#episodeStartedAt": A.episodeStartedAt,
              ...releaseNames,
            },
            ExpressionAttributeValues: { ":count": { N: String(uncounted) }, ":uncounted": { N: String(uncounted) }, ":now": { N: String(nowMs) }, ...releaseValues },
            ReturnValues: "ALL_NEW",
          }),
        );
      } catch (error) {
        // The item vanished between the two requests (only TTL deletes items): claim again.
        if (isConditionalCheckFailed(error)) continue;
        // What blocked the claim is unknown: an error is never taken as "sent" or "muted".
        throw this.failure("count into", scope, error);
      }
      uncounted = 0;
      let item = output.Attributes ?? {};
      // An ignore until a rate counts this clock hour's occurrences (one more write, for such ignores only).
      if (item[A.triage]?.S === TRIAGE_STATES.ignored && item[A.ignoreRate] !== undefined) {
        item = await this.countIgnoreHour(scope, count, hour, item);
      }
      const seen = Number(item[A.seenCount]?.N);
      const seenCount = Number.isFinite(seen) ? seen : count;
      const blocked = blockedBy(item, nowMs, ownerId, order, hour);
      if (blocked !== undefined) return { claimed: false, state: blocked, seenCount };
      // Released, expired or ended since the claim was refused, or an ignore's condition met by this count: claim again.
    }
    throw new AlertSuppressionError(
      "claim",
      scope,
      this.tableName,
      `its state changed under this claim ${MAX_CLAIM_ATTEMPTS} times (other invocations releasing or taking it)`,
    );
  }

  /**
   * Adds `count` to the clock hour's occurrences of an ignore until a rate, starting the hour over when the stored
   * one is older; returns the item as it is after. Approximate like every count: two invocations starting the same new
   * hour at once may each set it (one's count is then lost), never more than one hour's first counts.
   */
  private async countIgnoreHour(scope: FailureScope, count: number, hour: number, item: Record<string, AttributeValue>): Promise<Record<string, AttributeValue>> {
    const sameHour = item[A.ignoreHour]?.N === String(hour);
    try {
      const output = await this.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: this.key(scope),
          UpdateExpression: sameHour ? "ADD #hourCount :count" : "SET #hour = :hour, #hourCount = :count",
          ConditionExpression: sameHour ? "#hour = :hour" : "attribute_not_exists(#hour) OR #hour <> :hour",
          ExpressionAttributeNames: { "#hour": A.ignoreHour, "#hourCount": A.ignoreHourCount },
          ExpressionAttributeValues: { ":hour": { N: String(hour) }, ":count": { N: String(count) } },
          ReturnValues: "ALL_NEW",
        }),
      );
      return output.Attributes ?? item;
    } catch (error) {
      // Another invocation moved the hour on first: count into it.
      if (isConditionalCheckFailed(error) && !sameHour) return this.countIgnoreHour(scope, count, hour, { ...item, [A.ignoreHour]: { N: String(hour) } });
      throw this.failure("count into", scope, error);
    }
  }

  private expiresAtOf(windowEndsAt: number): number {
    return Math.ceil(windowEndsAt / 1000) + this.retentionSeconds;
  }

  async confirm(scope: FailureScope, ownerId: string, transition?: { readonly transition: TriageTransition; readonly nowMs: number }): Promise<boolean> {
    const names = { "#state": A.state, "#ownerId": A.ownerId, "#leaseExpiresAt": A.leaseExpiresAt };
    const values = { ":sent": { S: SUPPRESSION_STATES.sent }, ":ownerId": { S: ownerId } };
    if (transition !== undefined) {
      const regressed = transition.transition.kind === "regressed";
      try {
        await this.send(
          new UpdateItemCommand({
            TableName: this.tableName,
            Key: this.key(scope),
            // Resolved → regressed (its resolution is kept for the record); ignored → open (the ignore is removed).
            UpdateExpression: regressed
              ? "SET #state = :sent, #triage = :regressed, #triageAt = :now, #triageBy = :by, #note = :note REMOVE #leaseExpiresAt, #resolvedInOrder"
              : "SET #state = :sent, #triageAt = :now, #triageBy = :by, #note = :note REMOVE #leaseExpiresAt, #triage, #ignoredUntil, #ignoreUntilSeen, #ignoreRate, #ignoreHour, #ignoreHourCount",
            ConditionExpression: "#ownerId = :ownerId AND attribute_exists(#state) AND #triage = :was",
            ExpressionAttributeNames: {
              ...names,
              "#triage": A.triage,
              "#triageAt": A.triageAt,
              "#triageBy": A.triageBy,
              "#note": A.triageNote,
              ...(regressed
                ? { "#resolvedInOrder": A.resolvedInOrder }
                : { "#ignoredUntil": A.ignoredUntil, "#ignoreUntilSeen": A.ignoreUntilSeen, "#ignoreRate": A.ignoreRate, "#ignoreHour": A.ignoreHour, "#ignoreHourCount": A.ignoreHourCount }),
            },
            ExpressionAttributeValues: {
              ...values,
              ...(regressed ? { ":regressed": { S: TRIAGE_STATES.regressed } } : {}),
              ":was": { S: regressed ? TRIAGE_STATES.resolved : TRIAGE_STATES.ignored },
              ":now": { N: String(transition.nowMs) },
              ":by": { S: PROCESSOR_IDENTITY },
              ":note": { S: transitionNote(transition.transition) },
            },
          }),
        );
        return true;
      } catch (error) {
        // Someone changed the triage state since the claim (reopened, resolved again): confirm the lease alone.
        if (!isConditionalCheckFailed(error)) throw this.failure("confirm", scope, error);
      }
    }
    try {
      await this.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: this.key(scope),
          UpdateExpression: "SET #state = :sent REMOVE #leaseExpiresAt",
          ConditionExpression: "#ownerId = :ownerId AND attribute_exists(#state)",
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw this.failure("confirm", scope, error);
    }
  }

  async release(scope: FailureScope, ownerId: string): Promise<boolean> {
    try {
      await this.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: this.key(scope),
          UpdateExpression: "REMOVE #state, #ownerId, #leaseExpiresAt, #windowEndsAt",
          ConditionExpression: "#state = :pending AND #ownerId = :ownerId",
          ExpressionAttributeNames: { "#state": A.state, "#ownerId": A.ownerId, "#leaseExpiresAt": A.leaseExpiresAt, "#windowEndsAt": A.windowEndsAt },
          ExpressionAttributeValues: { ":pending": { S: SUPPRESSION_STATES.pending }, ":ownerId": { S: ownerId } },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw this.failure("release", scope, error);
    }
  }

  async readAlertStates(scopes: readonly FailureScope[], nowMs: number): Promise<Map<string, AlertStateReading>> {
    const states = new Map<string, AlertStateReading>();
    const keys = [...new Set(scopes.map((scope) => failureKeyOf(scope)))];
    for (let start = 0; start < keys.length; start += BATCH_GET_LIMIT) {
      const chunk = keys.slice(start, start + BATCH_GET_LIMIT);
      let output: BatchGetItemCommandOutput;
      try {
        output = await this.client.send(
          new BatchGetItemCommand({
            RequestItems: {
              [this.tableName]: {
                Keys: chunk.map((key) => ({ [A.failureKey]: { S: key } })),
                ConsistentRead: true,
                // Every attribute readingOf tests: a missing one would read a resolved or ignored failure as quiet.
                ProjectionExpression: READING_ATTRIBUTES.map((_, i) => `#a${i}`).join(", "),
                ExpressionAttributeNames: Object.fromEntries(READING_ATTRIBUTES.map((name, i) => [`#a${i}`, name])),
              },
            },
          }),
        );
      } catch (error) {
        const { name, message } = error as Error;
        throw new AlertSuppressionError("read", { logGroup: "(several)", fingerprint: `${chunk.length} failures` }, this.tableName, `${name}: ${message}`, error);
      }
      const found = new Map<string, Record<string, AttributeValue>>();
      for (const item of output.Responses?.[this.tableName] ?? []) found.set(item[A.failureKey]?.S ?? "", item);
      const unprocessed = new Set((output.UnprocessedKeys?.[this.tableName]?.Keys ?? []).map((key) => key[A.failureKey]?.S ?? ""));
      for (const key of chunk) {
        if (unprocessed.has(key)) continue;
        states.set(key, readingOf(found.get(key), nowMs));
      }
    }
    return states;
  }

  private failure(action: string, scope: FailureScope, error: unknown): AlertSuppressionError {
    const { name, message } = error as Error;
    return new AlertSuppressionError(action, scope, this.tableName, `${name}: ${message}`, error);
  }
}

/**
 * Keys one BatchGetItem request may name: botocore 0e6e2404 `botocore/data/dynamodb/2012-08-10/service-2.json`, shape
 * `KeyList` (`max: 100`); BatchGetItem's documentation there: "If you request more than 100 items, BatchGetItem returns
 * a ValidationException", and duplicate keys are refused too (so keys are deduplicated first).
 */
export const BATCH_GET_LIMIT = 100;

/** The attributes {@link readingOf} reads. */
const READING_ATTRIBUTES = [
  A.failureKey,
  A.state,
  A.ownerId,
  A.leaseExpiresAt,
  A.windowEndsAt,
  A.mutedUntil,
  A.triage,
  A.ignoredUntil,
  A.seenTotal,
  A.ignoreUntilSeen,
  A.ignoreHour,
  A.ignoreHourCount,
  A.ignoreRate,
] as const;

/** The alert state an item (or its absence) shows at `nowMs`. */
function readingOf(item: Record<string, AttributeValue> | undefined, nowMs: number): AlertStateReading {
  if (item === undefined) return "quiet";
  const mutedUntil = Number(item[A.mutedUntil]?.N);
  if (Number.isFinite(mutedUntil) && mutedUntil >= nowMs) return "muted";
  if (item[A.triage]?.S === TRIAGE_STATES.ignored && !ignoreOver(item, nowMs, hourOf(nowMs))) return "ignored";
  // A storm digest never names a resolved failure: its regression is announced by a claim of its own.
  if (item[A.triage]?.S === TRIAGE_STATES.resolved) return "resolved";
  const windowOpen = Number(item[A.windowEndsAt]?.N) >= nowMs;
  const state = item[A.state]?.S;
  if (state === SUPPRESSION_STATES.sent && windowOpen) return "sent";
  if (state === SUPPRESSION_STATES.pending && windowOpen && Number(item[A.leaseExpiresAt]?.N) >= nowMs) return "held";
  return "quiet";
}

/** Who the processor's triage transitions are recorded as made by. */
export const PROCESSOR_IDENTITY = "log-processor";

/** Whether an ignored item's condition is met (as {@link CLAIM_CONDITION} tests it). */
function ignoreOver(item: Record<string, AttributeValue>, nowMs: number, hour: number): boolean {
  const n = (name: string): number => Number(item[name]?.N ?? NaN);
  return n(A.ignoredUntil) < nowMs || n(A.seenTotal) >= n(A.ignoreUntilSeen) || (n(A.ignoreHour) === hour && n(A.ignoreHourCount) >= n(A.ignoreRate));
}

/**
 * Why a claim was refused, read from the item a count returned (the same tests as {@link CLAIM_CONDITION}, in the
 * order that names the reason), or undefined when nothing blocks it any more and the claim should be tried again.
 */
function blockedBy(item: Record<string, AttributeValue>, nowMs: number, ownerId: string, order: number, hour: number): "sent" | "muted" | "held" | "ignored" | "resolved" | undefined {
  const mutedUntil = Number(item[A.mutedUntil]?.N);
  if (Number.isFinite(mutedUntil) && mutedUntil >= nowMs) return "muted";
  const triage = item[A.triage]?.S;
  if (triage === TRIAGE_STATES.ignored && !ignoreOver(item, nowMs, hour)) return "ignored";
  const resolvedIn = Number(item[A.resolvedInOrder]?.N);
  if (triage === TRIAGE_STATES.resolved && Number.isFinite(resolvedIn) && resolvedIn > order) return "resolved";
  const state = item[A.state]?.S;
  const windowOpen = Number(item[A.windowEndsAt]?.N) >= nowMs;
  const reopens = triage === TRIAGE_STATES.resolved || triage === TRIAGE_STATES.ignored;
  if (state === SUPPRESSION_STATES.sent && windowOpen && !reopens) return "sent";
  const otherLiveOwner = state === SUPPRESSION_STATES.pending && item[A.ownerId]?.S !== ownerId && Number(item[A.leaseExpiresAt]?.N) >= nowMs;
  if (otherLiveOwner && windowOpen) return "held";
  return undefined;
}

/** The transition a successful claim makes due, from the item as it was before the claim. */
function transitionOf(old: Record<string, AttributeValue>, nowMs: number, hour: number): TriageTransition | undefined {
  const triage = old[A.triage]?.S;
  if (triage === TRIAGE_STATES.resolved) {
    const at = Number(old[A.triageAt]?.N);
    return {
      kind: "regressed",
      ...(Number.isFinite(at) ? { resolvedAtMs: at } : {}),
      ...(old[A.triageBy]?.S === undefined ? {} : { resolvedBy: old[A.triageBy]?.S }),
      ...(old[A.resolvedInRelease]?.S === undefined ? {} : { resolvedInRelease: old[A.resolvedInRelease]?.S }),
    };
  }
  if (triage !== TRIAGE_STATES.ignored) return undefined;
  const n = (name: string): number => Number(old[name]?.N ?? NaN);
  const by = old[A.triageBy]?.S ?? "someone";
  let why: string;
  if (n(A.ignoredUntil) < nowMs) why = `ignored by ${by} until ${new Date(n(A.ignoredUntil)).toISOString()}, which has passed`;
  else if (n(A.ignoreHour) === hour && n(A.ignoreHourCount) >= n(A.ignoreRate)) why = `ignored by ${by} until it occurred ${n(A.ignoreRate)} times in a clock hour: it has`;
  else why = `ignored by ${by} ${old[A.triageNote]?.S ?? "until a number of occurrences"}, and that count is reached`;
  return { kind: "ignore-ended", why };
}

/** What the item's `triage_note` says after a transition. */
function transitionNote(transition: TriageTransition): string {
  return transition.kind === "regressed" ? "occurred again after it was resolved" : transition.why;
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
export function isTransient(error: unknown): boolean {
  const { name, $metadata } = (error ?? {}) as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (name !== undefined && TRANSIENT_NAMES.has(name)) || ($metadata?.httpStatusCode ?? 0) >= 500;
}

function isConditionalCheckFailed(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === "ConditionalCheckFailedException";
}
