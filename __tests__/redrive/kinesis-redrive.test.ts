/**
 * Redrive on the Kinesis transport: the dead-letter queue holds Lambda's on-failure record of a batch (its
 * `KinesisBatchInfo`, not its records; Lambda Developer Guide, "Retain discarded batch records for a Kinesis Data
 * Streams event source in Lambda"). Redrive reads the records back from the stream (kinesalite, through the SDK's
 * KinesisClient) and replays them through the processor's real Kinesis code against dynalite. The dead-letter queue
 * is an SQS queue in fauxqs read through `sqsDeadLetterQueue` (the adapter `npm run redrive` uses); Lambda has no
 * local server, so the invocation is the processor's code called in-process, its response read as `lambdaProcessor`
 * reads Lambda's (`partialBatchFailure`).
 */
import { gzipSync } from "node:zlib";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDbIncidentStore } from "../../handlers/log-processor/incident-store";
import { processKinesisBatch } from "../../handlers/log-processor/kinesis-event";
import { partialBatchFailure } from "../../lib/redrive/aws-adapters";
import { kinesisBatchInfoOf, kinesisBatchReader } from "../../lib/redrive/kinesis-batch";
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { LocalFauxqs, startFauxqs } from "../../lib/local-aws/fauxqs";
import { sqsDeadLetterQueue } from "../../lib/redrive/aws-adapters";
import { ProcessorInvoker, redrive } from "../../lib/redrive/redrive";
import { createStream, LocalKinesis, putRecord, startLocalKinesis } from "../../lib/simulate/local-kinesis";
import { LocalDynamoDb, startDynalite } from "../support/dynalite";
import { createIncidentsTable, readAllIncidents } from "../support/incidents-table";
import { dataMessage, logEvents } from "../support/logs-payload";
import { localDynamoDbClient } from "../support/test-dynamodb-client";

jest.setTimeout(60_000);

/** Lambda's on-failure record for a Kinesis batch, as the Lambda Developer Guide's example shows it. */
const onFailureRecord = (streamArn: string, start: string, end: string, batchSize: number): string =>
  JSON.stringify({
    requestContext: { requestId: "c9b8fa9f-5a7f-4b1c-af9c-0c604cde93a5", functionArn: "arn:aws:lambda:eu-west-1:123456789012:function:log-monitor-dev-log-processor", condition: "RetryAttemptsExhausted", approximateInvokeCount: 4 },
    responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
    version: "1.0",
    timestamp: "2026-12-02T08:00:06.021Z",
    KinesisBatchInfo: {
      shardId: "shardId-000000000000",
      startSequenceNumber: start,
      endSequenceNumber: end,
      approximateArrivalOfFirstRecord: "2026-12-02T08:00:04.835Z",
      approximateArrivalOfLastRecord: "2026-12-02T08:00:05.580Z",
      batchSize,
      streamArn,
    },
  });

