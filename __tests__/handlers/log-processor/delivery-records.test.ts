import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { AlertMessage } from "../../../handlers/log-processor/alert-message";
import { emfRecord, failureRecords } from "../../../handlers/log-processor/delivery-records";
import { decodeLogsEvent } from "../../../handlers/log-processor/decode";
import { fingerprintMessage } from "../../../handlers/log-processor/fingerprint";
import { buildIncidents } from "../../../handlers/log-processor/incident";
import { DynamoDbIncidentStore } from "../../../handlers/log-processor/incident-store";
import { processDelivery } from "../../../handlers/log-processor/process-delivery";
import { DynamoDbSuppressionStore } from "../../../handlers/log-processor/suppression-store";
import { muteFailure } from "../../../lib/incidents/mute-store";
import { LocalDynamoDb, startDynalite } from "../../support/dynalite";
import { createIncidentsTable } from "../../support/incidents-table";
import { dataMessage, DEFAULT_LOG_GROUP, logEvents, logsEvent } from "../../support/logs-payload";
import { createSuppressionTable } from "../../support/suppression-table";
import { localDynamoDbClient } from "../../support/test-dynamodb-client";

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);
const TYPE_ERROR =
  '{"timestamp":"2026-11-30T12:00:00.000Z","level":"ERROR","requestId":"r1","message":"Invoke Error","errorType":"TypeError","errorMessage":"Cannot read properties of undefined (reading \'id\')"}';

/**
 * The rules of "Specification: Embedded metric format" (Amazon CloudWatch User Guide,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html)
 * a line must keep for CloudWatch to extract its metrics; returns each one it breaks.
 */
function emfViolations(line: string): string[] {
  const problems: string[] = [];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const root = JSON.parse(line) as Record<string, any>;
  const aws = root._aws;
  if (typeof aws !== "object" || aws === null) return ["no _aws metadata object at the root"];
  if (!Number.isInteger(aws.Timestamp) || aws.Timestamp < 0) problems.push("_aws.Timestamp must be epoch milliseconds");
  if (!Array.isArray(aws.CloudWatchMetrics) || aws.CloudWatchMetrics.length === 0) return [...problems, "_aws.CloudWatchMetrics must be a non-empty array"];
  for (const directive of aws.CloudWatchMetrics) {
    if (typeof directive.Namespace !== "string" || directive.Namespace.length < 1 || directive.Namespace.length > 255) problems.push("Namespace must be 1-255 characters");
    if (!Array.isArray(directive.Dimensions)) problems.push("Dimensions must be an array of dimension sets");
    for (const set of directive.Dimensions ?? []) {
      if (!Array.isArray(set) || set.length > 30) problems.push("a dimension set holds at most 30 dimension keys");
      for (const key of set) if (typeof root[key] !== "string") problems.push(`dimension ${key} must be a string member of the root`);
    }
    if (!Array.isArray(directive.Metrics) || directive.Metrics.length > 100) problems.push("Metrics holds at most 100 metric definitions");
    for (const metric of directive.Metrics ?? []) {
      if (typeof metric.Name !== "string" || metric.Name.length < 1 || metric.Name.length > 255) problems.push("a metric Name is 1-255 characters");
      if (typeof root[metric.Name] !== "number") problems.push(`metric ${metric.Name} must be a number member of the root`);
    }
  }
  return problems;
}

