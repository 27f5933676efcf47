import { DynamoDBClient, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { AlertMessage } from "../../../handlers/log-processor/alert-message";
import { decodeLogsEvent } from "../../../handlers/log-processor/decode";
import { fingerprintMessage } from "../../../handlers/log-processor/fingerprint";
import { buildIncidents } from "../../../handlers/log-processor/incident";
import { DynamoDbIncidentStore, IncidentStore, IncidentWriteError } from "../../../handlers/log-processor/incident-store";
import { processDelivery, ProcessDeliveryDependencies } from "../../../handlers/log-processor/process-delivery";
import {
  AlertDeadline,
  AlertPublisher,
  groupByFingerprint,
  RealtimeAlertError,
  RealtimeAlerting,
} from "../../../handlers/log-processor/realtime-alerts";
import { FailureScope } from "../../../handlers/log-processor/suppression-schema";
import { DynamoDbSuppressionStore, SuppressionStore } from "../../../handlers/log-processor/suppression-store";
import { LocalDynamoDb, startDynalite } from "../../support/dynalite";
import { createIncidentsTable, readAllIncidents } from "../../support/incidents-table";
import { dataMessage, logEvents, logsEvent } from "../../support/logs-payload";
import { allSuppressionItems, createSuppressionTable, muteInTable, suppressionItem } from "../../support/suppression-table";
import { localDynamoDbClient } from "../../support/test-dynamodb-client";

const LOG_GROUP = "/aws/lambda/orders-api";
/** The account of the deliveries (logs-payload.ts `dataMessage`'s owner). */
const ACCOUNT = "123456789012";
const T0 = Date.UTC(2024, 4, 1, 12, 0, 0, 0);
const MINUTE = 60_000;
const DISK_FULL = "ERROR: disk full on /dev/nvme0n1p1";
const TIMEOUT = "ERROR: upstream timeout after 3001 ms";
/** A failure's scope in the deliveries of these tests. */
const scopeOf = (message: string, logGroup = LOG_GROUP, accountId = ACCOUNT): FailureScope => ({
  accountId,
  logGroup,
  fingerprint: fingerprintMessage(message),
});

/** SNS has no local server; this stands in for the SNS publisher and records what would have been sent. */
class RecordingPublisher implements AlertPublisher {
  readonly alerts: AlertMessage[] = [];
  private failures = 0;

  failNext(times: number): void {
    this.failures = times;
  }

  async publish(alert: AlertMessage): Promise<void> {
    if (this.failures > 0) {
      this.failures--;
      throw Object.assign(new Error("User is not authorized to perform: SNS:Publish"), { name: "AuthorizationError" });
    }
    this.alerts.push(alert);
  }
}

describe("groupByFingerprint", () => {
  const incidentsOf = (messages: string[]) =>
    buildIncidents(decodeLogsEvent(logsEvent(dataMessage(logEvents(messages, T0)))), { ttlDays: 30 });

  it("groups by fingerprint in order of first appearance, counting each", () => {
    // Prepare
    const incidents = incidentsOf([TIMEOUT, DISK_FULL, "ERROR: upstream timeout after 2987 ms", TIMEOUT]);
    // Act
    const groups = groupByFingerprint(incidents);
    // Assess
    expect(groups.map((g) => [g.fingerprint, g.count, g.representative.eventId])).toEqual([
      [fingerprintMessage(TIMEOUT), 3, incidents[0]?.eventId],
      [fingerprintMessage(DISK_FULL), 1, incidents[1]?.eventId],
    ]);
  });

  it("shows the earliest incident of the highest severity, so the alert never understates it", () => {
    // Prepare: the same failure logged by the Node.js runtime as ERROR, then as FATAL twice (same text, same fingerprint).
    const line = (level: string) =>
      `2024-05-01T12:00:00.000Z\t8f2c1a9e-4b7d-4c2e-9a51-3d0f6b2c7e10\t${level}\tdatabase pool exhausted\n`;
    const incidents = incidentsOf([line("ERROR"), line("FATAL"), line("FATAL")]);
    // Act
    const [group] = groupByFingerprint(incidents);
    // Assess
    expect(group?.count).toBe(3);
    expect(group?.representative.severity).toBe("FATAL");
    expect(group?.representative.eventId).toBe(incidents[1]?.eventId);
  });

  it("keeps the same failure in another log group or account apart, each with its own key and lease owner", () => {
    // Prepare: one message in two log groups of one account, and in a second account.
    const incidents = [
      ...buildIncidents(decodeLogsEvent(logsEvent(dataMessage(logEvents([TIMEOUT], T0), { logGroup: LOG_GROUP }))), { ttlDays: 30 }),
      ...buildIncidents(decodeLogsEvent(logsEvent(dataMessage(logEvents([TIMEOUT], T0), { logGroup: "/aws/lambda/billing" }))), { ttlDays: 30 }),
      ...buildIncidents(decodeLogsEvent(logsEvent(dataMessage(logEvents([TIMEOUT], T0), { logGroup: LOG_GROUP, owner: "210987654321" }))), { ttlDays: 30 }),
    ];
    // Act
    const groups = groupByFingerprint(incidents);
    // Assess
    const fingerprint = fingerprintMessage(TIMEOUT);
    expect(groups.map((g) => g.failureKey)).toEqual([
      `${ACCOUNT}|${LOG_GROUP}|${fingerprint}`,
      `${ACCOUNT}|/aws/lambda/billing|${fingerprint}`,
      `210987654321|${LOG_GROUP}|${fingerprint}`,
    ]);
    expect(new Set(groups.map((g) => g.ownerId)).size).toBe(3);
  });

  it("derives the lease owner from the delivery: the same incidents give the same owner, another delivery another", () => {
    // Prepare: a delivery, the same delivery again (a retry), and the same failure in another log stream.
    const first = incidentsOf([TIMEOUT, DISK_FULL]);
    const retry = incidentsOf([TIMEOUT, DISK_FULL]);
    const other = buildIncidents(
      decodeLogsEvent(logsEvent(dataMessage(logEvents([TIMEOUT, DISK_FULL], T0), { logStream: "2024/05/01/[$LATEST]other" }))),
      { ttlDays: 30 },
    );
    // Act
    const owners = [first, retry, other].map((incidents) => groupByFingerprint(incidents).map((g) => g.ownerId));
    // Assess
    expect(owners[1]).toEqual(owners[0]);
    expect(owners[2]?.[0]).not.toBe(owners[0]?.[0]);
    expect(owners[0]?.[0]).toMatch(/^[0-9a-f]{32}$/);
  });

  it("returns no group for no incidents", () => {
    // Act / Assess
    expect(groupByFingerprint([])).toEqual([]);
  });
});

describe("processDelivery with real-time alerts, against dynalite (SNS replaced by a recording publisher)", () => {
  let dynamo: LocalDynamoDb;
  let client: DynamoDBClient;
  let tableCounter = 0;
  let incidentsTable: string;
  let suppressionTable: string;
  let publisher: RecordingPublisher;
  let clock: number;
  let logged: string[];

  beforeAll(async () => {
    dynamo = await startDynalite();
    client = localDynamoDbClient(dynamo.endpoint);
  });

  afterAll(async () => {
    client.destroy();
    await dynamo.stop();
  });

  beforeEach(async () => {
    tableCounter++;
    incidentsTable = `incidents-${tableCounter}`;
    suppressionTable = `alert-suppression-${tableCounter}`;
    await createIncidentsTable(client, incidentsTable);
    await createSuppressionTable(client, suppressionTable);
    publisher = new RecordingPublisher();
    clock = T0 + 2 * MINUTE;
    logged = [];
  });

  function dependencies(
    overrides: {
      suppression?: SuppressionStore;
      alerting?: false;
      maxAlertsPerDelivery?: number;
      deadline?: AlertDeadline;
    } = {},
  ): ProcessDeliveryDependencies {
    const alerting: RealtimeAlerting = {
      suppression:
        overrides.suppression ??
        new DynamoDbSuppressionStore(client, { tableName: suppressionTable, windowMinutes: 15 }),
      publisher,
      windowMinutes: 15,
      region: "eu-west-1",
      now: () => clock,
      ...(overrides.maxAlertsPerDelivery === undefined ? {} : { maxAlertsPerDelivery: overrides.maxAlertsPerDelivery }),
    };
    return {
      store: new DynamoDbIncidentStore(client, { tableName: incidentsTable }),
      ttlDays: 30,
      log: (line) => logged.push(line),
      now: () => clock,
      ...(overrides.deadline === undefined ? {} : { deadline: overrides.deadline }),
      ...(overrides.alerting === false ? {} : { alerting }),
    };
  }

  const delivery = (messages: string[], startMs = T0, overrides: Record<string, unknown> = {}) =>
    logsEvent(dataMessage(logEvents(messages, startMs), { logGroup: LOG_GROUP, ...overrides }));
  const suppressionStore = () => new DynamoDbSuppressionStore(client, { tableName: suppressionTable, windowMinutes: 15 });

  it("publishes one alert per new failure, saying how often it was seen, and reports it in the summary", async () => {
    // Prepare
    const event = delivery([TIMEOUT, DISK_FULL, "INFO: retrying", "ERROR: upstream timeout after 2987 ms"]);
    // Act
    const summary = await processDelivery(event, dependencies());
    // Assess
    expect(summary).toStrictEqual({ processed: 4, incidents_created: 3, alerts_published: 2, alerts_suppressed: 0, alerts_digested: 0 });
    expect(publisher.alerts.map((a) => a.subject)).toEqual([
      "[ERROR] ERROR: upstream timeout after 3001 ms (/aws/lambda/orders-api)",
      "[ERROR] ERROR: disk full on /dev/nvme0n1p1 (/aws/lambda/orders-api)",
    ]);
    expect(publisher.alerts[0]?.body).toContain("\nThis failure was seen about 2 times in the last 15 minutes (replays and retries may count twice).\n");
    expect(publisher.alerts[1]?.body).toContain("\nThis failure was seen about 1 time in the last 15 minutes (replays and retries may count twice).\n");
    expect(JSON.parse(logged[0] as string)).toMatchObject({ alerts_published: 2, alerts_suppressed: 0, alerts_digested: 0 });
  });

  it("does not alert again within the window, and counts the occurrences", async () => {
    // Prepare
    await processDelivery(delivery([TIMEOUT]), dependencies());
    clock += 14 * MINUTE;
    // Act
    const summary = await processDelivery(delivery([TIMEOUT, TIMEOUT, TIMEOUT], T0 + 10 * MINUTE), dependencies());
    // Assess
    expect(summary).toMatchObject({ incidents_created: 3, alerts_published: 0, alerts_suppressed: 1, alerts_digested: 0 });
    expect(publisher.alerts).toHaveLength(1);
    expect((await suppressionItem(client, suppressionTable, scopeOf(TIMEOUT)))?.approx_seen_count).toStrictEqual({
      N: "4",
    });
  });

  it("alerts again once the window has passed", async () => {
    // Prepare
    await processDelivery(delivery([TIMEOUT]), dependencies());
    clock += 15 * MINUTE + 1;
    // Act
    const summary = await processDelivery(delivery([TIMEOUT, TIMEOUT], T0 + 16 * MINUTE), dependencies());
    // Assess
    expect(summary).toMatchObject({ alerts_published: 1, alerts_suppressed: 0, alerts_digested: 0 });
    expect(publisher.alerts).toHaveLength(2);
    expect(publisher.alerts[1]?.body).toContain("\nThis failure was seen about 2 times in the last 15 minutes (replays and retries may count twice).\n");
  });

  it("writes the incidents, releases the window and throws when publishing fails; the retry alerts", async () => {
    // Prepare
    const event = delivery([TIMEOUT, DISK_FULL]);
    publisher.failNext(1);
    // Act
    const failure = processDelivery(event, dependencies());
    // Assess
    await expect(failure).rejects.toBeInstanceOf(RealtimeAlertError);
    await expect(failure).rejects.toThrow(
      "Real-time alerts failed for 1 of 2 failures in the delivery (incidents are written; Lambda's retry alerts again): " +
        `${fingerprintMessage(TIMEOUT)} in ${LOG_GROUP}: publishing failed (AuthorizationError: User is not authorized to perform: SNS:Publish); ` +
        "its lease was released",
    );
    expect(await readAllIncidents(client, incidentsTable)).toHaveLength(2);
    // Behaviour changed: a release removes the lease attributes (UpdateItem), no longer the item (DeleteItem).
    const released = await suppressionItem(client, suppressionTable, scopeOf(TIMEOUT));
    expect([released?.alert_state, released?.owner_id, released?.lease_expires_at, released?.window_ends_at]).toEqual([undefined, undefined, undefined, undefined]);
    expect(released?.approx_seen_count).toStrictEqual({ N: "1" });
    expect(publisher.alerts.map((a) => a.attributes.fingerprint)).toEqual([fingerprintMessage(DISK_FULL)]);

    // Act: Lambda's retry of the same delivery.
    const retry = await processDelivery(event, dependencies());
    // Assess: the failed alert is published now; the one that went out is not repeated; incidents are rewritten.
    expect(retry).toMatchObject({ incidents_created: 2, alerts_published: 1, alerts_suppressed: 1, alerts_digested: 0 });
    expect(publisher.alerts.map((a) => a.attributes.fingerprint)).toEqual([
      fingerprintMessage(DISK_FULL),
      fingerprintMessage(TIMEOUT),
    ]);
    expect(await readAllIncidents(client, incidentsTable)).toHaveLength(2);
  });

  it("says when the failure alerts again when its lease could not be released either", async () => {
    // Prepare: publishing fails, and so does the release.
    const real = new DynamoDbSuppressionStore(client, { tableName: suppressionTable, windowMinutes: 15 });
    const unreleasable: SuppressionStore = {
      claim: (...args) => real.claim(...args),
      confirm: (...args) => real.confirm(...args),
      release: async () => {
        throw Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
      },
      readAlertStates: (...args) => real.readAlertStates(...args),
    };
    publisher.failNext(1);
    // Act
    const failure = processDelivery(delivery([TIMEOUT]), dependencies({ suppression: unreleasable }));
    // Assess
    await expect(failure).rejects.toThrow(
      "Real-time alerts failed for 1 of 1 failures in the delivery (incidents are written; Lambda's retry alerts again): " +
        `${fingerprintMessage(TIMEOUT)} in ${LOG_GROUP}: publishing failed (AuthorizationError: User is not authorized to perform: SNS:Publish)` +
        ", and its lease could not be released (ThrottlingException: Rate exceeded): a retry of this delivery takes it over, any other delivery once it expires at 2024-05-01T12:03:00.000Z",
    );
    // Act: Lambda's retry, after the lease expired.
    clock += MINUTE + 1;
    const retry = await processDelivery(delivery([TIMEOUT]), dependencies());
    // Assess
    expect(retry).toMatchObject({ alerts_published: 1 });
    expect(publisher.alerts.map((a) => a.attributes.fingerprint)).toEqual([fingerprintMessage(TIMEOUT)]);
  });

  it("publishes at most the configured number of alerts, most frequent failures first, and one digest for the rest", async () => {
    // Prepare: 30 distinct failures; failure-7 occurs three times, failure-20 twice.
    const messages = Array.from({ length: 30 }, (_, i) => `ERROR: failure-${String.fromCharCode(97 + (i % 26))}${i >= 26 ? "x" : ""} in module ${"m".repeat(i + 1)}`);
    const repeated = [...messages, messages[7] as string, messages[7] as string, messages[20] as string];
    // Act
    const summary = await processDelivery(delivery(repeated), dependencies({ maxAlertsPerDelivery: 5 }));
    // Assess
    expect(summary).toMatchObject({ incidents_created: 33, alerts_published: 6, alerts_suppressed: 0, alerts_digested: 25 });
    expect(publisher.alerts).toHaveLength(6);
    const individual = publisher.alerts.slice(0, 5).map((a) => a.attributes.fingerprint);
    expect(individual.slice(0, 2).sort()).toEqual([fingerprintMessage(messages[7] as string), fingerprintMessage(messages[20] as string)].sort());
    const digest = publisher.alerts[5] as AlertMessage;
    expect(digest.attributes.fingerprint).toBe("digest");
    expect(digest.subject).toBe(`[ERROR] 25 more failures (${LOG_GROUP})`);
    expect(digest.body).toContain(`npm run incidents -- --log-group ${LOG_GROUP} --groups`);
    expect(digest.body.split("\n").filter((line) => line.includes(" x [ERROR] "))).toHaveLength(25);
    // Every failure's window is sent: a second delivery of the same failures publishes nothing.
    const items = await allSuppressionItems(client, suppressionTable);
    expect(items).toHaveLength(30);
    expect(items.every((item) => item.alert_state?.S === "sent")).toBe(true);
    const again = await processDelivery(delivery(messages, T0 + MINUTE), dependencies({ maxAlertsPerDelivery: 5 }));
    expect(again).toMatchObject({ alerts_published: 0, alerts_suppressed: 30 });
  });

  it("marks none of the digest's failures and throws when the digest cannot be published; the retry alerts them all", async () => {
    // Prepare: the two individual alerts go out, the digest (third publish) fails.
    const messages = Array.from({ length: 5 }, (_, i) => `ERROR: failure in module ${"n".repeat(i + 1)}`);
    let publishes = 0;
    const flaky: AlertPublisher = {
      publish: async (alert) => {
        if (++publishes === 3) throw Object.assign(new Error("Internal error"), { name: "InternalErrorException" });
        publisher.alerts.push(alert);
      },
    };
    const failing = { ...dependencies({ maxAlertsPerDelivery: 2 }) };
    const alerting = { ...(failing.alerting as RealtimeAlerting), publisher: flaky };
    // Act
    const first = processDelivery(delivery(messages), { ...failing, alerting });
    // Assess
    await expect(first).rejects.toThrow("Real-time alerts failed for 3 of 5 failures in the delivery");
    // Behaviour changed: the digest's failures were claimed, then released (their items stay, without a lease).
    const states = (await allSuppressionItems(client, suppressionTable)).map((item) => item.alert_state?.S ?? "none").sort();
    expect(states).toEqual(["none", "none", "none", "sent", "sent"]);
    // Act: the retry.
    const retry = await processDelivery(delivery(messages), { ...failing, alerting });
    // Assess: the three left alert now, individually (two) and in a digest (one).
    expect(retry).toMatchObject({ alerts_published: 3, alerts_suppressed: 2, alerts_digested: 1 });
    expect(publisher.alerts).toHaveLength(5);
  });

  it("stores a 1 MB error line truncated among 40 other errors, and alerts for all 41", async () => {
    // Prepare: CloudWatch Logs events may be up to 1 MB since April 2025 (AWS What's New, "CloudWatch Logs increases
    // maximum log event size to 1 MB"); a DynamoDB item may be at most 400 KB (Developer Guide, "Constraints").
    const huge = `ERROR: payload rejected ${"x".repeat(1024 * 1024 - 40)}`;
    const others = Array.from({ length: 40 }, (_, i) => `ERROR: job ${i} failed in step ${"s".repeat(i + 1)}`);
    // Act
    const summary = await processDelivery(delivery([huge, ...others]), dependencies({ maxAlertsPerDelivery: 50 }));
    // Assess
    expect(summary).toMatchObject({ incidents_created: 41, alerts_published: 41 });
    const stored = await readAllIncidents(client, incidentsTable);
    expect(stored).toHaveLength(41);
    const truncated = stored.filter((incident) => incident.messageTruncated === true);
    expect(truncated).toHaveLength(1);
    expect(truncated[0]?.messageBytes).toBe(Buffer.byteLength(huge));
    expect(truncated[0]?.message.startsWith("ERROR: payload rejected xxx")).toBe(true);
    expect(new Set(publisher.alerts.map((a) => a.attributes.fingerprint)).size).toBe(41);
  });

  it("alerts for the failures it stored, then throws for the incident it could not write", async () => {
    // Prepare: a store that refuses one incident (as DynamoDB refuses an item it cannot take).
    const real = new DynamoDbIncidentStore(client, { tableName: incidentsTable });
    const poisoned = delivery([DISK_FULL, TIMEOUT]);
    const [diskFull] = buildIncidents(decodeLogsEvent(poisoned), { ttlDays: 30 });
    const refusing: IncidentStore = {
      putAll: async (incidents) => {
        await real.putAll(incidents.filter((i) => i.incidentId !== diskFull?.incidentId));
        throw new IncidentWriteError(incidentsTable, 1, 2, ["ValidationException: Item size has exceeded the maximum allowed size"], undefined, new Set([diskFull?.incidentId as string]));
      },
    };
    // Act
    const result = processDelivery(poisoned, { ...dependencies(), store: refusing });
    // Assess
    await expect(result).rejects.toThrow(`Could not write 1 of 2 incidents to DynamoDB table "${incidentsTable}"`);
    expect(publisher.alerts.map((a) => a.attributes.fingerprint)).toEqual([fingerprintMessage(TIMEOUT)]);
  });

  it("starts no claim once the deadline is near: throws, holding no lease, so Lambda's retry alerts", async () => {
    // Prepare: a store that writes whatever the deadline (the store's own deadline gate is tested in
    // incident-store.test.ts), so that this shows the gate before claims.
    const base = dependencies({ deadline: { deadlineMs: clock + 1000, stopStartingAtMs: clock } });
    const ungated: IncidentStore = { putAll: (incidents) => base.store.putAll(incidents) };
    // Act
    const result = processDelivery(delivery([TIMEOUT]), { ...base, store: ungated });
    // Assess
    await expect(result).rejects.toThrow(`${fingerprintMessage(TIMEOUT)} in ${LOG_GROUP}: not claimed: the invocation's deadline was near`);
    expect(await allSuppressionItems(client, suppressionTable)).toEqual([]);
    expect(publisher.alerts).toEqual([]);
  });

  it("writes incidents and fails the delivery when the suppression table cannot be used, publishing nothing", async () => {
    // Prepare
    const missing = new DynamoDbSuppressionStore(client, { tableName: "no-such-table", windowMinutes: 15 });
    // Act
    const failure = processDelivery(delivery([DISK_FULL]), dependencies({ suppression: missing }));
    // Assess
    await expect(failure).rejects.toThrow(
      "Real-time alerts failed for 1 of 1 failures in the delivery (incidents are written; Lambda's retry alerts again): " +
        `${fingerprintMessage(DISK_FULL)} in ${LOG_GROUP}: Could not claim the alert state of fingerprint ${fingerprintMessage(DISK_FULL)} ` +
        `(log group ${LOG_GROUP}) in DynamoDB table "no-such-table": ResourceNotFoundException: Requested resource not found`,
    );
    expect(await readAllIncidents(client, incidentsTable)).toHaveLength(1);
    expect(publisher.alerts).toEqual([]);
  });

  it("neither publishes nor touches the suppression table when alerting is off", async () => {
    // Act
    const summary = await processDelivery(delivery([TIMEOUT, DISK_FULL]), dependencies({ alerting: false }));
    // Assess
    expect(summary).toStrictEqual({ processed: 2, incidents_created: 2, alerts_published: 0, alerts_suppressed: 0, alerts_digested: 0 });
    expect(publisher.alerts).toEqual([]);
    expect(await allSuppressionItems(client, suppressionTable)).toEqual([]);
  });

  it("does not touch the suppression table for a delivery without errors", async () => {
    // Act
    const summary = await processDelivery(delivery(["INFO: all good"]), dependencies());
    // Assess
    expect(summary).toMatchObject({ alerts_published: 0, alerts_suppressed: 0, alerts_digested: 0 });
    expect(await allSuppressionItems(client, suppressionTable)).toEqual([]);
  });
  it("fails the delivery for a failure whose lease another live invocation holds, and publishes nothing for it; the retry finds it sent", async () => {
    // Prepare: another delivery of the same failure claimed it a second ago and is still publishing.
    await suppressionStore().claim(scopeOf(TIMEOUT), 1, clock - 1000, "another-invocation", clock - 1000 + MINUTE);
    const event = delivery([TIMEOUT, DISK_FULL]);
    // Act
    const failure = processDelivery(event, dependencies());
    // Assess: behaviour changed: a held lease used to count as "suppressed" and the delivery reported success.
    await expect(failure).rejects.toBeInstanceOf(RealtimeAlertError);
    await expect(failure).rejects.toThrow(
      "Real-time alerts failed for 1 of 2 failures in the delivery (incidents are written; Lambda's retry alerts again): " +
        `${fingerprintMessage(TIMEOUT)} in ${LOG_GROUP}: another invocation holds its alert lease and has not published yet`,
    );
    const error = (await failure.catch((e: unknown) => e)) as RealtimeAlertError;
    expect([...error.failureKeys]).toEqual([`${ACCOUNT}|${LOG_GROUP}|${fingerprintMessage(TIMEOUT)}`]);
    expect(error.outcome).toStrictEqual({ published: 1, suppressed: 0, digested: 0, muted: 0, stormed: 0, reopened: 0 });
    expect(publisher.alerts.map((a) => a.attributes.fingerprint)).toEqual([fingerprintMessage(DISK_FULL)]);
    expect(await readAllIncidents(client, incidentsTable)).toHaveLength(2);
    expect((await suppressionItem(client, suppressionTable, scopeOf(TIMEOUT)))?.owner_id).toStrictEqual({ S: "another-invocation" });

    // Act: the other invocation's alert is accepted; then Lambda's retry of this delivery.
    await suppressionStore().confirm(scopeOf(TIMEOUT), "another-invocation");
    clock += MINUTE;
    const retry = await processDelivery(event, dependencies());
    // Assess
    expect(retry).toMatchObject({ alerts_published: 0, alerts_suppressed: 2, alerts_digested: 0 });
    expect(publisher.alerts).toHaveLength(1);
  });

  it("alerts on the retry once another invocation's lease expired unpublished (its owner crashed)", async () => {
    // Prepare: another invocation claimed the failure and died; this delivery fails for it while the lease lives.
    await suppressionStore().claim(scopeOf(TIMEOUT), 1, clock - 1000, "crashed-invocation", clock - 1000 + MINUTE);
    const event = delivery([TIMEOUT]);
    await expect(processDelivery(event, dependencies())).rejects.toThrow("another invocation holds its alert lease");
    // Act: Lambda's retry, a minute later (after the lease expired).
    clock += MINUTE;
    const retry = await processDelivery(event, dependencies());
    // Assess
    expect(retry).toMatchObject({ alerts_published: 1, alerts_suppressed: 0 });
    expect(publisher.alerts.map((a) => a.attributes.fingerprint)).toEqual([fingerprintMessage(TIMEOUT)]);
    expect((await suppressionItem(client, suppressionTable, scopeOf(TIMEOUT)))?.alert_state).toStrictEqual({ S: "sent" });
  });

  it("takes over its own pending lease when Lambda retries the same delivery at once (the first attempt died after claiming), and publishes", async () => {
    // Prepare: the first attempt claimed the failure with the owner the delivery derives, then was killed before
    // publishing; its lease lives for another minute.
    const event = delivery([TIMEOUT, TIMEOUT]);
    const [group] = groupByFingerprint(buildIncidents(decodeLogsEvent(event), { ttlDays: 30 }));
    await suppressionStore().claim(group?.scope as FailureScope, 2, clock, group?.ownerId as string, clock + MINUTE);
    // Act: the retry, a second later, long before the lease expires.
    clock += 1000;
    const retry = await processDelivery(event, dependencies());
    // Assess
    expect(retry).toMatchObject({ alerts_published: 1, alerts_suppressed: 0, alerts_digested: 0 });
    expect(publisher.alerts.map((a) => a.attributes.fingerprint)).toEqual([fingerprintMessage(TIMEOUT)]);
    expect(await suppressionItem(client, suppressionTable, scopeOf(TIMEOUT))).toMatchObject({
      alert_state: { S: "sent" },
      owner_id: { S: group?.ownerId },
    });
  });

  it("alerts the same failure separately in a second log group and in a second account, within the first one's window", async () => {
    // Prepare: the failure alerted in orders-api.
    await processDelivery(delivery([TIMEOUT]), dependencies());
    clock += MINUTE;
    // Act
    const inOtherGroup = await processDelivery(delivery([TIMEOUT], T0 + MINUTE, { logGroup: "/aws/lambda/billing" }), dependencies());
    const inOtherAccount = await processDelivery(
      delivery([TIMEOUT], T0 + MINUTE, { owner: "210987654321", logStream: "2024/05/01/[$LATEST]other-account" }),
      dependencies(),
    );
    const inSameGroup = await processDelivery(delivery([TIMEOUT], T0 + MINUTE, { logStream: "2024/05/01/[$LATEST]again" }), dependencies());
    // Assess: behaviour changed: suppression used to be per fingerprint, so both were suppressed for 15 minutes.
    expect(inOtherGroup).toMatchObject({ alerts_published: 1, alerts_suppressed: 0 });
    expect(inOtherAccount).toMatchObject({ alerts_published: 1, alerts_suppressed: 0 });
    expect(inSameGroup).toMatchObject({ alerts_published: 0, alerts_suppressed: 1 });
    expect(publisher.alerts.map((a) => [a.attributes.log_group, a.attributes.account_id])).toEqual([
      [LOG_GROUP, ACCOUNT],
      ["/aws/lambda/billing", ACCOUNT],
      [LOG_GROUP, "210987654321"],
    ]);
    expect(await allSuppressionItems(client, suppressionTable)).toHaveLength(3);
  });

  it("never alerts a muted failure inside a storm, not even in its digest, and leaves the mute as it was", async () => {
    // Prepare: 30 distinct failures; one of them muted for an hour before the storm.
    const messages = Array.from({ length: 30 }, (_, i) => `ERROR: failure-${String.fromCharCode(97 + (i % 26))}${i >= 26 ? "x" : ""} in module ${"m".repeat(i + 1)}`);
    const muted = messages[12] as string;
    await muteInTable(client, suppressionTable, scopeOf(muted), { untilMs: clock + 60 * MINUTE, nowMs: clock - MINUTE, by: "ana", reason: "known noise" });
    const before = await suppressionItem(client, suppressionTable, scopeOf(muted));
    // Act
    const summary = await processDelivery(delivery(messages), dependencies({ maxAlertsPerDelivery: 5 }));
    // Assess: behaviour changed: the digest used to write whole items (PutRequest), erasing the mute.
    expect(summary).toMatchObject({ incidents_created: 30, alerts_published: 6, alerts_suppressed: 1, alerts_digested: 24 });
    expect(JSON.parse(logged[0] as string)).toMatchObject({ alerts_muted: 1 });
    expect(publisher.alerts.slice(0, 5).map((a) => a.attributes.fingerprint)).not.toContain(fingerprintMessage(muted));
    expect(publisher.alerts[5]?.attributes.fingerprint).toBe("digest");
    expect(publisher.alerts[5]?.body).not.toContain(fingerprintMessage(muted));
    const after = await suppressionItem(client, suppressionTable, scopeOf(muted));
    const muteOf = (item: typeof after) => [item?.muted_until, item?.muted_by, item?.mute_reason, item?.muted_at];
    expect(muteOf(after)).toEqual(muteOf(before));
    expect(after?.alert_state).toBeUndefined();

    // Act: 20 minutes later, still muted, the failure occurs again.
    clock += 20 * MINUTE;
    const later = await processDelivery(delivery([muted], T0 + 20 * MINUTE, { logStream: "2024/05/01/[$LATEST]later" }), dependencies());
    // Assess
    expect(later).toMatchObject({ alerts_published: 0, alerts_suppressed: 1 });
    expect(publisher.alerts).toHaveLength(6);
  });

  it("fails the delivery for a failure whose occurrences could not be counted: a read error is not taken as suppressed", async () => {
    // Prepare: the timeout alerted earlier (its window is open); then every count (the ADD) is throttled.
    await processDelivery(delivery([TIMEOUT]), dependencies());
    const throttlingCounts: Pick<DynamoDBClient, "send"> = {
      send: (async (command: UpdateItemCommand) => {
        if (command.input.UpdateExpression?.startsWith("ADD")) {
          throw Object.assign(new Error("Rate exceeded"), { name: "ProvisionedThroughputExceededException" });
        }
        return client.send(command);
      }) as DynamoDBClient["send"],
    };
    const counting = new DynamoDbSuppressionStore(throttlingCounts, { tableName: suppressionTable, windowMinutes: 15, sleep: async () => undefined });
    clock += MINUTE;
    // Act
    const failure = processDelivery(
      delivery([TIMEOUT, DISK_FULL], T0 + MINUTE, { logStream: "2024/05/01/[$LATEST]b" }),
      dependencies({ suppression: counting }),
    );
    // Assess: behaviour changed: the old store answered "unknown", counted as suppressed, and the delivery succeeded.
    await expect(failure).rejects.toThrow(
      "Real-time alerts failed for 1 of 2 failures in the delivery (incidents are written; Lambda's retry alerts again): " +
        `${fingerprintMessage(TIMEOUT)} in ${LOG_GROUP}: Could not count into the alert state of fingerprint ${fingerprintMessage(TIMEOUT)} ` +
        `(log group ${LOG_GROUP}) in DynamoDB table "${suppressionTable}": ProvisionedThroughputExceededException: Rate exceeded`,
    );
    expect(publisher.alerts.map((a) => a.attributes.fingerprint)).toEqual([fingerprintMessage(TIMEOUT), fingerprintMessage(DISK_FULL)]);
  });

  it("gives pages (FATAL) an alert of their own before the most frequent errors, and never puts them only in the digest", async () => {
    // Prepare: four ERROR failures, the first seen three times, and one FATAL seen once; two alerts per delivery.
    const fatal = "2024-05-01T12:00:00.000Z\t8f2c1a9e-4b7d-4c2e-9a51-3d0f6b2c7e10\tFATAL\tdatabase pool exhausted\n";
    const errors = ["ERROR: cache miss storm", "ERROR: queue backlog", "ERROR: slow disk", "ERROR: bad request body"];
    // Act
    const summary = await processDelivery(
      delivery([...errors, errors[0] as string, errors[0] as string, fatal]),
      dependencies({ maxAlertsPerDelivery: 2 }),
    );
    // Assess: behaviour changed: the order used to be by count only, so a rare FATAL went into the digest.
    expect(summary).toMatchObject({ alerts_published: 3, alerts_digested: 3 });
    const individual = publisher.alerts.filter((a) => a.attributes.fingerprint !== "digest");
    expect(individual.map((a) => [a.attributes.severity, a.attributes.fingerprint])).toEqual([
      ["FATAL", fingerprintMessage(fatal)],
      ["ERROR", fingerprintMessage(errors[0] as string)],
    ]);
    expect(publisher.alerts.find((a) => a.attributes.fingerprint === "digest")?.body).not.toContain(fingerprintMessage(fatal));
  });
});
