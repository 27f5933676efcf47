import { createHash } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { fingerprintMessage } from "../../../handlers/log-processor/fingerprint";
import { Incident } from "../../../handlers/log-processor/incident";
import type * as ProcessorModule from "../../../handlers/log-processor/index";
import { coldStartProcessor as coldStart, LOCAL_CREDENTIALS, setEnvironment, thrownBy, quietProcessorRecords } from "../../support/lambda-environment";
import { REQUEST_ID } from "../../fixtures/log-lines";
import { LocalDynamoDb, startDynalite } from "../../support/dynalite";
import { createIncidentsTable, deleteAllItems, queryByLogGroup, readAllIncidents, scanAll } from "../../support/incidents-table";
import { controlMessage, dataMessage, DEFAULT_LOG_STREAM, eventId, logEvents, logsEvent } from "../../support/logs-payload";
import { localDynamoDbClient } from "../../support/test-dynamodb-client";

const TABLE_NAME = "log-monitor-incidents";
const LOG_GROUP = "/aws/lambda/orders-api";
const T0 = Date.UTC(2024, 4, 1, 12, 0, 0, 0); // 2024-05-01T12:00:00.000Z
const DAY_SECONDS = 86_400;

describe("log processor handler against dynalite", () => {
  quietProcessorRecords();
  let dynamo: LocalDynamoDb;
  let client: DynamoDBClient;
  let handler: typeof ProcessorModule.handler;
  let info: jest.SpyInstance;
  let restoreEnvironment: () => void;

  beforeAll(async () => {
    dynamo = await startDynalite();
    client = localDynamoDbClient(dynamo.endpoint);
    await createIncidentsTable(client, TABLE_NAME);
    // The handler's own DynamoDBClient is configured only by the SDK's standard settings; these point it at dynalite.
    restoreEnvironment = setEnvironment({
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_REGION: "us-east-1",
      ...LOCAL_CREDENTIALS,
      INCIDENTS_TABLE_NAME: TABLE_NAME,
      INCIDENT_TTL_DAYS: undefined,
      // Only the table, as the processor's original contract has it: with no REALTIME_ALERTS and no
      // ALERT_TOPIC_ARN, real-time alerts stay off (they have their own suite, alerts.test.ts).
      REALTIME_ALERTS: undefined,
      ALERT_TOPIC_ARN: undefined,
    });
    ({ handler } = coldStart());
  });

  afterAll(async () => {
    restoreEnvironment();
    client.destroy();
    await dynamo.stop();
  });

  beforeEach(async () => {
    await deleteAllItems(client, TABLE_NAME);
    info = jest.spyOn(console, "info").mockImplementation(() => undefined);
  });

  afterEach(() => {
    info.mockRestore();
  });

  it("writes one incident per error line, with exact attributes, and the log group index returns them newest first", async () => {
    // Prepare: an invocation's worth of lines, three of them failures.
    const invokeError =
      `2024-05-01T12:00:01.000Z\t${REQUEST_ID}\tERROR\tInvoke Error \t{"errorType":"TypeError","errorMessage":"Cannot read properties of undefined (reading 'id')",` +
      `"stack":["TypeError: Cannot read properties of undefined (reading 'id')","    at Runtime.handler (file:///var/task/index.mjs:3:20)"]}\n`;
    const fatal = `2024-05-01T12:00:02.000Z\t${REQUEST_ID}\tFATAL\tdatabase pool exhausted, shutting down\n`;
    const timeout = `2024-05-01T12:00:03.000Z ${REQUEST_ID} Task timed out after 3.00 seconds\n`;
    const messages = [
      `START RequestId: ${REQUEST_ID} Version: $LATEST\n`,
      invokeError,
      fatal,
      `2024-05-01T12:00:02.500Z\t${REQUEST_ID}\tINFO\tno ERROR found in cache\n`,
      timeout,
      `END RequestId: ${REQUEST_ID}\n`,
    ];
    const event = logsEvent(dataMessage(logEvents(messages, T0), { logGroup: LOG_GROUP }));

    // Act
    const result = await handler(event);

    // Assess
    expect(result).toStrictEqual({ processed: 6, incidents_created: 3, alerts_published: 0, alerts_suppressed: 0, alerts_digested: 0 });
    const expected = (index: number, message: string, extra: Partial<Incident>): Incident => ({
      incidentId: createHash("sha256")
        .update(`${LOG_GROUP}\n${DEFAULT_LOG_STREAM}\n${eventId(index)}`)
        .digest("hex"),
      logGroup: LOG_GROUP,
      accountId: "123456789012",
      logStream: DEFAULT_LOG_STREAM,
      eventId: eventId(index),
      occurredAt: new Date(T0 + index * 1000).toISOString(),
      timestampMs: T0 + index * 1000,
      severity: "ERROR",
      message,
      requestId: REQUEST_ID,
      // The function version in the stream's name (`2024/05/01/[$LATEST]...`), stored as the `release` attribute.
      release: "$LATEST",
      fingerprint: fingerprintMessage(message),
      expiresAt: Math.floor((T0 + index * 1000) / 1000) + 30 * DAY_SECONDS,
      ...extra,
    });
    const expectedIncidents = [
      expected(1, invokeError, { errorType: "TypeError" }),
      expected(2, fatal, { severity: "FATAL" }),
      expected(4, timeout, {}),
    ];
    expect(await readAllIncidents(client, TABLE_NAME)).toStrictEqual(
      [...expectedIncidents].sort((a, b) => a.incidentId.localeCompare(b.incidentId)),
    );
    const newestFirst = await queryByLogGroup(client, TABLE_NAME, LOG_GROUP);
    expect(newestFirst.map((incident) => incident.eventId)).toEqual([eventId(4), eventId(2), eventId(1)]);
  });

  it("logs a one-line JSON summary of the delivery", async () => {
    // Prepare
    const event = logsEvent(dataMessage(logEvents(["ERROR: disk full", "INFO: cleaned up"], T0), { logGroup: LOG_GROUP }));
    // Act
    await handler(event);
    // Assess
    expect(info.mock.calls).toEqual([
      [
        JSON.stringify({
          summary: "log delivery processed",
          message_type: "DATA_MESSAGE",
          log_group: LOG_GROUP,
          log_stream: DEFAULT_LOG_STREAM,
          processed: 2,
          incidents_created: 1,
          alerts_published: 0,
          alerts_suppressed: 0,
          alerts_digested: 0,
          alerts_muted: 0,
        }),
      ],
    ]);
  });

  it("writes nothing for a delivery of INFO lines only", async () => {
    // Prepare
    const messages = [
      `2024-05-01T12:00:00.000Z\t${REQUEST_ID}\tINFO\tprocessed 3 orders with 0 errors\n`,
      "INFO: no ERROR found",
      `REPORT RequestId: ${REQUEST_ID}\tDuration: 2.35 ms\tBilled Duration: 3 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\t\n`,
    ];
    // Act
    const result = await handler(logsEvent(dataMessage(logEvents(messages, T0))));
    // Assess
    expect(result).toStrictEqual({ processed: 3, incidents_created: 0, alerts_published: 0, alerts_suppressed: 0, alerts_digested: 0 });
    expect(await scanAll(client, TABLE_NAME)).toEqual([]);
  });

  it("acknowledges a CONTROL_MESSAGE without writing anything", async () => {
    // Act
    const result = await handler(logsEvent(controlMessage()));
    // Assess
    expect(result).toStrictEqual({ processed: 0, incidents_created: 0, alerts_published: 0, alerts_suppressed: 0, alerts_digested: 0 });
    expect(await scanAll(client, TABLE_NAME)).toEqual([]);
  });

  it("rewrites the same items when a delivery is replayed", async () => {
    // Prepare
    const event = logsEvent(
      dataMessage(logEvents(["ERROR: disk full", "[FATAL] out of memory", "INFO: ok"], T0), { logGroup: LOG_GROUP }),
    );
    await handler(event);
    const afterFirst = await readAllIncidents(client, TABLE_NAME);
    // Act
    const replay = await handler(event);
    // Assess
    expect(replay).toStrictEqual({ processed: 3, incidents_created: 2, alerts_published: 0, alerts_suppressed: 0, alerts_digested: 0 });
    expect(await readAllIncidents(client, TABLE_NAME)).toStrictEqual(afterFirst);
    expect(afterFirst).toHaveLength(2);
  });

  it("throws a clear error for a malformed event and writes nothing", async () => {
    // Prepare: a delivery whose third event has a string timestamp.
    const events: unknown[] = logEvents(["ERROR: one", "ERROR: two"], T0);
    events.push({ id: eventId(2), timestamp: "1714564800000", message: "ERROR: three" });
    const event = logsEvent(dataMessage(events as never));
    // Act
    const failure = handler(event);
    // Assess
    await expect(failure).rejects.toMatchObject({
      name: "MalformedLogsEventError",
      message:
        'Malformed CloudWatch Logs event: field logEvents[2].timestamp must be a non-negative integer (milliseconds since the epoch), got the string "1714564800000"',
      field: "logEvents[2].timestamp",
    });
    expect(await scanAll(client, TABLE_NAME)).toEqual([]);
  });

  it("writes every incident of a delivery of 1,000 errors", async () => {
    // Prepare
    const messages = Array.from(
      { length: 1000 },
      (_, i) => `2024-05-01T12:00:00.000Z\t${REQUEST_ID}\tERROR\torder ${i} could not be saved\n`,
    );
    const event = logsEvent(dataMessage(logEvents(messages, T0), { logGroup: LOG_GROUP }));
    // Act
    const result = await handler(event);
    // Assess
    expect(result).toStrictEqual({ processed: 1000, incidents_created: 1000, alerts_published: 0, alerts_suppressed: 0, alerts_digested: 0 });
    const stored = await scanAll(client, TABLE_NAME);
    expect(stored).toHaveLength(1000);
    expect(new Set(stored.map((item) => item.event_id?.S))).toEqual(new Set(logEvents(messages, T0).map((e) => e.id)));
  });
});