describe("delivery records: failure lines and embedded-metric-format figures", () => {
  it("writes one EMF line the specification accepts, with the four figures and the Environment dimension", () => {
    // Act
    const line = emfRecord(
      { incidentsWritten: 5, alertsPublished: 1, alertsSuppressed: 2, alertsMuted: 1 },
      { namespace: "LogMonitoring/prod", environment: "prod", timestampMs: T0 },
    );
    // Assess
    expect(emfViolations(line)).toEqual([]);
    expect(JSON.parse(line)).toEqual({
      _aws: {
        Timestamp: T0,
        CloudWatchMetrics: [
          {
            Namespace: "LogMonitoring/prod",
            Dimensions: [["Environment"]],
            Metrics: [
              { Name: "IncidentsWritten", Unit: "Count" },
              { Name: "AlertsPublished", Unit: "Count" },
              { Name: "AlertsSuppressed", Unit: "Count" },
              { Name: "AlertsMuted", Unit: "Count" },
            ],
          },
        ],
      },
      Environment: "prod",
      IncidentsWritten: 5,
      AlertsPublished: 1,
      AlertsSuppressed: 2,
      AlertsMuted: 1,
    });
    // The namespace at the specification's longest, 255 characters, is still accepted.
    expect(emfViolations(emfRecord({ incidentsWritten: 0, alertsPublished: 0, alertsSuppressed: 0, alertsMuted: 0 }, { namespace: "N".repeat(255), environment: "e", timestampMs: T0 }))).toEqual([]);
  });

  it("the EMF check can fail: a value written as a string, or a namespace too long, is named", () => {
    const wrong = JSON.parse(emfRecord({ incidentsWritten: 1, alertsPublished: 0, alertsSuppressed: 0, alertsMuted: 0 }, { namespace: "N".repeat(256), environment: "e", timestampMs: T0 }));
    wrong.IncidentsWritten = "1";
    expect(emfViolations(JSON.stringify(wrong))).toEqual(["Namespace must be 1-255 characters", "metric IncidentsWritten must be a number member of the root"]);
  });

  it("writes one line per failure with fingerprint, error type, first line and count, most frequent first", () => {
    // Prepare
    const incidents = buildIncidents(
      decodeLogsEvent(logsEvent(dataMessage(logEvents(["ERROR: disk full", TYPE_ERROR, TYPE_ERROR], T0), { logGroup: "/aws/lambda/orders" }))),
      { ttlDays: 30 },
    );
    // Act
    const lines = failureRecords(incidents).map((line) => JSON.parse(line));
    // Assess
    expect(lines).toEqual([
      {
        record: "failure",
        log_group: "/aws/lambda/orders",
        fingerprint: fingerprintMessage(TYPE_ERROR),
        error_type: "TypeError",
        first_line: expect.stringContaining("Cannot read properties of undefined"),
        severity: "ERROR",
        count: 2,
      },
      { record: "failure", log_group: "/aws/lambda/orders", fingerprint: fingerprintMessage("ERROR: disk full"), error_type: "-", first_line: "ERROR: disk full", severity: "ERROR", count: 1 },
    ]);
  });

  describe("processDelivery against dynalite (SNS replaced by a recording publisher)", () => {
    let dynamo: LocalDynamoDb;
    let client: DynamoDBClient;
    beforeAll(async () => {
      dynamo = await startDynalite();
      client = localDynamoDbClient(dynamo.endpoint);
      await createIncidentsTable(client, "incidents");
      await createSuppressionTable(client, "suppression");
    });
    afterAll(async () => {
      client.destroy();
      await dynamo.stop();
    });

    it("counts a muted failure as muted, not published, in the delivery's figures", async () => {
      // Prepare: "disk full" is muted; the TypeError is new.
      await muteFailure(client, "suppression", { scope: { accountId: "123456789012", logGroup: DEFAULT_LOG_GROUP, fingerprint: fingerprintMessage("ERROR: disk full") }, untilMs: T0 + 3_600_000, by: "ana", reason: "noise", nowMs: T0 });
      const records: string[] = [];
      const published: AlertMessage[] = [];
      // Act
      await processDelivery(logsEvent(dataMessage(logEvents(["ERROR: disk full", TYPE_ERROR, "ERROR: disk full"], T0))), {
        store: new DynamoDbIncidentStore(client, { tableName: "incidents" }),
        ttlDays: 30,
        log: () => undefined,
        now: () => T0 + 1000,
        records: (line) => records.push(line),
        metrics: { namespace: "LogMonitoring/test", environment: "test" },
        alerting: {
          suppression: new DynamoDbSuppressionStore(client, { tableName: "suppression", windowMinutes: 15 }),
          publisher: { publish: async (alert) => void published.push(alert) },
          windowMinutes: 15,
          region: "eu-west-1",
          now: () => T0 + 1000,
        },
      });
      // Assess
      expect(records).toHaveLength(3);
      expect(records.slice(0, 2).map((line) => JSON.parse(line).count)).toEqual([2, 1]);
      expect(JSON.parse(records[2] as string)).toMatchObject({ IncidentsWritten: 3, AlertsPublished: 1, AlertsSuppressed: 0, AlertsMuted: 1 });
      expect(published.map((alert) => alert.attributes.fingerprint)).toEqual([fingerprintMessage(TYPE_ERROR)]);
    });
  });
});
