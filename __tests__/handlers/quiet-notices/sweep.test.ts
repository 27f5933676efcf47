import { DynamoDBClient, PutItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { SNSClient } from "@aws-sdk/client-sns";
import { AlertMessage } from "../../../handlers/log-processor/alert-message";
import { mapWithConcurrency } from "../../../handlers/log-processor/concurrency";
import { toIncidentItem } from "../../../handlers/log-processor/incident-item";
import { publishCommand } from "../../../handlers/log-processor/sns-publish";
import { failureKeyOf, FailureScope, SUPPRESSION_ATTRIBUTES as A } from "../../../handlers/log-processor/suppression-schema";
import { claimNotice, findQuietEpisodes, latestIncident } from "../../../handlers/quiet-notices/episodes";
import { publishWithRetry } from "../../../handlers/quiet-notices/publish-retry";
import { sweepQuietEpisodes, SweepDependencies } from "../../../handlers/quiet-notices/sweep";
import { LocalDynamoDb, startDynalite } from "../../support/dynalite";
import { FaultProxy, startFaultProxy } from "../../support/fault-proxy";
import { LocalSns, startLocalSns } from "../../../lib/local-aws/sns-subscribers";
import { createIncidentsTable } from "../../support/incidents-table";
import { createSuppressionTable, suppressionItem, writeAlertedOccurrence } from "../../support/suppression-table";

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);
const MINUTE = 60_000;
const GROUP = "/aws/lambda/payments";
const ACCOUNT = "123456789012";
const scopeOf = (i: number, logGroup = GROUP): FailureScope => ({ accountId: ACCOUNT, logGroup, fingerprint: i.toString(16).padStart(32, "0") });
const SCOPE = scopeOf(1);
const CREDENTIALS = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };

/**
 * The quiet-again sweep (handlers/quiet-notices) as a state machine on the failure's suppression item, against
 * dynalite behind the fault proxy (apply-then-500, throttle), publishing through the real publishCommand and
 * SNSClient (one attempt, publish-retry.ts) to fauxqs behind a second fault proxy, which refuses what SNS refuses (its
 * record of accepted Publishes is checked against what a subscribed SQS queue received). The processor's writes
 * are those of its contract (writeAlertedOccurrence), so these tests do not depend on its code. Every clock is
 * injected: nothing depends on the machine's speed.
 */
