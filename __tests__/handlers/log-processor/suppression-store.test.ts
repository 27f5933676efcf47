import { DeleteItemCommand, DynamoDBClient, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { FailureScope, failureKeyOf } from "../../../handlers/log-processor/suppression-schema";
import { AlertSuppressionError, DynamoDbSuppressionStore } from "../../../handlers/log-processor/suppression-store";
import { LocalDynamoDb, startDynalite } from "../../support/dynalite";
import { createSuppressionTable, muteInTable, putSuppressionItem, suppressionItem } from "../../support/suppression-table";
import { localDynamoDbClient } from "../../support/test-dynamodb-client";

const FINGERPRINT = "4f1c2a9e0b7d4c2e9a513d0f6b2c7e10";
const LOG_GROUP = "/aws/lambda/orders-api";
const ACCOUNT = "123456789012";
/** The failure most tests work on: one fingerprint in one log group of one account. */
const SCOPE: FailureScope = { accountId: ACCOUNT, logGroup: LOG_GROUP, fingerprint: FINGERPRINT };
const KEY = `${ACCOUNT}|${LOG_GROUP}|${FINGERPRINT}`;
const NOW = Date.UTC(2024, 4, 1, 12, 0, 0, 0);
const MINUTE = 60_000;
const LEASE = 30_000;

describe("DynamoDbSuppressionStore against dynalite (real conditional writes)", () => {
  let dynamo: LocalDynamoDb;
  let client: DynamoDBClient;
  let tableCounter = 0;
  let tableName: string;
  let store: DynamoDbSuppressionStore;

  beforeAll(async () => {
    dynamo = await startDynalite();
    client = localDynamoDbClient(dynamo.endpoint);
  });

  afterAll(async () => {
    client.destroy();
    await dynamo.stop();
  });

  beforeEach(async () => {
    tableName = `alert-suppression-${++tableCounter}`;
    await createSuppressionTable(client, tableName);
    store = new DynamoDbSuppressionStore(client, { tableName, windowMinutes: 15 });
  });

  it("opens a window for a new failure: the caller owns the alert, and the item holds its scope, window end, count, owner and TTL", async () => {
    // Act
    const claim = await store.claim(SCOPE, 3, NOW, "owner-a", NOW + LEASE);
    // Assess: the item is keyed by account, log group and fingerprint (suppression-schema.ts failureKeyOf).
    expect(claim).toStrictEqual({ claimed: true, seenCount: 3, firstSeen: true });
    expect(await suppressionItem(client, tableName, SCOPE)).toStrictEqual({
      failure_key: { S: KEY },
      fingerprint: { S: FINGERPRINT },
      log_group: { S: LOG_GROUP },
      account_id: { S: ACCOUNT },
      alert_state: { S: "pending" },
      lease_expires_at: { N: String(NOW + LEASE) },
      window_ends_at: { N: String(NOW + 15 * MINUTE) },
      approx_seen_count: { N: "3" },
      owner_id: { S: "owner-a" },
      expires_at: { N: String((NOW + 15 * MINUTE) / 1000 + 86_400) },
      // The episode, for quiet-again notices.
      last_seen_at: { N: String(NOW) },
      episode_count: { N: "3" },
      episode_started_at: { N: String(NOW) },
      // Triage: every occurrence ever, and when the first was.
      seen_total: { N: "3" },
      first_seen_at: { N: String(NOW) },
    });
  });

  it("keys a failure by account, log group and fingerprint, with '-' for a delivery that names no account", () => {
    // Act / Assess
    expect(failureKeyOf(SCOPE)).toBe(KEY);
    expect(failureKeyOf({ logGroup: LOG_GROUP, fingerprint: FINGERPRINT })).toBe(`-|${LOG_GROUP}|${FINGERPRINT}`);
    expect(failureKeyOf({ accountId: "", logGroup: LOG_GROUP, fingerprint: FINGERPRINT })).toBe(`-|${LOG_GROUP}|${FINGERPRINT}`);
  });

  it("gives the same fingerprint in another log group, and in another account, a lease and window of its own", async () => {
    // Prepare: the failure alerted in orders-api.
    await store.claim(SCOPE, 1, NOW, "owner-a", NOW + LEASE);
    await store.confirm(SCOPE, "owner-a");
    const otherGroup: FailureScope = { ...SCOPE, logGroup: "/aws/lambda/billing" };
    const otherAccount: FailureScope = { ...SCOPE, accountId: "210987654321" };
    // Act
    const inOtherGroup = await store.claim(otherGroup, 2, NOW + MINUTE, "owner-b", NOW + MINUTE + LEASE);
    const inOtherAccount = await store.claim(otherAccount, 4, NOW + MINUTE, "owner-c", NOW + MINUTE + LEASE);
    const inSame = await store.claim(SCOPE, 1, NOW + MINUTE, "owner-d", NOW + MINUTE + LEASE);
    // Assess
    expect(inOtherGroup).toStrictEqual({ claimed: true, seenCount: 2, firstSeen: true });
    expect(inOtherAccount).toStrictEqual({ claimed: true, seenCount: 4, firstSeen: true });
    expect(inSame).toStrictEqual({ claimed: false, state: "sent", seenCount: 2 });
    expect((await suppressionItem(client, tableName, otherGroup))?.failure_key).toStrictEqual({ S: `${ACCOUNT}|/aws/lambda/billing|${FINGERPRINT}` });
    expect((await suppressionItem(client, tableName, otherAccount))?.failure_key).toStrictEqual({ S: `210987654321|${LOG_GROUP}|${FINGERPRINT}` });
  });

  it("counts into an open window without claiming it", async () => {
    // Prepare
    await store.claim(SCOPE, 3, NOW, "owner-a", NOW + LEASE);
    await store.confirm(SCOPE, "owner-a");
    // Act
    const second = await store.claim(SCOPE, 2, NOW + 5 * MINUTE, "owner-b", NOW + 5 * MINUTE + LEASE);
    const third = await store.claim(SCOPE, 1, NOW + 14 * MINUTE, "owner-c", NOW + 14 * MINUTE + LEASE);
    // Assess
    expect(second).toStrictEqual({ claimed: false, state: "sent", seenCount: 5 });
    expect(third).toStrictEqual({ claimed: false, state: "sent", seenCount: 6 });
    const item = await suppressionItem(client, tableName, SCOPE);
    expect(item?.owner_id).toStrictEqual({ S: "owner-a" });
    expect(item?.window_ends_at).toStrictEqual({ N: String(NOW + 15 * MINUTE) });
    // Every occurrence is seen by the episode (quiet-again notices), whether or not it alerted.
    expect(item?.last_seen_at).toStrictEqual({ N: String(NOW + 14 * MINUTE) });
    expect(item?.episode_count).toStrictEqual({ N: "6" });
  });

  it("opens a new window once the old one has ended, restarting the count", async () => {
    // Prepare
    await store.claim(SCOPE, 3, NOW, "owner-a", NOW + LEASE);
    // Act
    const later = await store.claim(SCOPE, 2, NOW + 15 * MINUTE + 1, "owner-b", NOW + 15 * MINUTE + 1 + LEASE);
    // Assess
    expect(later).toStrictEqual({ claimed: true, seenCount: 2 });
    const item = await suppressionItem(client, tableName, SCOPE);
    expect(item?.owner_id).toStrictEqual({ S: "owner-b" });
    expect(item?.approx_seen_count).toStrictEqual({ N: "2" });
    expect(item?.window_ends_at).toStrictEqual({ N: String(NOW + 30 * MINUTE + 1) });
  });

  it("lets exactly one of ten concurrent claims on a new failure own the alert; the others find it held, and every occurrence is counted", async () => {
    // Prepare
    const owners = Array.from({ length: 10 }, (_, i) => `owner-${i}`);
    // Act
    const claims = await Promise.all(owners.map((owner) => store.claim(SCOPE, 2, NOW, owner, NOW + LEASE)));
    // Assess: behaviour changed: a loser is told "held" (not published yet), no longer "pending".
    expect(claims.filter((claim) => claim.claimed)).toHaveLength(1);
    expect(claims.filter((claim) => !claim.claimed).map((claim) => (claim.claimed ? "" : claim.state))).toEqual(Array(9).fill("held"));
    expect((await suppressionItem(client, tableName, SCOPE))?.approx_seen_count).toStrictEqual({ N: "20" });
  });

  it("releases only the owner's lease, and only its lease attributes: the item, its count and its episode stay", async () => {
    // Prepare
    await store.claim(SCOPE, 1, NOW, "owner-a", NOW + LEASE);
    // Act
    const byOther = await store.release(SCOPE, "owner-b");
    const afterOther = await suppressionItem(client, tableName, SCOPE);
    const byOwner = await store.release(SCOPE, "owner-a");
    const byOwnerAgain = await store.release(SCOPE, "owner-a");
    // Assess: behaviour changed: a release is an UpdateItem that REMOVEs the lease, no longer a DeleteItem.
    expect(byOther).toBe(false);
    expect(afterOther?.owner_id).toStrictEqual({ S: "owner-a" });
    expect(byOwner).toBe(true);
    expect(byOwnerAgain).toBe(false);
    expect(await suppressionItem(client, tableName, SCOPE)).toStrictEqual({
      failure_key: { S: KEY },
      fingerprint: { S: FINGERPRINT },
      log_group: { S: LOG_GROUP },
      account_id: { S: ACCOUNT },
      approx_seen_count: { N: "1" },
      expires_at: { N: String((NOW + 15 * MINUTE) / 1000 + 86_400) },
      last_seen_at: { N: String(NOW) },
      episode_count: { N: "1" },
      seen_total: { N: "1" },
      first_seen_at: { N: String(NOW) },
      episode_started_at: { N: String(NOW) },
    });
    // The next delivery alerts at once.
    expect(await store.claim(SCOPE, 1, NOW + 1, "owner-b", NOW + 1 + LEASE)).toStrictEqual({ claimed: true, seenCount: 1 });
  });

  it("claims again when the lease is released between its two writes (the count finds no lease left)", async () => {
    // Prepare: another owner's live lease, and a client that has that owner release it right after this claim's
    // first (failed) conditional write, as a concurrent invocation whose publish failed would.
    await store.claim(SCOPE, 1, NOW, "owner-a", NOW + LEASE);
    let released = false;
    const racing: Pick<DynamoDBClient, "send"> = {
      send: (async (command: UpdateItemCommand) => {
        try {
          return await client.send(command);
        } catch (error) {
          if (!released) {
            released = true;
            await store.release(SCOPE, "owner-a");
          }
          throw error;
        }
      }) as DynamoDBClient["send"],
    };
    const racingStore = new DynamoDbSuppressionStore(racing, { tableName, windowMinutes: 15 });
    // Act
    const claim = await racingStore.claim(SCOPE, 4, NOW + 1000, "owner-b", NOW + 1000 + LEASE);
    // Assess
    expect(released).toBe(true);
    expect(claim).toStrictEqual({ claimed: true, seenCount: 4 });
    expect(await suppressionItem(client, tableName, SCOPE)).toMatchObject({
      alert_state: { S: "pending" },
      owner_id: { S: "owner-b" },
      window_ends_at: { N: String(NOW + 1000 + 15 * MINUTE) },
      expires_at: { N: String((NOW + 1000 + 15 * MINUTE) / 1000 + 86_400) },
    });
  });

  it("claims again instead of leaving an item without window or TTL when DynamoDB's TTL deletes the item between its two writes", async () => {
    // Prepare: a sent window, and a client that deletes the item (as TTL may) right after this claim's first
    // (failed) conditional write.
    await store.claim(SCOPE, 1, NOW, "owner-a", NOW + LEASE);
    await store.confirm(SCOPE, "owner-a");
    let deleted = false;
    const racing: Pick<DynamoDBClient, "send"> = {
      send: (async (command: UpdateItemCommand) => {
        try {
          return await client.send(command);
        } catch (error) {
          if (!deleted) {
            deleted = true;
            await client.send(new DeleteItemCommand({ TableName: tableName, Key: { failure_key: { S: KEY } } }));
          }
          throw error;
        }
      }) as DynamoDBClient["send"],
    };
    const racingStore = new DynamoDbSuppressionStore(racing, { tableName, windowMinutes: 15 });
    // Act
    const claim = await racingStore.claim(SCOPE, 4, NOW + MINUTE, "owner-b", NOW + MINUTE + LEASE);
    // Assess
    expect(claim).toStrictEqual({ claimed: true, seenCount: 4, firstSeen: true });
    expect(await suppressionItem(client, tableName, SCOPE)).toMatchObject({
      owner_id: { S: "owner-b" },
      window_ends_at: { N: String(NOW + 16 * MINUTE) },
      expires_at: { N: String((NOW + 16 * MINUTE) / 1000 + 86_400) },
    });
  });

  it("claims an item that holds no lease, only an ended window (as a mute that ended leaves it)", async () => {
    // Prepare: an item with no lease state, a window at 0 and a mute that ended a minute ago.
    await putSuppressionItem(client, tableName, {
      failure_key: { S: KEY },
      window_ends_at: { N: "0" },
      approx_seen_count: { N: "40" },
      muted_until: { N: String(NOW - MINUTE) },
      muted_by: { S: "ana" },
      expires_at: { N: String(NOW / 1000 + 86_400) },
    });
    // Act
    const claim = await store.claim(SCOPE, 1, NOW, "owner-a", NOW + LEASE);
    // Assess
    expect(claim).toStrictEqual({ claimed: true, seenCount: 1, firstSeen: true });
    expect((await suppressionItem(client, tableName, SCOPE))?.muted_by).toStrictEqual({ S: "ana" });
  });

  it("does not give the lease while the failure is muted, says so, and leaves the mute as it was", async () => {
    // Prepare: muted for an hour, before the failure ever alerted.
    await muteInTable(client, tableName, SCOPE, { untilMs: NOW + 60 * MINUTE, nowMs: NOW - MINUTE });
    const before = await suppressionItem(client, tableName, SCOPE);
    // Act
    const claim = await store.claim(SCOPE, 2, NOW, "owner-a", NOW + LEASE);
    const afterMute = await store.claim(SCOPE, 1, NOW + 60 * MINUTE + 1, "owner-b", NOW + 60 * MINUTE + 1 + LEASE);
    // Assess
    expect(claim).toStrictEqual({ claimed: false, state: "muted", seenCount: 2 });
    expect(afterMute).toStrictEqual({ claimed: true, seenCount: 1 });
    const item = await suppressionItem(client, tableName, SCOPE);
    expect({ until: item?.muted_until, by: item?.muted_by, reason: item?.mute_reason, at: item?.muted_at }).toStrictEqual({
      until: before?.muted_until,
      by: before?.muted_by,
      reason: before?.mute_reason,
      at: before?.muted_at,
    });
  });

  it("keeps a mute set while the lease was held through confirm and release", async () => {
    // Prepare: two failures each claimed; then both muted while their alerts are being published.
    const other: FailureScope = { ...SCOPE, fingerprint: "0123456789abcdef0123456789abcdef" };
    await store.claim(SCOPE, 1, NOW, "owner-a", NOW + LEASE);
    await store.claim(other, 1, NOW, "owner-a", NOW + LEASE);
    await muteInTable(client, tableName, SCOPE, { untilMs: NOW + 60 * MINUTE, nowMs: NOW });
    await muteInTable(client, tableName, other, { untilMs: NOW + 60 * MINUTE, nowMs: NOW });
    // Act
    const confirmed = await store.confirm(SCOPE, "owner-a");
    const released = await store.release(other, "owner-a");
    // Assess
    expect([confirmed, released]).toEqual([true, true]);
    expect((await suppressionItem(client, tableName, SCOPE))?.muted_until).toStrictEqual({ N: String(NOW + 60 * MINUTE) });
    expect((await suppressionItem(client, tableName, other))?.muted_until).toStrictEqual({ N: String(NOW + 60 * MINUTE) });
    expect(await store.claim(other, 1, NOW + MINUTE, "owner-b", NOW + MINUTE + LEASE)).toStrictEqual({ claimed: false, state: "muted", seenCount: 2 });
  });

  it("gives the lease again to its own owner: a claim the SDK retried after a lost response still owns the alert", async () => {
    // Prepare: the first request was applied (its response lost).
    await store.claim(SCOPE, 2, NOW, "owner-a", NOW + LEASE);
    // Act: the same request again.
    const retried = await store.claim(SCOPE, 2, NOW, "owner-a", NOW + LEASE);
    // Assess
    expect(retried).toStrictEqual({ claimed: true, seenCount: 2 });
    expect((await suppressionItem(client, tableName, SCOPE))?.approx_seen_count).toStrictEqual({ N: "2" });
  });

  it("gives a live pending lease to a retry of the same delivery (same owner) at once, long before it expires", async () => {
    // Prepare: the first attempt claimed, then crashed before publishing (the lease is live for another 30 s).
    await store.claim(SCOPE, 1, NOW, "owner-a", NOW + LEASE);
    // Act: Lambda's retry (or the Kinesis retry of the same records), a second later.
    const retry = await store.claim(SCOPE, 1, NOW + 1000, "owner-a", NOW + 1000 + LEASE);
    const confirmed = await store.confirm(SCOPE, "owner-a");
    // Assess
    expect(retry).toStrictEqual({ claimed: true, seenCount: 1 });
    expect(confirmed).toBe(true);
    expect((await suppressionItem(client, tableName, SCOPE))?.alert_state).toStrictEqual({ S: "sent" });
  });

  it("does not give another owner's live lease away, and says it is held", async () => {
    // Prepare
    await store.claim(SCOPE, 1, NOW, "owner-a", NOW + LEASE);
    // Act
    const other = await store.claim(SCOPE, 1, NOW + LEASE - 1, "owner-b", NOW + 2 * LEASE);
    // Assess: behaviour changed: the state is "held" (the delivery must fail for it), no longer "pending".
    expect(other).toStrictEqual({ claimed: false, state: "held", seenCount: 2 });
    expect((await suppressionItem(client, tableName, SCOPE))?.owner_id).toStrictEqual({ S: "owner-a" });
  });

  it("takes over a lease that expired (its owner crashed before publishing), so the failure still alerts", async () => {
    // Prepare
    await store.claim(SCOPE, 1, NOW, "owner-a", NOW + LEASE);
    // Act
    const takeover = await store.claim(SCOPE, 3, NOW + LEASE + 1, "owner-b", NOW + 2 * LEASE);
    const lateConfirm = await store.confirm(SCOPE, "owner-a");
    // Assess
    expect(takeover).toStrictEqual({ claimed: true, seenCount: 3 });
    expect(lateConfirm).toBe(false);
    expect(await suppressionItem(client, tableName, SCOPE)).toMatchObject({
      alert_state: { S: "pending" },
      owner_id: { S: "owner-b" },
      lease_expires_at: { N: String(NOW + 2 * LEASE) },
    });
  });

  it("never lets a lease outlive the window", async () => {
    // Act: a lease asked for longer than the 15-minute window.
    await store.claim(SCOPE, 1, NOW, "owner-a", NOW + 60 * MINUTE);
    // Assess
    expect((await suppressionItem(client, tableName, SCOPE))?.lease_expires_at).toStrictEqual({ N: String(NOW + 15 * MINUTE) });
  });

  it("suppresses with a sent window until it ends, long after the lease would have expired", async () => {
    // Prepare
    await store.claim(SCOPE, 1, NOW, "owner-a", NOW + LEASE);
    // Act
    const confirmed = await store.confirm(SCOPE, "owner-a");
    const confirmedAgain = await store.confirm(SCOPE, "owner-a");
    const during = await store.claim(SCOPE, 1, NOW + 10 * MINUTE, "owner-b", NOW + 10 * MINUTE + LEASE);
    const releasedByOwner = await store.release(SCOPE, "owner-a");
    // Assess
    expect(confirmed).toBe(true);
    expect(confirmedAgain).toBe(true);
    expect(during).toStrictEqual({ claimed: false, state: "sent", seenCount: 2 });
    expect(releasedByOwner).toBe(false);
    const item = await suppressionItem(client, tableName, SCOPE);
    expect(item?.alert_state).toStrictEqual({ S: "sent" });
    expect(item?.lease_expires_at).toBeUndefined();
  });

  it("throws, naming the failure and DynamoDB's reason, when counting into a window fails: an error is never taken as sent or muted", async () => {
    // Prepare: a sent window, and a client whose count (the ADD) is throttled every time.
    await store.claim(SCOPE, 1, NOW, "owner-a", NOW + LEASE);
    await store.confirm(SCOPE, "owner-a");
    let counts = 0;
    const throttlingCounts: Pick<DynamoDBClient, "send"> = {
      send: (async (command: UpdateItemCommand) => {
        if (command.input.UpdateExpression?.startsWith("ADD")) {
          counts++;
          throw Object.assign(new Error("Rate exceeded"), { name: "ProvisionedThroughputExceededException" });
        }
        return client.send(command);
      }) as DynamoDBClient["send"],
    };
    const counting = new DynamoDbSuppressionStore(throttlingCounts, { tableName, windowMinutes: 15, sleep: async () => undefined });
    // Act
    const claim = counting.claim(SCOPE, 2, NOW + MINUTE, "owner-b", NOW + MINUTE + LEASE);
    // Assess: behaviour changed: the old store answered {claimed: false, state: "unknown"}, which the processor
    // counted as suppressed; now the read error is thrown (after the transient retry round).
    await expect(claim).rejects.toBeInstanceOf(AlertSuppressionError);
    await expect(claim).rejects.toThrow(
      `Could not count into the alert state of fingerprint ${FINGERPRINT} (log group ${LOG_GROUP}) in DynamoDB table "${tableName}": ` +
        "ProvisionedThroughputExceededException: Rate exceeded",
    );
    expect(counts).toBe(2);
  });

  it("repeats a claim once after a transient failure, and the owner still holds the lease", async () => {
    // Prepare: the first claim request is applied, then answered with a server error (its response lost).
    let failed = false;
    const losing: Pick<DynamoDBClient, "send"> = {
      send: (async (command: UpdateItemCommand) => {
        const output = await client.send(command);
        if (!failed) {
          failed = true;
          throw Object.assign(new Error("Internal server error"), { name: "InternalServerError", $metadata: { httpStatusCode: 500 } });
        }
        return output;
      }) as DynamoDBClient["send"],
    };
    const retrying = new DynamoDbSuppressionStore(losing, { tableName, windowMinutes: 15, sleep: async () => undefined });
    // Act
    const claim = await retrying.claim(SCOPE, 1, NOW, "owner-a", NOW + LEASE);
    // Assess
    expect(claim).toStrictEqual({ claimed: true, seenCount: 1 });
    expect((await suppressionItem(client, tableName, SCOPE))?.owner_id).toStrictEqual({ S: "owner-a" });
  });

  it("confirms idempotently: a confirm applied whose answer was lost, repeated, still reports the alert sent", async () => {
    // Prepare: the first confirm is applied, then answered with a server error.
    await store.claim(SCOPE, 1, NOW, "owner-a", NOW + LEASE);
    let failed = false;
    const losing: Pick<DynamoDBClient, "send"> = {
      send: (async (command: UpdateItemCommand) => {
        const output = await client.send(command);
        if (!failed) {
          failed = true;
          throw Object.assign(new Error("Internal server error"), { name: "InternalServerError", $metadata: { httpStatusCode: 500 } });
        }
        return output;
      }) as DynamoDBClient["send"],
    };
    const retrying = new DynamoDbSuppressionStore(losing, { tableName, windowMinutes: 15, sleep: async () => undefined });
    // Act
    const confirmed = await retrying.confirm(SCOPE, "owner-a");
    // Assess
    expect(confirmed).toBe(true);
    expect((await suppressionItem(client, tableName, SCOPE))?.alert_state).toStrictEqual({ S: "sent" });
  });

  it("names the fingerprint, the log group, the table and DynamoDB's reason when the table does not exist", async () => {
    // Prepare
    const missing = new DynamoDbSuppressionStore(client, { tableName: "no-such-table", windowMinutes: 15 });
    // Act
    const failure = missing.claim(SCOPE, 1, NOW, "owner-a", NOW + LEASE);
    // Assess
    await expect(failure).rejects.toBeInstanceOf(AlertSuppressionError);
    await expect(failure).rejects.toThrow(
      `Could not claim the alert state of fingerprint ${FINGERPRINT} (log group ${LOG_GROUP}) in DynamoDB table "no-such-table": ResourceNotFoundException: Requested resource not found`,
    );
  });

  it("rejects a window that is not a positive whole number of minutes", () => {
    // Act / Assess
    expect(() => new DynamoDbSuppressionStore(client, { tableName, windowMinutes: 0 })).toThrow(
      new RangeError("windowMinutes must be a positive integer, got 0"),
    );
  });
});
