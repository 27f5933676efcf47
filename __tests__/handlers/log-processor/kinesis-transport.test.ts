import { gzipSync } from "node:zlib";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { PutRecordsCommand } from "@aws-sdk/client-kinesis";
import type * as ProcessorModule from "../../../handlers/log-processor/index";
import { decodeLogsEvent } from "../../../handlers/log-processor/decode";
import { buildIncidents } from "../../../handlers/log-processor/incident";
import { IncidentWriteError } from "../../../handlers/log-processor/incident-store";
import { isKinesisStreamEvent, processKinesisBatch } from "../../../handlers/log-processor/kinesis-event";
import type { KinesisStreamEvent } from "../../../handlers/log-processor/kinesis-event";
import { groupByFingerprint } from "../../../handlers/log-processor/realtime-alerts";
import { DynamoDbSuppressionStore } from "../../../handlers/log-processor/suppression-store";
import {
  createStream,
  eventSourceMappingBatches,
  LocalKinesis,
  putRecord,
  readShard,
  startLocalKinesis,
} from "../../../lib/simulate/local-kinesis";
import { fingerprintMessage } from "../../../handlers/log-processor/fingerprint";
import { REQUEST_ID } from "../../fixtures/log-lines";
import { LocalDynamoDb, startDynalite } from "../../support/dynalite";
import { LocalSns, startLocalSns } from "../../../lib/local-aws/sns-subscribers";
import { createIncidentsTable, deleteAllItems, readAllIncidents } from "../../support/incidents-table";
import { coldStartProcessor, LOCAL_CREDENTIALS, setEnvironment, quietProcessorRecords } from "../../support/lambda-environment";
import { dataMessage, logEvents } from "../../support/logs-payload";
import { createSuppressionTable, deleteAllSuppressionItems, suppressionItem } from "../../support/suppression-table";
import { localDynamoDbClient } from "../../support/test-dynamodb-client";

const INCIDENTS_TABLE = "log-monitor-test-incidents";
const SUPPRESSION_TABLE = "log-monitor-test-alert-suppression";
/** The topic fauxqs creates (its account is 000000000000). */
const TOPIC_ARN = "arn:aws:sns:eu-west-1:000000000000:log-monitor-test-alerts";
const T0 = Date.UTC(2024, 4, 1, 12, 0, 0, 0);
const SOURCE = {
  streamArn: "",
  region: "eu-west-1",
  shardId: "shardId-000000000000",
  roleArn: "arn:aws:iam::123456789012:role/log-monitor-test-log-processor-eu-west-1",
};
const nodeError = (message: string) => `2024-05-01T12:00:01.000Z\t${REQUEST_ID}\tERROR\t${message}`;

/** What CloudWatch Logs puts into the stream for one delivery: the gzip-compressed JSON, as one record. */
const deliveryRecord = (logGroup: string, messages: string[]) =>
  gzipSync(Buffer.from(JSON.stringify(dataMessage(logEvents(messages, T0), { logGroup })), "utf8"));

/**
 * The Kinesis transport end to end on local servers: records are put into kinesalite (a real implementation of the
 * Kinesis API, driven with the SDK's KinesisClient: lib/simulate/local-kinesis.ts) as CloudWatch Logs puts them,
 * read back with GetRecords, turned into the event source mapping's event format and given to the real handler module,
 * which writes to dynalite. SNS is fauxqs behind the fault proxy (lib/local-aws/sns-subscribers.ts): an SQS queue
 * subscribed to the topic receives the alerts. Lambda's event source mapping itself is not run (no local
 * server exists); its event and response formats are the documented ones, cited in kinesis-event.ts.
 */
