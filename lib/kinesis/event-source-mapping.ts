/**
 * The event Lambda's Kinesis event source mapping invokes a function with, built from records as the SDK's GetRecords
 * returns them. Used by the simulator and the bench (records read from kinesalite) and by `npm run redrive` (a failed
 * batch read back from the stream).
 */
import type { _Record as KinesisRecord } from "@aws-sdk/client-kinesis";
import type { KinesisStreamEvent } from "../../handlers/log-processor/kinesis-event";

/** Where the simulated event source mapping reads from, for the event's `eventSourceARN`, `awsRegion` and role. */
export interface EventSourceMappingSource {
  readonly streamArn: string;
  readonly region: string;
  readonly shardId: string;
  /** The processor's execution role, which Lambda uses to read the stream (`invokeIdentityArn`). */
  readonly roleArn: string;
}

/**
 * Splits a shard's records into the events Lambda's event source mapping would invoke the function with, at most
 * `batchSize` records each, in the documented format (Lambda Developer Guide, "Using AWS Lambda with Amazon Kinesis",
 * example event): `kinesis.data` the record's bytes in base64, `approximateArrivalTimestamp` in epoch seconds,
 * `eventID` = `<shardId>:<sequence number>`.
 */
export function eventSourceMappingBatches(records: readonly KinesisRecord[], batchSize: number, source: EventSourceMappingSource): KinesisStreamEvent[] {
  const events: KinesisStreamEvent[] = [];
  for (let start = 0; start < records.length; start += batchSize) {
    events.push({
      Records: records.slice(start, start + batchSize).map((record) => ({
        kinesis: {
          kinesisSchemaVersion: "1.0",
          partitionKey: record.PartitionKey ?? "",
          sequenceNumber: record.SequenceNumber ?? "",
          data: Buffer.from(record.Data ?? new Uint8Array()).toString("base64"),
          approximateArrivalTimestamp: (record.ApproximateArrivalTimestamp?.getTime() ?? 0) / 1000,
        },
        eventSource: "aws:kinesis",
        eventVersion: "1.0",
        eventID: `${source.shardId}:${record.SequenceNumber}`,
        eventName: "aws:kinesis:record",
        invokeIdentityArn: source.roleArn,
        awsRegion: source.region,
        eventSourceARN: source.streamArn,
      })),
    });
  }
  return events;
}
