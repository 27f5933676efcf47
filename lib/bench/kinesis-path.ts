/**
 * The Kinesis transport under sustained load: deliveries are put into kinesalite as CloudWatch Logs puts them (one
 * gzip record each; the SDK's KinesisClient, see local-kinesis.ts), read back with GetRecords, cut into the event
 * source mapping's batches of the configured size and processed by the processor's real code (`processKinesisBatch` with the `DynamoDbIncidentStore` the Lambda
 * uses) against dynalite. What is timed is the reading and processing, as one event source mapping shard poller
 * would do it, sequentially: the rate one shard sustains.
 */
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DeleteStreamCommand } from "@aws-sdk/client-kinesis";
import { DynamoDbIncidentStore } from "../../handlers/log-processor/incident-store";
import { processKinesisBatch } from "../../handlers/log-processor/kinesis-event";
import { createStream, eventSourceMappingBatches, putRecord, readShard, startLocalKinesis } from "../simulate/local-kinesis";
import { median, timeMs } from "./stats";
import { syntheticDelivery } from "./synthetic-deliveries";
import { incidentsTableInput } from "./throughput";

/** The measured rate of the Kinesis path. */
export interface KinesisPathResult {
  /** Records (deliveries) put into the stream per run. */
  readonly records: number;
  /** Log events per record. */
  readonly eventsPerRecord: number;
  /** Error events per record (each an incident). */
  readonly errorsPerRecord: number;
  /** Records per invocation (the event source mapping's batch size). */
  readonly batchSize: number;
  /** Median milliseconds to read and process every record. */
  readonly medianMs: number;
  /** Log events per second, median run. */
  readonly eventsPerSecond: number;
  /** Incidents written per second, median run. */
  readonly incidentsPerSecond: number;
}

let streamCounter = 0;

/**
 * Puts `records` deliveries of `eventsPerRecord` events (10% errors) into a fresh stream per run and measures reading
 * and processing them in batches of `batchSize`; returns the median of `runs` runs, after one untimed warm-up.
 */
export async function measureKinesisPath(
  client: DynamoDBClient,
  options: { readonly records: number; readonly eventsPerRecord: number; readonly batchSize: number; readonly runs: number },
): Promise<KinesisPathResult> {
  const delivery = syntheticDelivery(`${options.eventsPerRecord} events, 10% errors`, options.eventsPerRecord, 0.1);
  const record = Buffer.from(delivery.event.awslogs.data, "base64");
  const kinesis = await startLocalKinesis();
  try {
    const once = async (): Promise<number> => {
      const streamName = `bench-logs-${++streamCounter}`;
      const tableName = `bench-kinesis-incidents-${streamCounter}`;
      const streamArn = await createStream(kinesis, streamName);
      await client.send(new CreateTableCommand(incidentsTableInput(tableName)));
      // Distinct log streams per record, so every record's incidents are distinct items (as distinct deliveries are).
      for (let index = 0; index < options.records; index++) await putRecord(kinesis, streamName, withLogStream(record, index), `stream-${index}`);
      const store = new DynamoDbIncidentStore(client, { tableName });
      try {
        return await timeMs(async () => {
          const records = await readShard(kinesis, streamName);
          const batches = eventSourceMappingBatches(records, options.batchSize, {
            streamArn,
            region: "us-east-1",
            shardId: "shardId-000000000000",
            roleArn: "arn:aws:iam::123456789012:role/log-monitor-bench-log-processor-us-east-1",
          });
          for (const batch of batches) {
            const response = await processKinesisBatch(batch, { store, ttlDays: 30, log: () => undefined });
            if (response.batchItemFailures.length > 0) throw new Error(`${response.batchItemFailures.length} records failed in the bench`);
          }
        });
      } finally {
        await client.send(new DeleteTableCommand({ TableName: tableName }));
        await kinesis.client.send(new DeleteStreamCommand({ StreamName: streamName }));
      }
    };
    await once();
    const times: number[] = [];
    for (let run = 0; run < options.runs; run++) times.push(await once());
    const medianMs = median(times);
    const events = options.records * delivery.events;
    return {
      records: options.records,
      eventsPerRecord: delivery.events,
      errorsPerRecord: delivery.errors,
      batchSize: options.batchSize,
      medianMs,
      eventsPerSecond: events / (medianMs / 1000),
      incidentsPerSecond: (options.records * delivery.errors) / (medianMs / 1000),
    };
  } finally {
    await kinesis.stop();
  }
}

/** The same delivery with another log stream name, so each record makes distinct incidents. */
function withLogStream(gzipped: Buffer, index: number): Buffer {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const zlib = require("node:zlib") as typeof import("node:zlib");
  const payload = JSON.parse(zlib.gunzipSync(gzipped).toString("utf8")) as Record<string, unknown>;
  return zlib.gzipSync(Buffer.from(JSON.stringify({ ...payload, logStream: `2024/05/01/[$LATEST]${index.toString(16).padStart(32, "0")}` }), "utf8"));
}

/** DynamoDB's write throughput of one partition, in write units per second (Developer Guide, "Partitions and data distribution"). */
export const PARTITION_WRITE_UNITS_PER_SECOND = 1000;

/** The hot-group write rate with and without sharding, from the partition limit (arithmetic, shown by the bench). */
export interface HotGroupArithmetic {
  readonly shards: number;
  /** Write units one incident costs in the by-log-group index (items up to 1 KB cost 1). */
  readonly writeUnitsPerIncident: number;
  readonly unshardedIncidentsPerSecond: number;
  readonly shardedIncidentsPerSecond: number;
}

/** One partition takes 1,000 WCU/s; an index partition per shard multiplies that by the shard count. */
export function hotGroupArithmetic(shards: number, itemBytes: number): HotGroupArithmetic {
  const writeUnitsPerIncident = Math.max(1, Math.ceil(itemBytes / 1024));
  const unsharded = PARTITION_WRITE_UNITS_PER_SECOND / writeUnitsPerIncident;
  return { shards, writeUnitsPerIncident, unshardedIncidentsPerSecond: unsharded, shardedIncidentsPerSecond: unsharded * shards };
}