describe("log processor over the Kinesis transport (kinesalite + dynalite; SNS by fauxqs)", () => {
  quietProcessorRecords();
  let kinesis: LocalKinesis;
  let dynamo: LocalDynamoDb;
  let sns: LocalSns;
  let client: DynamoDBClient;
  let restoreEnvironment: () => void;
  let handler: typeof ProcessorModule.handler;
  let info: jest.SpyInstance;
  let streamNumber = 0;

  beforeAll(async () => {
    [kinesis, dynamo, sns] = await Promise.all([startLocalKinesis(), startDynalite(), startLocalSns()]);
    expect(await sns.createTopic("log-monitor-test-alerts")).toBe(TOPIC_ARN);
    client = localDynamoDbClient(dynamo.endpoint);
    await createIncidentsTable(client, INCIDENTS_TABLE);
    await createSuppressionTable(client, SUPPRESSION_TABLE);
    restoreEnvironment = setEnvironment({
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SNS: sns.endpoint,
      AWS_REGION: "eu-west-1",
      ...LOCAL_CREDENTIALS,
      INCIDENTS_TABLE_NAME: INCIDENTS_TABLE,
      INCIDENT_TTL_DAYS: undefined,
      REALTIME_ALERTS: "true",
      ALERT_TOPIC_ARN: TOPIC_ARN,
      SUPPRESSION_TABLE_NAME: SUPPRESSION_TABLE,
      SUPPRESSION_MINUTES: "15",
    });
    ({ handler } = coldStartProcessor());
  });

  afterAll(async () => {
    restoreEnvironment();
    client.destroy();
    await Promise.all([kinesis.stop(), dynamo.stop(), sns.stop()]);
  });

  beforeEach(async () => {
    await deleteAllItems(client, INCIDENTS_TABLE);
    await deleteAllSuppressionItems(client, SUPPRESSION_TABLE);
    await sns.reset();
    info = jest.spyOn(console, "info").mockImplementation(() => undefined);
  });

  afterEach(() => info.mockRestore());

  /** A fresh stream holding the given record payloads, read back as the event source mapping's batches. */
  const throughKinesis = async (payloads: Buffer[], batchSize: number) => {
    const streamName = `log-monitor-test-logs-${(streamNumber += 1)}`;
    const streamArn = await createStream(kinesis, streamName);
    const sequenceNumbers: string[] = [];
    for (const [index, payload] of payloads.entries()) sequenceNumbers.push(await putRecord(kinesis, streamName, payload, `stream-${index}`));
    const records = await readShard(kinesis, streamName);
    return { sequenceNumbers, events: eventSourceMappingBatches(records, batchSize, { ...SOURCE, streamArn }) };
  };

  it("stores and alerts the good records of a batch and reports only the malformed one as failed, by sequence number", async () => {
    // Prepare: three deliveries from three log groups; the middle record is not gzip (a producer other than
    // CloudWatch Logs, or a corrupted record).
    const { sequenceNumbers, events } = await throughKinesis(
      [
        deliveryRecord("/aws/lambda/orders-api", [nodeError("payment declined: card expired")]),
        Buffer.from("this is not a CloudWatch Logs delivery", "utf8"),
        deliveryRecord("/aws/lambda/billing", [nodeError("invoice renderer crashed"), "INFO all good"]),
      ],
      100,
    );
    expect(events).toHaveLength(1);
    const event = events[0] as KinesisStreamEvent;
    expect(event.Records.map((record) => record.eventID)).toEqual(sequenceNumbers.map((n) => `shardId-000000000000:${n}`));

    // Act
    const response = await handler(event);

    // Assess: only the malformed record is reported; Lambda checkpoints the others.
    expect(response).toStrictEqual({ batchItemFailures: [{ itemIdentifier: sequenceNumbers[1] }] });
    const incidents = await readAllIncidents(client, INCIDENTS_TABLE);
    expect(incidents.map((incident) => [incident.logGroup, incident.message]).sort()).toEqual([
      ["/aws/lambda/billing", nodeError("invoice renderer crashed")],
      ["/aws/lambda/orders-api", nodeError("payment declined: card expired")],
    ]);
    expect((await sns.received()).map((alert) => alert.attributes.log_group).sort()).toEqual(["/aws/lambda/billing", "/aws/lambda/orders-api"]);
    const lines = info.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
    expect(lines).toContainEqual({
      summary: "kinesis record failed",
      sequence_number: sequenceNumbers[1],
      error: "Malformed CloudWatch Logs event: awslogs.data is not gzip: the decoded bytes do not start with the gzip signature 1f 8b",
    });
    // The batch summary now also says how many failures went into the invocation's digest (storm control per batch).
    expect(lines).toContainEqual({ summary: "kinesis batch processed", records: 3, failed: 1, processed: 3, incidents_created: 2, alerts_published: 2, alerts_digested: 0 });
  });

  it("reports an empty failure list when every record is processed, and the same items when the batch is replayed", async () => {
    // Prepare
    const { events } = await throughKinesis(
      [deliveryRecord("/aws/lambda/orders-api", [nodeError("a")]), deliveryRecord("/aws/lambda/billing", [nodeError("b")])],
      100,
    );
    const event = events[0] as KinesisStreamEvent;
    // Act: delivered twice, as Lambda retries from a checkpoint
    const first = await handler(event);
    const afterFirst = (await readAllIncidents(client, INCIDENTS_TABLE)).map((incident) => incident.incidentId).sort();
    const second = await handler(event);
    const afterSecond = (await readAllIncidents(client, INCIDENTS_TABLE)).map((incident) => incident.incidentId).sort();
    // Assess
    expect(first).toStrictEqual({ batchItemFailures: [] });
    expect(second).toStrictEqual({ batchItemFailures: [] });
    expect(afterFirst).toHaveLength(2);
    expect(afterSecond).toEqual(afterFirst);
    expect((await sns.received())).toHaveLength(2);
  });

  it("holds storm control per invocation: a batch of records with 25 distinct failures publishes the 10 allowed alerts and one digest", async () => {
    // Prepare: five deliveries (records) of five distinct failures each, in five log groups.
    const payloads = Array.from({ length: 5 }, (_, record) =>
      deliveryRecord(
        `/aws/lambda/fn-${record}`,
        Array.from({ length: 5 }, (_, i) => nodeError(`failure ${"abcde"[record]}${"vwxyz"[i]} in step ${"s".repeat(5 * record + i + 1)}`)),
      ),
    );
    const { events } = await throughKinesis(payloads, 100);
    // Act
    const response = await handler(events[0] as KinesisStreamEvent);
    // Assess: behaviour changed: each record used to be alerted on its own (5 alerts each here, 25 in all).
    expect(response).toStrictEqual({ batchItemFailures: [] });
    expect((await sns.received())).toHaveLength(11);
    expect((await sns.received())[10]?.subject).toMatch(/^\[ERROR\] 15 more failures \(/);
    const lines = info.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
    expect(lines).toContainEqual({ summary: "kinesis batch processed", records: 5, failed: 0, processed: 25, incidents_created: 25, alerts_published: 11, alerts_digested: 15 });
  });

  it("reports the record whose failure another live invocation holds, and checkpoints the others", async () => {
    // Prepare: two records; the first record's failure is being alerted by another invocation (a live lease).
    const { sequenceNumbers, events } = await throughKinesis(
      [deliveryRecord("/aws/lambda/orders-api", [nodeError("payment declined")]), deliveryRecord("/aws/lambda/billing", [nodeError("invoice lost")])],
      100,
    );
    const store = new DynamoDbSuppressionStore(client, { tableName: SUPPRESSION_TABLE, windowMinutes: 15 });
    const held = { accountId: "123456789012", logGroup: "/aws/lambda/orders-api", fingerprint: fingerprintMessage(nodeError("payment declined")) };
    await store.claim(held, 1, Date.now(), "another-invocation", Date.now() + 60_000);
    // Act
    const response = await handler(events[0] as KinesisStreamEvent);
    // Assess: behaviour changed: a held lease used to count as suppressed, and the record was checkpointed unalerted.
    expect(response).toStrictEqual({ batchItemFailures: [{ itemIdentifier: sequenceNumbers[0] }] });
    expect((await sns.received()).map((alert) => alert.attributes.log_group)).toEqual(["/aws/lambda/billing"]);
    const lines = info.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
    expect(lines).toContainEqual({
      summary: "kinesis record failed",
      sequence_number: sequenceNumbers[0],
      error: expect.stringContaining(`${held.fingerprint} in /aws/lambda/orders-api: another invocation holds its alert lease and has not published yet`),
    });
  });

  it("alerts at once when the event source mapping retries the same records after an attempt died holding their lease", async () => {
    // Prepare: the first attempt at the batch claimed its failure (the owner derives from the batch's records) and
    // was killed before publishing; the lease lives for another minute, and the mapping retries at once.
    const { events } = await throughKinesis([deliveryRecord("/aws/lambda/orders-api", [nodeError("payment declined")])], 100);
    const event = events[0] as KinesisStreamEvent;
    const incidents = event.Records.flatMap((record) => buildIncidents(decodeLogsEvent({ awslogs: { data: record.kinesis.data } }), { ttlDays: 30 }));
    const [group] = groupByFingerprint(incidents);
    const store = new DynamoDbSuppressionStore(client, { tableName: SUPPRESSION_TABLE, windowMinutes: 15 });
    await store.claim(group?.scope ?? { logGroup: "", fingerprint: "" }, 1, Date.now(), group?.ownerId ?? "", Date.now() + 60_000);
    // Act
    const response = await handler(event);
    // Assess
    expect(response).toStrictEqual({ batchItemFailures: [] });
    expect((await sns.received())).toHaveLength(1);
    expect((await suppressionItem(client, SUPPRESSION_TABLE, group?.failureKey ?? ""))?.alert_state).toStrictEqual({ S: "sent" });
  });

  it("carries each record's bytes and arrival time from the SDK's PutRecords through GetRecords into the event, in order", async () => {
    // Prepare: a fresh stream; two records put in one PutRecords call (the SDK's KinesisClient, JSON 1.1 to kinesalite).
    const streamName = `log-monitor-test-logs-${(streamNumber += 1)}`;
    const streamArn = await createStream(kinesis, streamName);
    const payloads = [deliveryRecord("/aws/lambda/a", [nodeError("first")]), Buffer.from([0x00, 0xff, 0x1f, 0x8b])];
    const before = Date.now();
    // Act
    const put = await kinesis.client.send(
      new PutRecordsCommand({ StreamName: streamName, Records: payloads.map((Data, index) => ({ Data, PartitionKey: `stream-${index}` })) }),
    );
    const after = Date.now();
    const [event] = eventSourceMappingBatches(await readShard(kinesis, streamName), 100, { ...SOURCE, streamArn });
    // Assess
    expect(put.FailedRecordCount).toBe(0);
    expect(streamArn).toMatch(new RegExp(`^arn:aws:kinesis:[a-z0-9-]+:\\d{12}:stream/${streamName}$`));
    const records = (event as KinesisStreamEvent).Records as readonly (KinesisStreamEvent["Records"][number] & {
      kinesis: { approximateArrivalTimestamp: number };
    })[];
    expect(records.map((record) => Buffer.from(record.kinesis.data, "base64"))).toEqual(payloads);
    expect(records.map((record) => record.kinesis.sequenceNumber)).toEqual(put.Records?.map((record) => record.SequenceNumber));
    expect(records.map((record) => record.kinesis.partitionKey)).toEqual(["stream-0", "stream-1"]);
    for (const record of records) {
      expect(record.kinesis.approximateArrivalTimestamp * 1000).toBeGreaterThanOrEqual(before - 1);
      expect(record.kinesis.approximateArrivalTimestamp * 1000).toBeLessThanOrEqual(after + 1);
    }
  });

  it("splits a shard into batches of the configured size, as the event source mapping does", async () => {
    // Prepare
    const payloads = Array.from({ length: 5 }, (_, index) => deliveryRecord(`/aws/lambda/fn-${index}`, [nodeError(`failure ${index}`)]));
    // Act
    const { events } = await throughKinesis(payloads, 2);
    const responses = [];
    for (const event of events) responses.push(await handler(event));
    // Assess
    expect(events.map((event) => event.Records.length)).toEqual([2, 2, 1]);
    expect(responses).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }, { batchItemFailures: [] }]);
    expect(await readAllIncidents(client, INCIDENTS_TABLE)).toHaveLength(5);
  });

  it("reports a record whose incidents could not be stored, after storing and alerting its neighbours", async () => {
    // Prepare: the store refuses the incidents of one log group (poison isolation of the processor, per record).
    const { sequenceNumbers, events } = await throughKinesis(
      [deliveryRecord("/aws/lambda/ok", [nodeError("fine to store")]), deliveryRecord("/aws/lambda/poison", [nodeError("cannot store")])],
      100,
    );
    const stored: string[] = [];
    const store = {
      putAll: async (incidents: readonly { incidentId: string; logGroup: string }[]) => {
        const bad = incidents.filter((incident) => incident.logGroup === "/aws/lambda/poison");
        stored.push(...incidents.filter((incident) => incident.logGroup !== "/aws/lambda/poison").map((incident) => incident.logGroup));
        if (bad.length > 0) {
          throw new IncidentWriteError(INCIDENTS_TABLE, bad.length, incidents.length, ["ValidationException: item too large"], undefined, new Set(bad.map((i) => i.incidentId)));
        }
      },
    };
    const log: string[] = [];
    // Act
    const response = await processKinesisBatch(events[0], { store, ttlDays: 30, log: (line) => log.push(line) });
    // Assess
    expect(response).toStrictEqual({ batchItemFailures: [{ itemIdentifier: sequenceNumbers[1] }] });
    expect(stored).toEqual(["/aws/lambda/ok"]);
    expect(log.some((line) => line.includes('"kinesis record failed"') && line.includes(String(sequenceNumbers[1])))).toBe(true);
  });

  it("reports records not started before the deadline instead of dropping them", async () => {
    // Prepare
    const { sequenceNumbers, events } = await throughKinesis([deliveryRecord("/aws/lambda/late", [nodeError("late")])], 100);
    const store = { putAll: jest.fn(async () => undefined) };
    // Act: the deadline has already passed
    const response = await processKinesisBatch(events[0], {
      store,
      ttlDays: 30,
      log: () => undefined,
      deadline: { deadlineMs: 0, stopStartingAtMs: 0 },
      now: () => 1,
    });
    // Assess
    expect(response).toStrictEqual({ batchItemFailures: [{ itemIdentifier: sequenceNumbers[0] }] });
    expect(store.putAll).not.toHaveBeenCalled();
  });

  it("fails the whole batch when a record has no sequence number to report it by (an empty itemIdentifier would fail it anyway)", async () => {
    // Prepare
    const event = { Records: [{ eventSource: "aws:kinesis", eventID: "shardId-000000000000:", kinesis: { data: "", partitionKey: "p" } }] };
    // Act / Assess
    expect(isKinesisStreamEvent(event)).toBe(true);
    await expect(handler(event)).rejects.toThrow("Malformed Kinesis event: Records[0].kinesis.sequenceNumber is missing or not a non-empty string");
  });

  it("still takes direct CloudWatch Logs invocations (the awslogs shape) with the same handler", () => {
    expect(isKinesisStreamEvent({ awslogs: { data: "H4sI" } })).toBe(false);
    expect(isKinesisStreamEvent({ Records: [{ eventSource: "aws:sqs" }] })).toBe(false);
  });
});
