import { DeleteItemCommand, DynamoDBClient, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { AlertSuppressionError, DynamoDbSuppressionStore } from "../../../handlers/log-processor/suppression-store";
import { LocalDynamoDb, startDynalite } from "../../support/dynalite";
import { createSuppressionTable, putSuppressionItem, suppressionItem } from "../../support/suppression-table";
import { localDynamoDbClient } from "../../support/test-dynamodb-client";

const FINGERPRINT = "4f1c2a9e0b7d4c2e9a513d0f6b2c7e10";
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

  it("opens a window for a new fingerprint: the caller owns the alert, and the item holds window end, count, owner and TTL", async () => {
    // Act
    const claim = await store.claim(FINGERPRINT, 3, NOW, "owner-a", NOW + LEASE);
    // Assess
    expect(claim).toStrictEqual({ claimed: true, seenCount: 3 });
    expect(await suppressionItem(client, tableName, FINGERPRINT)).toStrictEqual({
      fingerprint: { S: FINGERPRINT },
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
    });
  });

  it("counts into an open window without claiming it", async () => {
    // Prepare
    await store.claim(FINGERPRINT, 3, NOW, "owner-a", NOW + LEASE);
    await store.confirm(FINGERPRINT, "owner-a");
    // Act
    const second = await store.claim(FINGERPRINT, 2, NOW + 5 * MINUTE, "owner-b", NOW + 5 * MINUTE + LEASE);
    const third = await store.claim(FINGERPRINT, 1, NOW + 14 * MINUTE, "owner-c", NOW + 14 * MINUTE + LEASE);
    // Assess
    expect(second).toStrictEqual({ claimed: false, state: "sent", seenCount: 5 });
    expect(third).toStrictEqual({ claimed: false, state: "sent", seenCount: 6 });
    const item = await suppressionItem(client, tableName, FINGERPRINT);
    expect(item?.owner_id).toStrictEqual({ S: "owner-a" });
    expect(item?.window_ends_at).toStrictEqual({ N: String(NOW + 15 * MINUTE) });
  });

  it("opens a new window once the old one has ended, restarting the count", async () => {
    // Prepare
    await store.claim(FINGERPRINT, 3, NOW, "owner-a", NOW + LEASE);
    // Act
    const later = await store.claim(FINGERPRINT, 2, NOW + 15 * MINUTE + 1, "owner-b", NOW + 15 * MINUTE + 1 + LEASE);
    // Assess
    expect(later).toStrictEqual({ claimed: true, seenCount: 2 });
    const item = await suppressionItem(client, tableName, FINGERPRINT);
    expect(item?.owner_id).toStrictEqual({ S: "owner-b" });
    expect(item?.approx_seen_count).toStrictEqual({ N: "2" });
    expect(item?.window_ends_at).toStrictEqual({ N: String(NOW + 30 * MINUTE + 1) });
  });

  it("lets exactly one of ten concurrent claims on a new fingerprint own the alert, and counts every occurrence", async () => {
    // Prepare
    const owners = Array.from({ length: 10 }, (_, i) => `owner-${i}`);
    // Act
    const claims = await Promise.all(owners.map((owner) => store.claim(FINGERPRINT, 2, NOW, owner, NOW + LEASE)));
    // Assess
    expect(claims.filter((claim) => claim.claimed)).toHaveLength(1);
    expect((await suppressionItem(client, tableName, FINGERPRINT))?.approx_seen_count).toStrictEqual({ N: "20" });
  });

  it("releases only the owner's window", async () => {
    // Prepare
    await store.claim(FINGERPRINT, 1, NOW, "owner-a", NOW + LEASE);
    // Act
    const byOther = await store.release(FINGERPRINT, "owner-b");
    const afterOther = await suppressionItem(client, tableName, FINGERPRINT);
    const byOwner = await store.release(FINGERPRINT, "owner-a");
    // Assess
    expect(byOther).toBe(false);
    expect(afterOther?.owner_id).toStrictEqual({ S: "owner-a" });
    expect(byOwner).toBe(true);
    expect(await suppressionItem(client, tableName, FINGERPRINT)).toBeUndefined();
  });

  it("claims again instead of leaving an item without window or TTL when the window is released between its two writes", async () => {
    // Prepare: a window owned by someone else, and a client that releases it right after this claim's first
    // (failed) conditional write, as a concurrent invocation whose publish failed would.
    await store.claim(FINGERPRINT, 1, NOW, "owner-a", NOW + LEASE);
    await store.confirm(FINGERPRINT, "owner-a");
    let released = false;
    const racing: Pick<DynamoDBClient, "send"> = {
      send: (async (command: UpdateItemCommand) => {
        try {
          return await client.send(command);
        } catch (error) {
          if (!released) {
            released = true;
            await client.send(
              new DeleteItemCommand({ TableName: tableName, Key: { fingerprint: { S: FINGERPRINT } } }),
            );
          }
          throw error;
        }
      }) as DynamoDBClient["send"],
    };
    const racingStore = new DynamoDbSuppressionStore(racing, { tableName, windowMinutes: 15 });
    // Act
    const claim = await racingStore.claim(FINGERPRINT, 4, NOW + MINUTE, "owner-b", NOW + MINUTE + LEASE);
    // Assess
    expect(claim).toStrictEqual({ claimed: true, seenCount: 4 });
    expect(await suppressionItem(client, tableName, FINGERPRINT)).toMatchObject({
      owner_id: { S: "owner-b" },
      window_ends_at: { N: String(NOW + 16 * MINUTE) },
      expires_at: { N: String((NOW + 16 * MINUTE) / 1000 + 86_400) },
    });
  });

  it("reads a window written by an earlier version the same way (ended windows are reopened)", async () => {
    // Prepare: an item whose window ended a second ago.
    await putSuppressionItem(client, tableName, {
      fingerprint: { S: FINGERPRINT },
      window_ends_at: { N: String(NOW - 1000) },
      approx_seen_count: { N: "40" },
      owner_id: { S: "old" },
      expires_at: { N: String(NOW / 1000 + 86_400) },
    });
    // Act
    const claim = await store.claim(FINGERPRINT, 1, NOW, "owner-a", NOW + LEASE);
    // Assess
    expect(claim).toStrictEqual({ claimed: true, seenCount: 1 });
  });

  it("gives the lease again to its own owner: a claim the SDK retried after a lost response still owns the alert", async () => {
    // Prepare: the first request was applied (its response lost).
    await store.claim(FINGERPRINT, 2, NOW, "owner-a", NOW + LEASE);
    // Act: the same request again.
    const retried = await store.claim(FINGERPRINT, 2, NOW, "owner-a", NOW + LEASE);
    // Assess
    expect(retried).toStrictEqual({ claimed: true, seenCount: 2 });
    expect((await suppressionItem(client, tableName, FINGERPRINT))?.approx_seen_count).toStrictEqual({ N: "2" });
  });

  it("does not give another owner's live lease away, and says it is pending", async () => {
    // Prepare
    await store.claim(FINGERPRINT, 1, NOW, "owner-a", NOW + LEASE);
    // Act
    const other = await store.claim(FINGERPRINT, 1, NOW + LEASE - 1, "owner-b", NOW + 2 * LEASE);
    // Assess
    expect(other).toStrictEqual({ claimed: false, state: "pending", seenCount: 2 });
    expect((await suppressionItem(client, tableName, FINGERPRINT))?.owner_id).toStrictEqual({ S: "owner-a" });
  });

  it("takes over a lease that expired (its owner crashed before publishing), so the failure still alerts", async () => {
    // Prepare
    await store.claim(FINGERPRINT, 1, NOW, "owner-a", NOW + LEASE);
    // Act
    const takeover = await store.claim(FINGERPRINT, 3, NOW + LEASE + 1, "owner-b", NOW + 2 * LEASE);
    const lateConfirm = await store.confirm(FINGERPRINT, "owner-a");
    // Assess
    expect(takeover).toStrictEqual({ claimed: true, seenCount: 3 });
    expect(lateConfirm).toBe(false);
    expect(await suppressionItem(client, tableName, FINGERPRINT)).toMatchObject({
      alert_state: { S: "pending" },
      owner_id: { S: "owner-b" },
      lease_expires_at: { N: String(NOW + 2 * LEASE) },
    });
  });

  it("never lets a lease outlive the window", async () => {
    // Act: a lease asked for longer than the 15-minute window.
    await store.claim(FINGERPRINT, 1, NOW, "owner-a", NOW + 60 * MINUTE);
    // Assess
    expect((await suppressionItem(client, tableName, FINGERPRINT))?.lease_expires_at).toStrictEqual({ N: String(NOW + 15 * MINUTE) });
  });

  it("suppresses with a sent window until it ends, long after the lease would have expired", async () => {
    // Prepare
    await store.claim(FINGERPRINT, 1, NOW, "owner-a", NOW + LEASE);
    // Act
    const confirmed = await store.confirm(FINGERPRINT, "owner-a");
    const confirmedAgain = await store.confirm(FINGERPRINT, "owner-a");
    const during = await store.claim(FINGERPRINT, 1, NOW + 10 * MINUTE, "owner-b", NOW + 10 * MINUTE + LEASE);
    const releasedByOwner = await store.release(FINGERPRINT, "owner-a");
    // Assess
    expect(confirmed).toBe(true);
    expect(confirmedAgain).toBe(true);
    expect(during).toStrictEqual({ claimed: false, state: "sent", seenCount: 2 });
    expect(releasedByOwner).toBe(false);
    const item = await suppressionItem(client, tableName, FINGERPRINT);
    expect(item?.alert_state).toStrictEqual({ S: "sent" });
    expect(item?.lease_expires_at).toBeUndefined();
  });

  it("does not fail an alerted failure when only counting into its window fails (the count is approximate)", async () => {
    // Prepare: a sent window, and a client whose ADD (the count) is throttled every time.
    await store.claim(FINGERPRINT, 1, NOW, "owner-a", NOW + LEASE);
    await store.confirm(FINGERPRINT, "owner-a");
    const throttlingCounts: Pick<DynamoDBClient, "send"> = {
      send: (async (command: UpdateItemCommand) => {
        if (command.input.UpdateExpression?.startsWith("ADD")) {
          throw Object.assign(new Error("Rate exceeded"), { name: "ProvisionedThroughputExceededException" });
        }
        return client.send(command);
      }) as DynamoDBClient["send"],
    };
    const counting = new DynamoDbSuppressionStore(throttlingCounts, { tableName, windowMinutes: 15 });
    // Act
    const claim = await counting.claim(FINGERPRINT, 2, NOW + MINUTE, "owner-b", NOW + MINUTE + LEASE);
    // Assess
    expect(claim).toStrictEqual({ claimed: false, state: "unknown", seenCount: 2 });
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
    const claim = await retrying.claim(FINGERPRINT, 1, NOW, "owner-a", NOW + LEASE);
    // Assess
    expect(claim).toStrictEqual({ claimed: true, seenCount: 1 });
    expect((await suppressionItem(client, tableName, FINGERPRINT))?.owner_id).toStrictEqual({ S: "owner-a" });
  });

  it("finds the failures that need no alert: open sent windows and live leases, not ended ones, expired leases or unknown ones", async () => {
    // Prepare
    await store.claim("sent-open", 1, NOW, "a", NOW + LEASE);
    await store.confirm("sent-open", "a");
    await store.claim("sent-ended", 1, NOW - 16 * MINUTE, "a", NOW - 16 * MINUTE + LEASE);
    await store.confirm("sent-ended", "a");
    await store.claim("leased-live", 1, NOW, "b", NOW + LEASE);
    await store.claim("leased-expired", 1, NOW - LEASE - 1, "c", NOW - 1);
    const fingerprints = ["sent-open", "sent-ended", "leased-live", "leased-expired", "never-seen"];
    // Act
    const quiet = await store.quietOnes([...fingerprints, ...Array.from({ length: 150 }, (_, i) => `other-${i}`)], NOW);
    // Assess
    expect([...quiet].sort()).toEqual(["leased-live", "sent-open"]);
  });

  it("opens sent windows for a digest's failures in batches, so that they suppress", async () => {
    // Act
    const written = await store.markSent(
      Array.from({ length: 60 }, (_, i) => ({ fingerprint: `digest-${i}`, count: i + 1 })),
      NOW,
      "owner-d",
    );
    const later = await store.claim("digest-59", 1, NOW + MINUTE, "owner-e", NOW + MINUTE + LEASE);
    // Assess
    expect(written).toBe(60);
    expect(later).toStrictEqual({ claimed: false, state: "sent", seenCount: 61 });
    expect(await suppressionItem(client, tableName, "digest-0")).toStrictEqual({
      fingerprint: { S: "digest-0" },
      alert_state: { S: "sent" },
      owner_id: { S: "owner-d" },
      window_ends_at: { N: String(NOW + 15 * MINUTE) },
      approx_seen_count: { N: "1" },
      expires_at: { N: String((NOW + 15 * MINUTE) / 1000 + 86_400) },
      // The digested failure's episode, for its quiet-again notice.
      last_seen_at: { N: String(NOW) },
      episode_count: { N: "1" },
      episode_started_at: { N: String(NOW) },
    });
  });

  it("names the fingerprint, the table and DynamoDB's reason when the table does not exist", async () => {
    // Prepare
    const missing = new DynamoDbSuppressionStore(client, { tableName: "no-such-table", windowMinutes: 15 });
    // Act
    const failure = missing.claim(FINGERPRINT, 1, NOW, "owner-a", NOW + LEASE);
    // Assess
    await expect(failure).rejects.toBeInstanceOf(AlertSuppressionError);
    await expect(failure).rejects.toThrow(
      `Could not claim the suppression window of fingerprint ${FINGERPRINT} in DynamoDB table "no-such-table": ResourceNotFoundException: Requested resource not found`,
    );
  });

  it("rejects a window that is not a positive whole number of minutes", () => {
    // Act / Assess
    expect(() => new DynamoDbSuppressionStore(client, { tableName, windowMinutes: 0 })).toThrow(
      new RangeError("windowMinutes must be a positive integer, got 0"),
    );
  });
});
