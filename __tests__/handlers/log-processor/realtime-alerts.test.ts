import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { AlertMessage } from "../../../handlers/log-processor/alert-message";
import { decodeLogsEvent } from "../../../handlers/log-processor/decode";
import { fingerprintMessage } from "../../../handlers/log-processor/fingerprint";
import { buildIncidents } from "../../../handlers/log-processor/incident";
import { DynamoDbIncidentStore } from "../../../handlers/log-processor/incident-store";
import { processDelivery, ProcessDeliveryDependencies } from "../../../handlers/log-processor/process-delivery";
import {
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
    overrides: { suppression?: SuppressionStore; alerting?: false } = {},
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
    };
    return {
      store: new DynamoDbIncidentStore(client, { tableName: incidentsTable }),
      ttlDays: 30,
      log: (line) => logged.push(line),
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
    expect(summary).toStrictEqual({ processed: 4, incidents_created: 3, alerts_published: 2, alerts_suppressed: 0 });
    expect(publisher.alerts.map((a) => a.subject)).toEqual([
      "[ERROR] ERROR: upstream timeout after 3001 ms (/aws/lambda/orders-api)",
      "[ERROR] ERROR: disk full on /dev/nvme0n1p1 (/aws/lambda/orders-api)",
    ]);
    expect(publisher.alerts[0]?.body).toContain("\nThis failure was seen 2 times in the last 15 minutes.\n");
    expect(publisher.alerts[1]?.body).toContain("\nThis failure was seen 1 time in the last 15 minutes.\n");
    expect(JSON.parse(logged[0] as string)).toMatchObject({ alerts_published: 2, alerts_suppressed: 0 });
  });

  it("does not alert again within the window, and counts the occurrences", async () => {
    // Prepare
    await processDelivery(delivery([TIMEOUT]), dependencies());
    clock += 14 * MINUTE;
    // Act
    const summary = await processDelivery(delivery([TIMEOUT, TIMEOUT, TIMEOUT], T0 + 10 * MINUTE), dependencies());
    // Assess
    expect(summary).toMatchObject({ incidents_created: 3, alerts_published: 0, alerts_suppressed: 1 });
    expect(publisher.alerts).toHaveLength(1);
    expect((await suppressionItem(client, suppressionTable, fingerprintMessage(TIMEOUT)))?.seen_count).toStrictEqual({
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
    expect(summary).toMatchObject({ alerts_published: 1, alerts_suppressed: 0 });
    expect(publisher.alerts).toHaveLength(2);
    expect(publisher.alerts[1]?.body).toContain("\nThis failure was seen 2 times in the last 15 minutes.\n");
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
        "its suppression window was released",
    );
    expect(await readAllIncidents(client, incidentsTable)).toHaveLength(2);
    expect(await suppressionItem(client, suppressionTable, fingerprintMessage(TIMEOUT))).toBeUndefined();
    expect(publisher.alerts.map((a) => a.attributes.fingerprint)).toEqual([fingerprintMessage(DISK_FULL)]);

    // Act: Lambda's retry of the same delivery.
    const retry = await processDelivery(event, dependencies());
    // Assess: the failed alert is published now; the one that went out is not repeated; incidents are rewritten.
    expect(retry).toMatchObject({ incidents_created: 2, alerts_published: 1, alerts_suppressed: 1 });
    expect(publisher.alerts.map((a) => a.attributes.fingerprint)).toEqual([
      fingerprintMessage(DISK_FULL),
      fingerprintMessage(TIMEOUT),
    ]);
    expect(await readAllIncidents(client, incidentsTable)).toHaveLength(2);
  });

  it("says how long a failure stays quiet when its window could not be released either", async () => {
    // Prepare: publishing fails, and so does the release.
    const real = new DynamoDbSuppressionStore(client, { tableName: suppressionTable, windowMinutes: 15 });
    const unreleasable: SuppressionStore = {
      claim: (...args) => real.claim(...args),
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
        )}: publishing failed (AuthorizationError: User is not authorized to perform: SNS:Publish) ` +
        "and its suppression window could not be released (ThrottlingException: Rate exceeded), so it stays quiet until 2024-05-01T12:17:00.000Z",
    );
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
    expect(summary).toStrictEqual({ processed: 2, incidents_created: 2, alerts_published: 0, alerts_suppressed: 0 });
    expect(publisher.alerts).toEqual([]);
    expect(await allSuppressionItems(client, suppressionTable)).toEqual([]);
  });

  it("does not touch the suppression table for a delivery without errors", async () => {
    // Act
    const summary = await processDelivery(delivery(["INFO: all good"]), dependencies());
    // Assess
    expect(summary).toMatchObject({ alerts_published: 0, alerts_suppressed: 0 });
    expect(owners).toBe(0);
    expect(await allSuppressionItems(client, suppressionTable)).toEqual([]);
  });
});
