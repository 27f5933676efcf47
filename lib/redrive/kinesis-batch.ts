/**
 * Redrive for the Kinesis transport. When the event source mapping gives up on a batch (3 retries), Lambda's
 * on-failure destination (the dead-letter queue) receives a description of the batch, not its records (Lambda
 * Developer Guide, "Retain discarded batch records for a Kinesis Data Streams event source in Lambda", example
 * invocation record):
 *
 * ```json
 * { "requestContext": { "condition": "RetryAttemptsExhausted", ... }, "version": "1.0", "timestamp": "...",
 *   "KinesisBatchInfo": { "shardId": "shardId-000000000001", "startSequenceNumber": "4960...", "endSequenceNumber":
 *   "4960...", "approximateArrivalOfFirstRecord": "...", "approximateArrivalOfLastRecord": "...", "batchSize": 500,
 *   "streamArn": "arn:aws:kinesis:us-east-2:123456789012:stream/mystream" } }
 * ```
 *
 * The records stay in the stream for its retention (24 hours here), so redrive reads them back
 * (`GetShardIterator` AT_SEQUENCE_NUMBER, then `GetRecords` until past the end sequence number) and invokes the
 * processor with the event the mapping would have sent. A batch whose first record is no longer in the stream is
 * reported and kept: it cannot be replayed.
 */
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, type _Record as KinesisRecord } from "@aws-sdk/client-kinesis";
import { eventSourceMappingBatches } from "../kinesis/event-source-mapping";
import { jsonProperty } from "./json-property";

/** What the on-failure record says of the batch. */
export interface KinesisBatchInfo {
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
  readonly batchSize: number;
  readonly streamArn: string;
}

/** The batch description of an on-failure record, or undefined for any other message (a direct delivery's event). */
export function kinesisBatchInfoOf(body: string): KinesisBatchInfo | undefined {
  const info = jsonProperty(body, "KinesisBatchInfo");
  if (info === undefined || info === null || typeof info !== "object") return undefined;
  const { shardId, startSequenceNumber, endSequenceNumber, batchSize, streamArn } = info as Record<string, unknown>;
  if (typeof shardId !== "string" || typeof startSequenceNumber !== "string" || typeof endSequenceNumber !== "string" || typeof streamArn !== "string") {
    return undefined;
  }
  if (!/^\d+$/.test(startSequenceNumber) || !/^\d+$/.test(endSequenceNumber)) return undefined;
  return { shardId, startSequenceNumber, endSequenceNumber, batchSize: typeof batchSize === "number" ? batchSize : 0, streamArn };
}

/** The batch cannot be read back: its records left the stream, or the stream is gone. */
export class KinesisBatchUnavailableError extends Error {
  constructor(info: KinesisBatchInfo, reason: string) {
    super(`Kinesis batch ${info.shardId} ${info.startSequenceNumber}..${info.endSequenceNumber} of ${info.streamArn} cannot be replayed: ${reason}`);
    this.name = "KinesisBatchUnavailableError";
  }
}

/** Reads a batch's records back from its stream. */
export interface KinesisBatchReader {
  read(info: KinesisBatchInfo): Promise<KinesisRecord[]>;
}

/** GetRecords calls one batch may take at most (each returns up to 10,000 records). */
const MAX_PAGES = 100;

/** Reads the records from `startSequenceNumber` to `endSequenceNumber`, both included, from the stream. */
export function kinesisBatchReader(client: Pick<KinesisClient, "send">): KinesisBatchReader {
  return {
    async read(info) {
      const streamName = streamNameOf(info.streamArn);
      const start = BigInt(info.startSequenceNumber);
      const end = BigInt(info.endSequenceNumber);
      let iterator: string | undefined;
      try {
        ({ ShardIterator: iterator } = await client.send(
          new GetShardIteratorCommand({
            StreamName: streamName,
            ShardId: info.shardId,
            ShardIteratorType: "AT_SEQUENCE_NUMBER",
            StartingSequenceNumber: info.startSequenceNumber,
          }),
        ));
      } catch (error) {
        const { name, message } = error as Error;
        throw new KinesisBatchUnavailableError(info, `${name}: ${message}`);
      }
      const records: KinesisRecord[] = [];
      for (let page = 0; page < MAX_PAGES && iterator !== undefined; page++) {
        const output = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
        const fresh = output.Records ?? [];
        for (const record of fresh) {
          const sequence = BigInt(record.SequenceNumber ?? "0");
          if (sequence > end) return checked(info, records, start);
          if (sequence >= start) records.push(record);
        }
        // Caught up with the shard's newest record: nothing past the end is coming.
        if (fresh.length === 0 && (output.MillisBehindLatest ?? 0) === 0) break;
        iterator = output.NextShardIterator;
      }
      return checked(info, records, start);
    },
  };
}

/** The first record must be the batch's first: otherwise it was trimmed (older than the stream's retention). */
function checked(info: KinesisBatchInfo, records: KinesisRecord[], start: bigint): KinesisRecord[] {
  const first = records[0];
  if (first === undefined || BigInt(first.SequenceNumber ?? "0") !== start) {
    throw new KinesisBatchUnavailableError(info, "its first record is no longer in the stream (older than the stream's retention)");
  }
  return records;
}

/** `arn:<partition>:kinesis:<region>:<account>:stream/<name>` → `<name>`. */
function streamNameOf(streamArn: string): string {
  const match = /:stream\/([^/]+)$/.exec(streamArn);
  if (match === null) throw new Error(`${JSON.stringify(streamArn)} is not a Kinesis stream ARN`);
  return match[1] as string;
}

/** The event the event source mapping would have sent for the batch (one event, every record of it). */
export function kinesisReplayEvent(info: KinesisBatchInfo, records: readonly KinesisRecord[], roleArn: string): string {
  const region = info.streamArn.split(":")[3] ?? "";
  const [event] = eventSourceMappingBatches(records, Math.max(1, records.length), { streamArn: info.streamArn, region, shardId: info.shardId, roleArn });
  return JSON.stringify(event ?? { Records: [] });
}