describe("quiet-again sweep: transitions and faults (dynalite behind the fault proxy, SNS by fauxqs)", () => {
  let dynamo: LocalDynamoDb;
  let proxy: FaultProxy;
  let client: DynamoDBClient;
  let direct: DynamoDBClient;
  let localSns: LocalSns;
  let topicArn: string;
  let sns: SNSClient;
  let n = 0;
  let incidents: string;
  let suppression: string;

  beforeAll(async () => {
    dynamo = await startDynalite();
    proxy = await startFaultProxy(dynamo.endpoint);
    // The sweeper's DynamoDB settings (index.ts): 3 attempts, so the SDK retries what the proxy fails.
    client = new DynamoDBClient({ endpoint: proxy.endpoint, region: "us-east-1", credentials: CREDENTIALS, maxAttempts: 3 });
    direct = new DynamoDBClient({ endpoint: dynamo.endpoint, region: "us-east-1", credentials: CREDENTIALS });
    localSns = await startLocalSns();
    topicArn = await localSns.createTopic("alerts");
    // The sweeper's SNS settings (index.ts): one attempt, timeouts that throw; long enough that a loaded machine does
    // not reach them (fauxqs is another process), except in the test of a hang, which has its own short one.
    sns = snsClient(30_000);
  });
  afterAll(async () => {
    client.destroy();
    direct.destroy();
    sns.destroy();
    await proxy.stop();
    await localSns.stop();
    await dynamo.stop();
  });
  beforeEach(async () => {
    n++;
    incidents = `incidents-${n}`;
    suppression = `suppression-${n}`;
    await createIncidentsTable(direct, incidents);
    await createSuppressionTable(direct, suppression);
    proxy.setRule(() => undefined);
    await localSns.reset();
  });
  afterEach(async () => {
    // What the proxy saw fauxqs accept is what the topic's subscriber received (concurrent Publishes in any order).
    const key = (p: { topicArn: string; subject: string | undefined; message: string; attributes: Readonly<Record<string, string>> }) =>
      JSON.stringify([p.topicArn, p.subject, p.message, p.attributes]);
    expect((await localSns.received()).map(key).sort()).toEqual(localSns.proxy.accepted.map(key).sort());
  });

  const snsClient = (timeoutMs: number) =>
    new SNSClient({
      endpoint: localSns.endpoint,
      region: "eu-west-1",
      credentials: CREDENTIALS,
      maxAttempts: 1,
      requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs, throwOnRequestTimeout: true },
    });
  const occur = (atMs: number, count = 1, scope = SCOPE) => writeAlertedOccurrence(direct, suppression, scope, atMs, count);
  const notices = () => localSns.proxy.accepted.map((publish) => JSON.parse(publish.message) as Record<string, string>);
  const sweep = (atMs: number, overrides: Partial<SweepDependencies> = {}) =>
    sweepQuietEpisodes({
      client,
      suppressionTableName: suppression,
      incidentsTableName: incidents,
      windowMinutes: 15,
      region: "eu-west-1",
      now: () => atMs,
      publish: (notice: AlertMessage) => publishWithRetry(() => sns.send(publishCommand(topicArn, notice)), async () => undefined),
      ...overrides,
    });

  it("sends one notice a whole window after the last occurrence, then closes the episode (quiet -> claimed -> closed)", async () => {
    // Prepare: an alerted failure seen at 12:00 (2 times), 12:05 and 12:20.
    await occur(T0, 2);
    await occur(T0 + 5 * MINUTE);
    await occur(T0 + 20 * MINUTE);
    // Act: before 12:35 (last + 15 minutes), after it, and again later.
    const early = await sweep(T0 + 34 * MINUTE);
    const due = await sweep(T0 + 36 * MINUTE);
    const again = await sweep(T0 + 41 * MINUTE);
    // Assess
    expect([early.notified, due.notified, again.notified]).toEqual([0, 1, 0]);
    expect(localSns.proxy.accepted).toHaveLength(1);
    expect(localSns.proxy.accepted[0]?.subject).toBe(`[RESOLVED] Quiet again: failure ${SCOPE.fingerprint} (${GROUP})`);
    expect(localSns.proxy.accepted[0]?.attributes).toEqual({ severity: "ERROR", log_group: GROUP, fingerprint: SCOPE.fingerprint, kind: "quiet-again", account_id: "123456789012" });
    expect(notices()[0]?.default?.split("\n")[3]).toBe(
      "Seen about 4 times over the episode, from its first alert at 2026-11-30T12:00:00.000Z to its last occurrence at 2026-11-30T12:20:00.000Z.",
    );
    const item = await suppressionItem(direct, suppression, SCOPE);
    expect(item).toMatchObject({ [A.noticedLastSeenAt]: { N: String(T0 + 20 * MINUTE) }, [A.quietNoticeAt]: { N: String(T0 + 36 * MINUTE) } });
    expect(Object.keys(item ?? {})).not.toEqual(expect.arrayContaining([A.episodeCount]));
    expect([A.episodeCount, A.episodeStartedAt, A.noticeOwner, A.noticeLeaseExpiresAt].filter((name) => item?.[name] !== undefined)).toEqual([]);
  });

  it("starts a new episode with the next occurrence, which gets its own notice", async () => {
    await occur(T0);
    await sweep(T0 + 16 * MINUTE);
    await occur(T0 + 60 * MINUTE, 3);
    // Act
    const second = await sweep(T0 + 76 * MINUTE);
    // Assess
    expect(second.notified).toBe(1);
    expect(notices().map((bodies) => bodies.default?.split("\n")[3])).toEqual([
      "Seen about 1 time over the episode, from its first alert at 2026-11-30T12:00:00.000Z to its last occurrence at 2026-11-30T12:00:00.000Z.",
      "Seen about 3 times over the episode, from its first alert at 2026-11-30T13:00:00.000Z to its last occurrence at 2026-11-30T13:00:00.000Z.",
    ]);
  });

  it("publish refused: releases the claim and the next sweep sends the notice", async () => {
    await occur(T0);
    localSns.faultNextPublishes(1, { kind: "error", status: 400, code: "AuthorizationError", message: "not authorized (injected)" });
    // Act
    const failed = await sweep(T0 + 16 * MINUTE);
    const itemAfterFailure = await suppressionItem(direct, suppression, SCOPE);
    const retry = await sweep(T0 + 21 * MINUTE);
    // Assess
    expect(failed).toMatchObject({ quiet: 1, claimed: 1, notified: 0, failed: 1, failedKeys: [failureKeyOf(SCOPE)], firstError: "AuthorizationErrorException: not authorized (injected)" });
    expect(itemAfterFailure?.[A.noticeOwner]).toBeUndefined();
    expect(retry).toMatchObject({ notified: 1, failed: 0 });
    expect(localSns.proxy.accepted).toHaveLength(1);
  });

  it("publish throttled: retried at once (an answered refusal), one notice", async () => {
    await occur(T0);
    localSns.faultNextPublishes(2, { kind: "error", status: 400, code: "Throttling", message: "Rate exceeded" });
    // Act
    const result = await sweep(T0 + 16 * MINUTE);
    // Assess
    expect(result.notified).toBe(1);
    expect([localSns.proxy.publishRequests.length, localSns.proxy.accepted.length]).toEqual([3, 1]);
  });

  it("publish not answered (timeout): not retried in this sweep, so a late answer cannot multiply it; the next sweep sends it", async () => {
    await occur(T0);
    localSns.faultNextPublishes(1, { kind: "hang" });
    const quick = snsClient(2_000);
    // Act
    const hung = await sweep(T0 + 16 * MINUTE, {
      publish: (notice: AlertMessage) => publishWithRetry(() => quick.send(publishCommand(topicArn, notice)), async () => undefined),
    }).finally(() => quick.destroy());
    const next = await sweep(T0 + 21 * MINUTE);
    // Assess: one attempt in the first sweep (the SDK's TimeoutError), one in the next.
    expect(hung).toMatchObject({ notified: 0, failed: 1 });
    expect(hung.firstError).toMatch(/^TimeoutError: /);
    expect(next.notified).toBe(1);
    expect(localSns.proxy.publishRequests).toHaveLength(2);
  });

  it("close applied then answered 500: the SDK's retry is recognised as this owner's close, counted notified, no second notice", async () => {
    await occur(T0);
    let failedOnce = false;
    proxy.setRule((request) => {
      if (request.operation !== "UpdateItem" || failedOnce) return undefined;
      if (!String(request.body.UpdateExpression).startsWith("SET #noticeAt = :now, #noticed = :lastSeen REMOVE")) return undefined;
      failedOnce = true;
      return { kind: "apply-then-500" };
    });
    // Act
    const result = await sweep(T0 + 16 * MINUTE);
    const later = await sweep(T0 + 30 * MINUTE);
    // Assess
    expect(failedOnce).toBe(true);
    expect(result).toMatchObject({ notified: 1, skipped: 0, closeErrors: 0 });
    expect(later).toMatchObject({ quiet: 0, notified: 0 });
    expect(localSns.proxy.accepted).toHaveLength(1);
  });

  it("claim applied then answered 500: the SDK's retry takes its own claim, one notice", async () => {
    await occur(T0);
    let failedOnce = false;
    proxy.setRule((request) => {
      if (request.operation !== "UpdateItem" || failedOnce || !String(request.body.UpdateExpression).startsWith("SET #owner")) return undefined;
      failedOnce = true;
      return { kind: "apply-then-500" };
    });
    // Act
    const result = await sweep(T0 + 16 * MINUTE);
    // Assess
    expect([failedOnce, result.notified, localSns.proxy.accepted.length]).toEqual([true, 1, 1]);
  });

  it("killed between claim and publish: the next sweep (the same owner, derived from the episode) sends the notice", async () => {
    await occur(T0);
    // Prepare: a sweep that claimed and then died (its claim is left, its lease running).
    const [episode] = await findQuietEpisodes(direct, suppression, T0 + 16 * MINUTE, T0 + MINUTE);
    expect(await claimNotice(direct, suppression, episode as NonNullable<typeof episode>, T0 + 16 * MINUTE, 5 * MINUTE)).toBe(true);
    // Act: the next scheduled sweep, within the lease.
    const next = await sweep(T0 + 17 * MINUTE);
    // Assess
    expect(next.notified).toBe(1);
    expect(localSns.proxy.accepted).toHaveLength(1);
  });

  it("a claim held by another owner holds until its lease ends, then the sweep takes it over", async () => {
    await occur(T0);
    await direct.send(
      new UpdateItemCommand({
        TableName: suppression,
        Key: { [A.failureKey]: { S: failureKeyOf(SCOPE) } },
        UpdateExpression: "SET #owner = :owner, #expires = :expires",
        ExpressionAttributeNames: { "#owner": A.noticeOwner, "#expires": A.noticeLeaseExpiresAt },
        ExpressionAttributeValues: { ":owner": { S: "another-version" }, ":expires": { N: String(T0 + 20 * MINUTE) } },
      }),
    );
    // Act
    const held = await sweep(T0 + 16 * MINUTE);
    const expired = await sweep(T0 + 21 * MINUTE);
    // Assess
    expect([held.skipped, held.notified, expired.notified]).toEqual([1, 0, 1]);
  });

  it("55 failing notices do not block the others: every quiet episode is attempted every sweep", async () => {
    // Prepare: 70 quiet failures; SNS refuses the notices of the 55 oldest. No summary (threshold above 70).
    for (let i = 0; i < 70; i++) await occur(T0 + i * 1000, 1, scopeOf(i));
    const refused = new Set(Array.from({ length: 55 }, (_, i) => scopeOf(i).fingerprint));
    let refusing = true;
    const publish = async (notice: AlertMessage) => {
      if (refusing && refused.has(notice.attributes.fingerprint)) throw Object.assign(new Error("KMS key disabled (injected)"), { name: "KMSDisabledException" });
      await sns.send(publishCommand(topicArn, notice));
    };
    // Act
    const first = await sweep(T0 + 20 * MINUTE, { publish, summaryThreshold: 1_000 });
    refusing = false;
    const second = await sweep(T0 + 25 * MINUTE, { publish, summaryThreshold: 1_000 });
    // Assess
    expect(first).toMatchObject({ quiet: 70, claimed: 70, notified: 15, failed: 55 });
    expect(second).toMatchObject({ quiet: 55, notified: 55, failed: 0 });
    expect(new Set(localSns.proxy.accepted.map((p) => p.attributes.fingerprint)).size).toBe(70);
  });

  it("recurrence between the scan and the claim: no notice, the episode goes on", async () => {
    await occur(T0);
    // The failure recurs just before the claim is sent (the sweep had already read the episode).
    const result = await sweep(T0 + 16 * MINUTE, { client: beforeClaim(() => occur(T0 + 16 * MINUTE)) });
    // Assess
    expect(result).toMatchObject({ quiet: 1, claimed: 0, skipped: 1, notified: 0 });
    expect(localSns.proxy.publishRequests).toHaveLength(0);
    expect((await suppressionItem(direct, suppression, SCOPE))?.[A.episodeCount]).toEqual({ N: "2" });
  });

  /** The sweeper's client, running `first` (once) before it sends the first notice claim. */
  const beforeClaim = (first: () => Promise<void>) => {
    let done = false;
    return {
      send: async (command: { input: { UpdateExpression?: string } }) => {
        if (!done && command.input.UpdateExpression?.startsWith("SET #owner") === true) {
          done = true;
          await first();
        }
        return client.send(command as never);
      },
    } as unknown as DynamoDBClient;
  };

  it("recurrence while the notice is published: the notice is recorded, the new occurrences stay as the next episode", async () => {
    // Prepare: 4 occurrences at 12:00; the failure recurs (2 times at 12:16) while SNS takes the notice.
    await occur(T0, 4);
    const publish = async (notice: AlertMessage) => {
      await occur(T0 + 16 * MINUTE, 2);
      await sns.send(publishCommand(topicArn, notice));
    };
    // Act
    const during = await sweep(T0 + 16 * MINUTE, { publish });
    const item = await suppressionItem(direct, suppression, SCOPE);
    const after = await sweep(T0 + 40 * MINUTE);
    // Assess
    expect(during).toMatchObject({ notified: 1, recurred: 1 });
    expect(item).toMatchObject({ [A.episodeCount]: { N: "2" }, [A.noticedLastSeenAt]: { N: String(T0) }, [A.lastSeenAt]: { N: String(T0 + 16 * MINUTE) } });
    expect(item?.[A.noticeOwner]).toBeUndefined();
    expect(after.notified).toBe(1);
    expect(notices()[1]?.default?.split("\n")[3]).toBe(
      "Seen about 2 times since the previous quiet-again notice (which covered it up to 2026-11-30T12:00:00.000Z), last at 2026-11-30T12:16:00.000Z.",
    );
  });

  it("muted failures get no notice while muted, and one after the mute ends", async () => {
    await occur(T0);
    await direct.send(
      new UpdateItemCommand({
        TableName: suppression,
        Key: { [A.failureKey]: { S: failureKeyOf(SCOPE) } },
        UpdateExpression: "SET #mutedUntil = :until",
        ExpressionAttributeNames: { "#mutedUntil": A.mutedUntil },
        ExpressionAttributeValues: { ":until": { N: String(T0 + 60 * MINUTE) } },
      }),
    );
    // Act
    const muted = await sweep(T0 + 30 * MINUTE);
    const after = await sweep(T0 + 61 * MINUTE);
    // Assess
    expect([muted.quiet, muted.notified, after.notified]).toEqual([0, 0, 1]);
  });

  it("a failure that never alerted (no alert_state sent) gets no notice", async () => {
    await direct.send(
      new PutItemCommand({
        TableName: suppression,
        Item: { [A.failureKey]: { S: failureKeyOf(SCOPE) }, [A.lastSeenAt]: { N: String(T0) }, [A.episodeCount]: { N: "3" }, [A.mutedUntil]: { N: String(T0 + MINUTE) } },
      }),
    );
    expect(await sweep(T0 + 60 * MINUTE)).toMatchObject({ quiet: 0, notified: 0 });
  });

  // The owner of the alert was killed between its claim and its confirm (it may have published), and the retry found
  // the failure muted, so no one confirmed it: the item stays pending. Found by the model test (seed 4242, 150 runs).
  const leaveClaimPending = (leaseExpiresAtMs: number) =>
    direct.send(
      new UpdateItemCommand({
        TableName: suppression,
        Key: { [A.failureKey]: { S: failureKeyOf(SCOPE) } },
        UpdateExpression: "SET #state = :pending, #owner = :owner, #lease = :lease",
        ExpressionAttributeNames: { "#state": A.state, "#owner": A.ownerId, "#lease": A.leaseExpiresAt },
        ExpressionAttributeValues: { ":pending": { S: "pending" }, ":owner": { S: "killed-owner" }, ":lease": { N: String(leaseExpiresAtMs) } },
      }),
    );

  it("a claim left pending by a killed owner (its lease over, later occurrences muted) gets its notice once quiet", async () => {
    await occur(T0, 2);
    await leaveClaimPending(T0 + MINUTE);
    // Act
    const first = await sweep(T0 + 16 * MINUTE);
    const next = await sweep(T0 + 30 * MINUTE);
    // Assess
    expect(first).toMatchObject({ quiet: 1, claimed: 1, notified: 1 });
    expect(next).toMatchObject({ quiet: 0 });
    expect(notices()).toHaveLength(1);
    // The episode is closed; the stale claim stays for the next occurrence to take over (its lease is over).
    expect(await suppressionItem(direct, suppression, failureKeyOf(SCOPE))).toMatchObject({ [A.state]: { S: "pending" }, [A.noticedLastSeenAt]: { N: String(T0) } });
  });

  it("a claim whose lease is still live is an owner at work: no notice", async () => {
    await occur(T0);
    await leaveClaimPending(T0 + 60 * MINUTE);
    expect(await sweep(T0 + 16 * MINUTE)).toMatchObject({ quiet: 0, notified: 0 });
    expect(notices()).toHaveLength(0);
  });

  it("two overlapping sweeps: at most two copies, the episode closed once", async () => {
    await occur(T0);
    // Act
    const [a, b] = await Promise.all([sweep(T0 + 16 * MINUTE), sweep(T0 + 16 * MINUTE)]);
    // Assess
    expect(localSns.proxy.accepted.length).toBeGreaterThanOrEqual(1);
    expect(localSns.proxy.accepted.length).toBeLessThanOrEqual(2);
    expect(a.notified + b.notified).toBeGreaterThanOrEqual(1);
    expect((await sweep(T0 + 30 * MINUTE)).quiet).toBe(0);
  });

  it("a 500-failure storm ends with one summary, every episode closed", async () => {
    // Prepare: 500 alerted failures in 7 log groups, quiet since 12:00.
    await mapWithConcurrency(Array.from({ length: 500 }, (_, i) => i), 16, (i) => occur(T0, 1 + (i % 13), scopeOf(i, `/aws/lambda/fn-${i % 7}`)));
    // Act
    const result = await sweep(T0 + 16 * MINUTE);
    const next = await sweep(T0 + 30 * MINUTE);
    // Assess
    expect(result).toMatchObject({ quiet: 500, claimed: 500, notified: 500, summaries: 1, failed: 0 });
    expect(next.quiet).toBe(0);
    expect(localSns.proxy.accepted).toHaveLength(1);
    expect(localSns.proxy.accepted[0]?.subject).toBe("[RESOLVED] Quiet again: 500 failures (7 log groups)");
    // 500 episodes on dynalite took more than jest's 60 s under the whole suite on a loaded 2-core machine; the clock
    // the sweep reads is injected, so only this bound depends on the machine.
  }, 600_000);

  it("a storm's summary refused: every claim released, the next sweep sends the summary", async () => {
    for (let i = 0; i < 30; i++) await occur(T0, 1, scopeOf(i));
    localSns.faultNextPublishes(3, { kind: "error", status: 500, code: "InternalError", message: "injected" });
    // Act
    const refused = await sweep(T0 + 16 * MINUTE);
    const next = await sweep(T0 + 21 * MINUTE);
    // Assess
    expect(refused).toMatchObject({ claimed: 30, notified: 0, summaries: 0, failed: 30 });
    expect(next).toMatchObject({ claimed: 30, notified: 30, summaries: 1 });
    expect(localSns.proxy.accepted).toHaveLength(1);
  });

  it("near the function's timeout: claims nothing more and leaves the rest for the next sweep (injected remaining time)", async () => {
    for (let i = 0; i < 3; i++) await occur(T0, 1, scopeOf(i));
    // Act: 19 s left, under the 20 s the sweep keeps free.
    const late = await sweep(T0 + 16 * MINUTE, { remainingMs: () => 19_000 });
    const next = await sweep(T0 + 21 * MINUTE);
    // Assess
    expect(late).toMatchObject({ quiet: 3, claimed: 0, deferred: 3, notified: 0 });
    expect(next).toMatchObject({ quiet: 3, notified: 3 });
  });

  it("a storm larger than one sweep's time: claims while half the time above the reserve lasts, one summary for those, the rest next sweep", async () => {
    for (let i = 0; i < 30; i++) await occur(T0, 1, scopeOf(i));
    // A clock for the function's remaining time: 60 s at the start, 1 s less at every look (deterministic).
    let left = 61_000;
    const remainingMs = () => (left -= 1_000);
    // Act
    const first = await sweep(T0 + 16 * MINUTE, { remainingMs, concurrency: 1 });
    const second = await sweep(T0 + 21 * MINUTE);
    // Assess: claims stop at 40 s left (20 s reserve + half of the 40 s above it).
    expect(first).toMatchObject({ quiet: 30, claimed: 20, deferred: 10, summaries: 1, notified: 20 });
    expect(second).toMatchObject({ quiet: 10, claimed: 10, summaries: 0, notified: 10 });
    expect(localSns.proxy.accepted).toHaveLength(11);
  });

  it("reads the latest incident of the failure's own scope, not another log group's or account's", async () => {
    // Prepare: the same fingerprint in two log groups and an account; the newest incident is in the other group.
    const base = { logStream: "s", severity: "ERROR" as const, fingerprint: SCOPE.fingerprint, requestId: undefined, errorType: undefined };
    const put = (id: string, logGroup: string, accountId: string | undefined, message: string, at: string) =>
      direct.send(
        new PutItemCommand({
          TableName: incidents,
          Item: toIncidentItem({ ...base, incidentId: id, logGroup, ...(accountId === undefined ? {} : { accountId }), message, occurredAt: at, timestampMs: Date.parse(at), eventId: id } as never),
        }),
      );
    await put("a".repeat(64), GROUP, ACCOUNT, "ERROR own scope", "2026-11-30T12:00:00.000Z");
    await put("b".repeat(64), "/aws/lambda/other", ACCOUNT, "ERROR other group", "2026-11-30T12:05:00.000Z");
    await put("c".repeat(64), GROUP, "210987654321", "ERROR other account", "2026-11-30T12:06:00.000Z");
    // Act
    const own = await latestIncident(direct, incidents, SCOPE);
    const none = await latestIncident(direct, incidents, { ...SCOPE, logGroup: "/aws/lambda/none" });
    // Assess
    expect(own?.message).toBe("ERROR own scope");
    expect(none).toBeUndefined();
  });
});
