/**
 * Kinesis Data Streams on this machine: kinesalite (an implementation of the Kinesis API, from npm) in memory, a
 * minimal client of its JSON protocol, and a reader that turns what GetRecords returns into the event Lambda's event
 * source mapping sends a function. Shared by the tests and the bench, so both exercise the same path.
 *
 * kinesalite keeps streams in LevelDB when given a path (through the native `leveldown`, whose prebuilt linux-x64
 * binary loads here); with no path it uses its in-memory store, which is what this helper starts.
 */
import type { Server } from "node:http";
import { listenOnLoopback } from "../local-aws/loopback";
import type { KinesisStreamEvent } from "../../handlers/log-processor/kinesis-event";

/** A record as GetRecords returns it (JSON protocol: `Data` is base64, the arrival time in epoch seconds). */
export interface KinesisRecord {
  readonly SequenceNumber: string;
  readonly PartitionKey: string;
  readonly Data: string;
  readonly ApproximateArrivalTimestamp: number;
}

/** A running kinesalite with one stream. */
export interface LocalKinesis {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** Calls one Kinesis API operation (`PutRecord`, `GetRecords`, ...) with a JSON body; throws on an error reply. */
  call<T = Record<string, unknown>>(operation: string, body: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

/** An error reply of the Kinesis API (its `__type` and message). */
export class KinesisApiError extends Error {
  constructor(
    readonly operation: string,
    readonly type: string,
    detail: string,
  ) {
    super(`Kinesis ${operation} failed: ${type}: ${detail}`);
    this.name = "KinesisApiError";
  }
}

type KinesaliteFactory = (options: { createStreamMs: number; deleteStreamMs: number; updateStreamMs: number; shardLimit: number }) => Server;

/** Starts kinesalite (in memory) on a free port of 127.0.0.1. */
export async function startLocalKinesis(): Promise<LocalKinesis> {
  // kinesalite ships no type declarations.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const kinesalite = require("kinesalite") as KinesaliteFactory;
  const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 100 });
  const { endpoint, stop } = await listenOnLoopback(server);
  const call = async <T>(operation: string, body: Record<string, unknown>): Promise<T> => {
    const response = await fetch(`${endpoint}/`, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": `Kinesis_20131202.${operation}`,
        // kinesalite checks that a request is signed, not the signature: AWS's documentation example key.
        Authorization: "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240501/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=0",
        "X-Amz-Date": "20240501T000000Z",
      },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    const parsed = text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
    if (!response.ok) throw new KinesisApiError(operation, String(parsed.__type ?? response.status), String(parsed.message ?? text));
    return parsed as T;
  };
  return {
    endpoint,
    call,
    stop,
  };
}

/** Creates a stream and waits until it is ACTIVE; returns its ARN. */
export async function createStream(kinesis: LocalKinesis, streamName: string, shardCount = 1): Promise<string> {
  await kinesis.call("CreateStream", { StreamName: streamName, ShardCount: shardCount });
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const { StreamDescription } = await kinesis.call<{ StreamDescription: { StreamStatus: string; StreamARN: string } }>("DescribeStream", {
      StreamName: streamName,
    });
    if (StreamDescription.StreamStatus === "ACTIVE") return StreamDescription.StreamARN;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`stream ${streamName} did not become ACTIVE`);
}

/** Puts one record, as CloudWatch Logs does for one delivery (`kinesis:PutRecord`); returns its sequence number. */
export async function putRecord(kinesis: LocalKinesis, streamName: string, data: Buffer, partitionKey: string): Promise<string> {
  const { SequenceNumber } = await kinesis.call<{ SequenceNumber: string }>("PutRecord", {
    StreamName: streamName,
    Data: data.toString("base64"),
    PartitionKey: partitionKey,
  });
  return SequenceNumber;
}

/** Reads every record of one shard from its start (TRIM_HORIZON), following NextShardIterator until it is drained. */
export async function readShard(kinesis: LocalKinesis, streamName: string, shardId = "shardId-000000000000"): Promise<KinesisRecord[]> {
  let { ShardIterator: iterator } = await kinesis.call<{ ShardIterator: string }>("GetShardIterator", {
    StreamName: streamName,
    ShardId: shardId,
    ShardIteratorType: "TRIM_HORIZON",
  });
  const records: KinesisRecord[] = [];
  for (;;) {
    const page = await kinesis.call<{ Records: KinesisRecord[]; NextShardIterator: string; MillisBehindLatest?: number }>("GetRecords", {
      ShardIterator: iterator,
      Limit: 10_000,
    });
    records.push(...page.Records);
    if (page.Records.length === 0) return records;
    iterator = page.NextShardIterator;
  }
}

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
 * example event): `kinesis.data` base64 as read, `eventID` = `<shardId>:<sequence number>`.
 */
export function eventSourceMappingBatches(records: readonly KinesisRecord[], batchSize: number, source: EventSourceMappingSource): KinesisStreamEvent[] {
  const events: KinesisStreamEvent[] = [];
  for (let start = 0; start < records.length; start += batchSize) {
    events.push({
      Records: records.slice(start, start + batchSize).map((record) => ({
        kinesis: {
          kinesisSchemaVersion: "1.0",
          partitionKey: record.PartitionKey,
          sequenceNumber: record.SequenceNumber,
          data: record.Data,
          approximateArrivalTimestamp: record.ApproximateArrivalTimestamp,
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