describe("redrive of a failed Kinesis batch", () => {
  let kinesis: LocalKinesis;
  let dynamo: LocalDynamoDb;
  let client: DynamoDBClient;
  let fauxqs: LocalFauxqs;
  let sqs: SQSClient;
  let streamArn: string;
  const sequences: string[] = [];
  let table = 0;
  let queues = 0;

  /** A fresh dead-letter queue in fauxqs holding the on-failure record, as Lambda sends it there. */
  const deadLetterQueue = async (body: string) => {
    const name = `log-monitor-test-kinesis-dlq-${++queues}`;
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
    const queue = await sqsDeadLetterQueue(sqs, name);
    /** Messages the queue holds, visible or not. */
    const held = async () => {
      const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }));
      return Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
    };
    return { queue, held };
  };

  beforeAll(async () => {
    [kinesis, dynamo, fauxqs] = await Promise.all([startLocalKinesis("eu-west-1"), startDynalite(), startFauxqs()]);
    sqs = new SQSClient({ endpoint: fauxqs.endpoint, region: "eu-west-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
    client = localDynamoDbClient(dynamo.endpoint);
    streamArn = await createStream(kinesis, "log-monitor-dev-logs");
    // Five deliveries, one error line each, as CloudWatch Logs puts them (gzip-compressed DATA_MESSAGE).
    for (let n = 0; n < 5; n++) {
      // Each delivery's event has its own id (CloudWatch Logs event ids are unique), hence its own incident.
      const events = logEvents([`ERROR order ${"abcde"[n]} could not be saved`], 1_764_662_400_000 + n * 1000).map((e) => ({ ...e, id: `${e.id.slice(0, -1)}${n}` }));
      const payload = dataMessage(events);
      sequences.push(await putRecord(kinesis, "log-monitor-dev-logs", gzipSync(Buffer.from(JSON.stringify(payload))), "orders"));
    }
  });
  afterAll(async () => {
    client.destroy();
    sqs.destroy();
    await Promise.all([kinesis.stop(), dynamo.stop(), fauxqs.stop()]);
  });

  /** The processor's Kinesis code in-process against a fresh incidents table; `fail` names records it reports failed. */
  const processor = async (fail: (sequence: string) => boolean = () => false): Promise<ProcessorInvoker & { tableName: string }> => {
    const tableName = `redrive-incidents-${++table}`;
    await createIncidentsTable(client, tableName);
    return {
      tableName,
      async invoke(payload) {
        const response = await processKinesisBatch(JSON.parse(payload), {
          store: new DynamoDbIncidentStore(client, { tableName }),
          ttlDays: 30,
          log: () => undefined,
        });
        const failures = [
          ...response.batchItemFailures,
          ...(JSON.parse(payload) as { Records: { kinesis: { sequenceNumber: string } }[] }).Records.filter((r) => fail(r.kinesis.sequenceNumber)).map((r) => ({
            itemIdentifier: r.kinesis.sequenceNumber,
          })),
        ];
        return partialBatchFailure(JSON.stringify({ batchItemFailures: failures }));
      },
    };
  };

  it("reads the batch's records back from the stream, replays exactly them, and deletes the message", async () => {
    const { queue, held } = await deadLetterQueue(onFailureRecord(streamArn, sequences[1] as string, sequences[3] as string, 3));
    const invoker = await processor();

    const summary = await redrive(queue, invoker, { kinesis: kinesisBatchReader(kinesis.client) });

    expect(summary).toMatchObject({ redriven: 1, failed: 0 });
    expect(await held()).toBe(0); // deleted
    const stored = await readAllIncidents(client, invoker.tableName);
    expect(stored.map((item) => item.message).sort()).toEqual(["ERROR order b could not be saved", "ERROR order c could not be saved", "ERROR order d could not be saved"]);
  });

  it("keeps the message when a replayed record fails again (the processor's batchItemFailures)", async () => {
    const { queue, held } = await deadLetterQueue(onFailureRecord(streamArn, sequences[0] as string, sequences[4] as string, 5));
    const invoker = await processor((sequence) => sequence === sequences[2]);

    const summary = await redrive(queue, invoker, { kinesis: kinesisBatchReader(kinesis.client) });

    expect(summary).toMatchObject({ redriven: 0, failed: 1 });
    expect(await held()).toBe(1); // kept
    expect(summary.outcomes[0]).toMatchObject({ kind: "failed", error: `1 record(s) of the batch failed again (${sequences[2]})` });
  });

  it("keeps, with one clear reason, a batch whose first record is no longer in the stream", async () => {
    const gone = (BigInt(sequences[0] as string) - 1n).toString();
    const { queue } = await deadLetterQueue(onFailureRecord(streamArn, gone, sequences[1] as string, 2));
    const invoker = await processor();

    const summary = await redrive(queue, invoker, { kinesis: kinesisBatchReader(kinesis.client) });

    expect(summary).toMatchObject({ redriven: 0, failed: 1 });
    expect(summary.outcomes[0]).toMatchObject({ kind: "failed" });
    expect((summary.outcomes[0] as { error: string }).error).toMatch(/^KinesisBatchUnavailableError: Kinesis batch shardId-000000000000 \d+\.\.\d+ of arn:aws:kinesis:[a-z0-9-]+:\d{12}:stream\/log-monitor-dev-logs cannot be replayed: /);
  });

  it("tells a batch description from a direct delivery's event", () => {
    expect(kinesisBatchInfoOf(onFailureRecord(streamArn, "1", "2", 2))).toMatchObject({ shardId: "shardId-000000000000", startSequenceNumber: "1", endSequenceNumber: "2", streamArn });
    expect(kinesisBatchInfoOf('{"awslogs":{"data":"H4sI"}}')).toBeUndefined();
    expect(kinesisBatchInfoOf("not json")).toBeUndefined();
    expect(kinesisBatchInfoOf(JSON.stringify({ KinesisBatchInfo: { shardId: "s", startSequenceNumber: "x", endSequenceNumber: "2", streamArn } }))).toBeUndefined();
  });

  it("counts a successful invocation that reports failed records as a failure, and one without as a success", () => {
    expect(partialBatchFailure('{"batchItemFailures":[]}')).toBeUndefined();
    expect(partialBatchFailure('{"processed":3}')).toBeUndefined();
    expect(partialBatchFailure('{"batchItemFailures":[{"itemIdentifier":"49590"}]}')).toBe("1 record(s) of the batch failed again (49590)");
  });
});
