/**
 * Kinesis Data Streams on this machine: kinesalite (an implementation of the Kinesis API, from npm) in memory, driven
 * with the AWS SDK's `KinesisClient` (the same client a deployed tool would use), and a reader that turns what
 * GetRecords returns into the event Lambda's event source mapping sends a function. Shared by the tests, the
 * simulator and the bench, so all exercise the same path.
 *
 * The JavaScript SDK v3 speaks Kinesis's JSON 1.1 protocol (`application/x-amz-json-1.1`, `X-Amz-Target:
 * Kinesis_20131202.<operation>`), which kinesalite serves (it also serves CBOR, which other SDKs use for Kinesis). The
 * SDK signs every request with the fake credentials below; kinesalite checks that a request is signed, not the
 * signature. kinesalite is served over plain HTTP/1.1 on loopback (no TLS; the client's endpoint says `http://`).
 * The Kinesis client is the one SDK client whose default request handler is HTTP/2 (`NodeHttp2Handler`, for
 * SubscribeToShard's event stream); kinesalite's `http` server answers its preface with ERR_HTTP2_ERROR "Protocol
 * error", so the client here is given the HTTP/1.1 `NodeHttpHandler` every other SDK client uses. SubscribeToShard
 * is therefore not available locally (kinesalite does not implement it either).
 *
 * kinesalite keeps streams in LevelDB when given a path (through the native `leveldown`, whose prebuilt linux-x64
 * binary loads here); with no path it uses its in-memory store, which is what this helper starts.
 */
import type { Server } from "node:http";
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  PutRecordCommand,
  waitUntilStreamExists,
  type _Record as KinesisRecord,
} from "@aws-sdk/client-kinesis";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { listenOnLoopback } from "../local-aws/loopback";
import { LOCAL_CREDENTIALS } from "./local-dynamodb";

/** A record as the SDK's GetRecords returns it (`Data` as bytes, `ApproximateArrivalTimestamp` as a Date). */
export type { KinesisRecord };

/** A running kinesalite with one stream. */
export interface LocalKinesis {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** A client of it (JSON 1.1 over HTTP/1.1, fake credentials); `stop()` destroys it. */
  readonly client: KinesisClient;
  stop(): Promise<void>;
}

type KinesaliteFactory = (options: { createStreamMs: number; deleteStreamMs: number; updateStreamMs: number; shardLimit: number }) => Server;

/** Starts kinesalite (in memory) on a free port of 127.0.0.1, with a `KinesisClient` of it. */
export async function startLocalKinesis(region = "us-east-1"): Promise<LocalKinesis> {
  // kinesalite ships no type declarations.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const kinesalite = require("kinesalite") as KinesaliteFactory;
  const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 100 });
  const { endpoint, stop } = await listenOnLoopback(server);
  const client = new KinesisClient({ endpoint, region, credentials: LOCAL_CREDENTIALS, requestHandler: new NodeHttpHandler() });
  return {
    endpoint,
    client,
    stop: async () => {
      client.destroy();
      await stop();
    },
  };
}

/** Creates a stream and waits (the SDK's `StreamExists` waiter, polling every 10-100 ms) until it is ACTIVE; returns its ARN. */
export async function createStream(kinesis: LocalKinesis, streamName: string, shardCount = 1): Promise<string> {
  await kinesis.client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shardCount }));
  // kinesalite makes a stream ACTIVE after createStreamMs (0 here, one timer tick): poll fast, not at the AWS default of 10 s.
  const { reason } = await waitUntilStreamExists({ client: kinesis.client, minDelay: 0.01, maxDelay: 0.1, maxWaitTime: 5 }, { StreamName: streamName });
  const arn = (reason as { StreamDescription?: { StreamARN?: string } } | undefined)?.StreamDescription?.StreamARN;
  if (arn === undefined) throw new Error(`stream ${streamName} became ACTIVE but DescribeStream gave no StreamARN`);
  return arn;
}

/** Puts one record, as CloudWatch Logs does for one delivery (`kinesis:PutRecord`); returns its sequence number. */
export async function putRecord(kinesis: LocalKinesis, streamName: string, data: Uint8Array, partitionKey: string): Promise<string> {
  const { SequenceNumber } = await kinesis.client.send(new PutRecordCommand({ StreamName: streamName, Data: data, PartitionKey: partitionKey }));
  if (SequenceNumber === undefined) throw new Error(`PutRecord into ${streamName} returned no SequenceNumber`);
  return SequenceNumber;
}

/** Reads every record of one shard from its start (TRIM_HORIZON), following NextShardIterator until it is drained. */
export async function readShard(kinesis: LocalKinesis, streamName: string, shardId = "shardId-000000000000"): Promise<KinesisRecord[]> {
  let { ShardIterator: iterator } = await kinesis.client.send(
    new GetShardIteratorCommand({ StreamName: streamName, ShardId: shardId, ShardIteratorType: "TRIM_HORIZON" }),
  );
  const records: KinesisRecord[] = [];
  while (iterator !== undefined) {
    const page = await kinesis.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
    const fresh = page.Records ?? [];
    records.push(...fresh);
    if (fresh.length === 0) return records;
    iterator = page.NextShardIterator;
  }
  return records;
}

// The event Lambda's event source mapping sends, built from GetRecords's records: shared with `npm run redrive`.
export { eventSourceMappingBatches, type EventSourceMappingSource } from "../kinesis/event-source-mapping";