describe("log processor cold start", () => {
  quietProcessorRecords();
  let restoreEnvironment: (() => void) | undefined;

  afterEach(() => {
    restoreEnvironment?.();
  });

  it("fails with an error naming INCIDENTS_TABLE_NAME when it is not set", () => {
    // Prepare
    restoreEnvironment = setEnvironment({ INCIDENTS_TABLE_NAME: undefined, AWS_REGION: "us-east-1" });
    // Act
    const error = thrownBy(coldStart);
    // Assess
    expect(error).toMatchObject({
      name: "ConfigurationError",
      variable: "INCIDENTS_TABLE_NAME",
      message: "INCIDENTS_TABLE_NAME: not set; it must name the DynamoDB table incidents are written to",
    });
  });

  it("fails with an error naming INCIDENT_TTL_DAYS when it is not a positive integer", () => {
    // Prepare
    restoreEnvironment = setEnvironment({
      INCIDENTS_TABLE_NAME: TABLE_NAME,
      INCIDENT_TTL_DAYS: "a month",
      AWS_REGION: "us-east-1",
    });
    // Act
    const error = thrownBy(coldStart);
    // Assess
    expect(error).toMatchObject({
      name: "ConfigurationError",
      variable: "INCIDENT_TTL_DAYS",
      message: 'INCIDENT_TTL_DAYS: "a month" is not a positive integer number of days',
    });
  });

  it("fails with an error naming ALERT_TOPIC_ARN when REALTIME_ALERTS=true and it is not set", () => {
    // Prepare
    restoreEnvironment = setEnvironment({
      INCIDENTS_TABLE_NAME: TABLE_NAME,
      REALTIME_ALERTS: "true",
      ALERT_TOPIC_ARN: undefined,
      SUPPRESSION_TABLE_NAME: "log-monitor-alert-suppression",
      AWS_REGION: "us-east-1",
    });
    // Act
    const error = thrownBy(coldStart);
    // Assess
    expect(error).toMatchObject({
      name: "ConfigurationError",
      variable: "ALERT_TOPIC_ARN",
      message:
        "ALERT_TOPIC_ARN: not set; it must hold the ARN of the SNS topic real-time alerts are published to (or set REALTIME_ALERTS=false)",
    });
  });

  it("keeps incidents for INCIDENT_TTL_DAYS days when it is set", async () => {
    // Prepare: a dynalite of its own and a cold start with INCIDENT_TTL_DAYS=7.
    const dynamo = await startDynalite();
    const client = localDynamoDbClient(dynamo.endpoint);
    try {
      await createIncidentsTable(client, TABLE_NAME);
      restoreEnvironment = setEnvironment({
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
        AWS_REGION: "us-east-1",
        ...LOCAL_CREDENTIALS,
        INCIDENTS_TABLE_NAME: TABLE_NAME,
        INCIDENT_TTL_DAYS: "7",
        REALTIME_ALERTS: "false",
      });
      const { handler } = coldStart();
      jest.spyOn(console, "info").mockImplementation(() => undefined);
      // Act
      await handler(logsEvent(dataMessage(logEvents(["ERROR: disk full"], T0))));
      // Assess
      const [incident] = await readAllIncidents(client, TABLE_NAME);
      expect(incident?.expiresAt).toBe(T0 / 1000 + 7 * DAY_SECONDS);
    } finally {
      jest.restoreAllMocks();
      client.destroy();
      await dynamo.stop();
    }
  });
});
