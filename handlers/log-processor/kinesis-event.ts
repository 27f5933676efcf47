/**
 * The Kinesis transport (`LOG_MONITOR_TRANSPORT=kinesis`): CloudWatch Logs puts each subscription delivery into the
 * stream as one record (the same gzip-compressed JSON it sends a function as `awslogs.data`), and Lambda's event
 * source mapping invokes the processor with a batch of records. Each record is processed as one delivery, with the
 * same poison isolation; the records that could not be fully processed are reported back by sequence number
 * (`ReportBatchItemFailures`), so the others are checkpointed.
 *
 * Event format: Lambda Developer Guide, "Using AWS Lambda with Amazon Kinesis", example event
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html): `Records[].kinesis.{data (base64),
 * sequenceNumber, partitionKey, ...}`, `eventID` = `shardId-...:<sequence number>`, `eventSource` = `aws:kinesis`.
 * Response: "Configuring partial batch response with Kinesis Data Streams and Lambda"
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html):
 * `{"batchItemFailures":[{"itemIdentifier":"<SequenceNumber>"}]}`; an empty list is complete success; an empty or
 * null `itemIdentifier` fails the whole batch; with several, Lambda checkpoints at the lowest and retries from it.
 */
import { DeliveryResult, DeliverySummary, processDeliveries, ProcessDeliveryDependencies } from "./process-delivery";

/** One record of a Kinesis event, as the event source mapping delivers it (the fields the processor reads). */
export interface KinesisEventRecord {
  readonly eventSource: "aws:kinesis";
  /** `shardId-<n>:<sequence number>`. */
  readonly eventID: string;
  readonly kinesis: {
    /** Base64 of the record's data: for a CloudWatch Logs subscription, gzip of the delivery's JSON. */
    readonly data: string;
    /** The record's sequence number in its shard: what a batch item failure names. */
    readonly sequenceNumber: string;
    readonly partitionKey: string;
  };
}

/** A batch from the Kinesis event source mapping. */
export interface KinesisStreamEvent {
  readonly Records: readonly KinesisEventRecord[];
}

/** One record to retry, by sequence number. */
export interface BatchItemFailure {
  readonly itemIdentifier: string;
}

/** What the processor returns to the event source mapping (`FunctionResponseTypes: ["ReportBatchItemFailures"]`). */
export interface KinesisBatchResponse {
  readonly batchItemFailures: BatchItemFailure[];
}

/**
 * A Kinesis event whose shape does not allow per-record reporting (a record without a sequence number): the whole
 * batch must fail, so that Lambda bisects and retries it, then sends its description to the on-failure destination.
 */
export class MalformedKinesisEventError extends Error {
  constructor(problem: string) {
    super(`Malformed Kinesis event: ${problem}`);
    this.name = "MalformedKinesisEventError";
  }
}

/** True when the event comes from a Kinesis event source mapping (rather than a direct CloudWatch Logs invocation). */
export function isKinesisStreamEvent(event: unknown): boolean {
  if (typeof event !== "object" || event === null || !("Records" in event)) return false;
  const records = (event as { Records: unknown }).Records;
  return Array.isArray(records) && records.some((record) => isObject(record) && record.eventSource === "aws:kinesis");
}

/**
 * Processes every record of a Kinesis batch as one CloudWatch Logs delivery, all together (processDeliveries): the
 * batch's incidents are written together, and its failures alerted together, so that storm control (the per-invocation
 * alert limit and one digest) holds for the batch as it does for one direct delivery. Each record is isolated: a
 * malformed record, or one whose incidents could not all be stored or alerted, is reported in `batchItemFailures`
 * (after whatever could be stored and alerted was), and the others succeed.
 *
 * @throws MalformedKinesisEventError when a record carries no sequence number to report it by (Lambda then treats
 *   the whole batch as failed, which is the only safe answer).
 */
export async function processKinesisBatch(event: unknown, dependencies: ProcessDeliveryDependencies): Promise<KinesisBatchResponse> {
  const records = checkRecords(event);
  const now = dependencies.now ?? Date.now;
  const { deadline } = dependencies;
  const late = deadline !== undefined && now() >= deadline.stopStartingAtMs;
  const startable = late ? [] : records.filter((record) => record.data !== undefined);
  const { results, alerts } = await processDeliveries(
    startable.map((record) => ({ awslogs: { data: record.data } })),
    dependencies,
  );
  const resultOf = new Map(startable.map((record, index) => [record.sequenceNumber, results[index] as DeliveryResult]));

  const batchItemFailures: BatchItemFailure[] = [];
  const totals = { records: records.length, failed: 0, processed: 0, incidents_created: 0, alerts_published: alerts.published, alerts_digested: alerts.digested };
  for (const record of records) {
    const result = resultOf.get(record.sequenceNumber);
    if (result?.ok === true) {
      totals.processed += result.processed;
      totals.incidents_created += result.incidents;
      continue;
    }
    const reason =
      result !== undefined ? result.error.message : late ? "not started: the invocation's deadline is near" : "the record has no kinesis.data string";
    totals.failed += 1;
    batchItemFailures.push({ itemIdentifier: record.sequenceNumber });
    // One line per failed record, naming it, so the record can be found in the stream (or in the on-failure
    // destination's batch description) and understood without re-running the decoder.
    dependencies.log(JSON.stringify({ summary: "kinesis record failed", sequence_number: record.sequenceNumber, error: reason }));
  }
  dependencies.log(JSON.stringify({ summary: "kinesis batch processed", ...totals }));
  return { batchItemFailures };
}

/** The per-record totals a summary of a Kinesis batch adds up (exported for the bench). */
export type RecordSummary = DeliverySummary;

interface CheckedRecord {
  readonly sequenceNumber: string;
  readonly data: string | undefined;
}

function checkRecords(event: unknown): CheckedRecord[] {
  if (!isObject(event) || !Array.isArray(event.Records)) {
    throw new MalformedKinesisEventError('expected {"Records":[{"kinesis":{"data","sequenceNumber"},...}]}');
  }
  return event.Records.map((record: unknown, index: number) => {
    const kinesis = isObject(record) ? record.kinesis : undefined;
    const sequenceNumber = isObject(kinesis) ? kinesis.sequenceNumber : undefined;
    if (typeof sequenceNumber !== "string" || sequenceNumber === "") {
      throw new MalformedKinesisEventError(`Records[${index}].kinesis.sequenceNumber is missing or not a non-empty string`);
    }
    const data = isObject(kinesis) && typeof kinesis.data === "string" ? kinesis.data : undefined;
    return { sequenceNumber, data };
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
