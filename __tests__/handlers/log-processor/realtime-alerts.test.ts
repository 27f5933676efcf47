import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
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
import { DynamoDbSuppressionStore, SuppressionStore } from "../../../handlers/log-processor/suppression-store";
import { LocalDynamoDb, startDynalite } from "../../support/dynalite";
import { createIncidentsTable, readAllIncidents } from "../../support/incidents-table";
import { dataMessage, logEvents, logsEvent } from "../../support/logs-payload";
import { allSuppressionItems, createSuppressionTable, suppressionItem } from "../../support/suppression-table";
import { localDynamoDbClient } from "../../support/test-dynamodb-client";

const LOG_GROUP = "/aws/lambda/orders-api";
const T0 = Date.UTC(2024, 4, 1, 12, 0, 0, 0);
const MINUTE = 60_000;
const DISK_FULL = "ERROR: disk full on /dev/nvme0n1p1";
const TIMEOUT = "ERROR: upstream timeout after 3001 ms";

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
  let owners: number;
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
    owners = 0;
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
      newOwnerId: () => `invocation-${++owners}`,
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

  const delivery = (messages: string[], startMs = T0) =>
    logsEvent(dataMessage(logEvents(messages, startMs), { logGroup: LOG_GROUP }));

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
    expect((await suppressionItem(client, suppressionTable, fingerprintMessage(TIMEOUT)))?.approx_seen_count).toStrictEqual({
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
        `${fingerprintMessage(
          TIMEOUT,
        )}: publishing failed (AuthorizationError: User is not authorized to perform: SNS:Publish); ` +
        "its lease was released",
    );
    expect(await readAllIncidents(client, incidentsTable)).toHaveLength(2);
    expect(await suppressionItem(client, suppressionTable, fingerprintMessage(TIMEOUT))).toBeUndefined();
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
      quietOnes: (...args) => real.quietOnes(...args),
      markSent: (...args) => real.markSent(...args),
      release: async () => {
        throw Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
      },
    };
    publisher.failNext(1);
    // Act
    const failure = processDelivery(delivery([TIMEOUT]), dependencies({ suppression: unreleasable }));
    // Assess
    await expect(failure).rejects.toThrow(
      "Real-time alerts failed for 1 of 1 failures in the delivery (incidents are written; Lambda's retry alerts again): " +
        `${fingerprintMessage(
          TIMEOUT,
        )}: publishing failed (AuthorizationError: User is not authorized to perform: SNS:Publish)` +
        ", and its lease could not be released (ThrottlingException: Rate exceeded), so the next delivery alerts once it expires at 2024-05-01T12:03:00.000Z",
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
    expect(await allSuppressionItems(client, suppressionTable)).toHaveLength(2);
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
    // Act
    const result = processDelivery(delivery([TIMEOUT]), dependencies({ deadline: { deadlineMs: clock + 1000, stopStartingAtMs: clock } }));
    // Assess
    await expect(result).rejects.toThrow(`${fingerprintMessage(TIMEOUT)}: not claimed: the invocation's deadline was near`);
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
        `${fingerprintMessage(DISK_FULL)}: Could not claim the suppression window of fingerprint ${fingerprintMessage(
          DISK_FULL,
        )} ` +
        'in DynamoDB table "no-such-table": ResourceNotFoundException: Requested resource not found',
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
    expect(owners).toBe(0);
    expect(await allSuppressionItems(client, suppressionTable)).toEqual([]);
  });
});
