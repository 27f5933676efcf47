/**
 * One repeating failure at full speed: deliveries whose every line is the same failure (one fingerprint; numbers and
 * ids vary, as they do in production) go through the processor's real code (`processDelivery` with the
 * `DynamoDbIncidentStore` the Lambda uses, real-time alerts off) into dynalite, one delivery after another, as one
 * function instance would. What is measured is the incidents written per second, and how those writes fall on the
 * `by-fingerprint` index's partitions: every incident of the failure goes to one of its shards (`<fingerprint>#<n>`),
 * where before sharding all of them went to one partition. dynalite enforces no partition limit, so the limit is
 * compared, not reproduced: DynamoDB takes at most 1,000 write units a second per partition.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { gzipSync } from "node:zlib";
import { decodeLogsEvent } from "../../handlers/log-processor/decode";
import { buildIncidents } from "../../handlers/log-processor/incident";
import { itemSizeBytes, toIncidentItem } from "../../handlers/log-processor/incident-item";
import { FINGERPRINT_SHARD_COUNT, fingerprintShardOf } from "../../handlers/log-processor/incident-schema";
import { DynamoDbIncidentStore } from "../../handlers/log-processor/incident-store";
import { processDelivery } from "../../handlers/log-processor/process-delivery";
import { median, timeMs } from "./stats";
import { withBenchTables } from "./throughput";

/** The measured rate of one hot failure and its spread over the index's partitions. */
export interface HotFailureResult {
  /** Deliveries per run, and error events (incidents) per delivery. */
  readonly deliveries: number;
  readonly eventsPerDelivery: number;
  /** Median milliseconds to process every delivery of a run. */
  readonly medianMs: number;
  /** Incidents of the one failure written per second (median run): all of them index writes of one fingerprint. */
  readonly incidentsPerSecond: number;
  /** Shards of the fingerprint in the index, and the incidents of a run on the fullest and the emptiest. */
  readonly shards: number;
  readonly fullestShardIncidents: number;
  readonly emptiestShardIncidents: number;
  /** Index writes per second on the fullest partition: sharded (now), and unsharded (every write on one partition). */
  readonly fullestPartitionWritesPerSecond: number;
  readonly unshardedPartitionWritesPerSecond: number;
  /** Item sizes as DynamoDB counts them (incident-item.ts itemSizeBytes): one write unit per started KB. */
  readonly meanItemBytes: number;
  readonly maxItemBytes: number;
}

let runCounter = 0;

/** `deliveries` deliveries of `eventsPerDelivery` lines of one failure, each delivery its own log stream. */
export function hotFailureDeliveries(deliveries: number, eventsPerDelivery: number): { awslogs: { data: string } }[] {
  const t0 = Date.UTC(2024, 4, 1, 12, 0, 0, 0);
  return Array.from({ length: deliveries }, (_, delivery) => {
    const logEvents = Array.from({ length: eventsPerDelivery }, (_, index) => {
      const n = delivery * eventsPerDelivery + index;
      const at = new Date(t0 + n).toISOString();
      return {
        id: `38${String(n).padStart(54, "0")}`,
        timestamp: t0 + n,
        message: `${at}\t8f2c1a9e-4b7d-4c2e-9a51-3d0f6b2c7e10\tERROR\tupstream timeout after ${2000 + (n % 2000)} ms calling https://payments.example.com/v1/charges/ch_${n}\n`,
      };
    });
    const payload = {
      messageType: "DATA_MESSAGE",
      owner: "123456789012",
      logGroup: "/aws/lambda/checkout",
      logStream: `2024/05/01/[$LATEST]${delivery.toString(16).padStart(32, "0")}`,
      subscriptionFilters: ["log-monitor-bench-log-processor"],
      logEvents,
    };
    return { awslogs: { data: gzipSync(Buffer.from(JSON.stringify(payload), "utf8")).toString("base64") } };
  });
}

/**
 * Processes the deliveries `runs` times (after one untimed warm-up), each run into a fresh table, and returns the
 * median rate with the spread of one run's incidents over the fingerprint's shards.
 * @throws Error when the deliveries are not one failure, or when the processor wrote fewer incidents than lines.
 */
export async function measureHotFailure(
  client: DynamoDBClient,
  options: { readonly deliveries: number; readonly eventsPerDelivery: number; readonly runs: number },
): Promise<HotFailureResult> {
  const deliveries = hotFailureDeliveries(options.deliveries, options.eventsPerDelivery);
  const incidents = deliveries.flatMap((event) => buildIncidents(decodeLogsEvent(event), { ttlDays: 30 }));
  const fingerprints = new Set(incidents.map((incident) => incident.fingerprint));
  if (fingerprints.size !== 1) throw new Error(`the hot failure's lines make ${fingerprints.size} fingerprints, not one`);

  const once = async (): Promise<number> => {
    const tableName = `bench-hot-failure-${++runCounter}`;
    const store = new DynamoDbIncidentStore(client, { tableName });
    return withBenchTables(client, { incidents: tableName }, () =>
      timeMs(async () => {
        for (const event of deliveries) {
          const summary = await processDelivery(event, { store, ttlDays: 30, log: () => undefined });
          if (summary.incidents_created !== options.eventsPerDelivery) {
            throw new Error(`processor wrote ${summary.incidents_created} of ${options.eventsPerDelivery} incidents`);
          }
        }
      }),
    );
  };
  await once();
  const times: number[] = [];
  for (let run = 0; run < options.runs; run++) times.push(await once());
  const medianMs = median(times);

  const perShard = new Array<number>(FINGERPRINT_SHARD_COUNT).fill(0);
  for (const incident of incidents) perShard[fingerprintShardOf(incident.incidentId)] = (perShard[fingerprintShardOf(incident.incidentId)] as number) + 1;
  const sizes = incidents.map((incident) => itemSizeBytes(toIncidentItem(incident)));
  const incidentsPerSecond = incidents.length / (medianMs / 1000);
  const fullest = Math.max(...perShard);
  return {
    deliveries: options.deliveries,
    eventsPerDelivery: options.eventsPerDelivery,
    medianMs,
    incidentsPerSecond,
    shards: FINGERPRINT_SHARD_COUNT,
    fullestShardIncidents: fullest,
    emptiestShardIncidents: Math.min(...perShard),
    fullestPartitionWritesPerSecond: incidentsPerSecond * (fullest / incidents.length),
    unshardedPartitionWritesPerSecond: incidentsPerSecond,
    meanItemBytes: sizes.reduce((sum, size) => sum + size, 0) / sizes.length,
    maxItemBytes: Math.max(...sizes),
  };
}
