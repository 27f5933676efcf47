import { BatchWriteItemCommand, DynamoDBClient, WriteRequest } from "@aws-sdk/client-dynamodb";
import { decodeLogsEvent } from "../../handlers/log-processor/decode";
import { buildIncidents } from "../../handlers/log-processor/incident";
import { toIncidentItem } from "../../handlers/log-processor/incident-item";
import { DynamoDbIncidentStore } from "../../handlers/log-processor/incident-store";
import { processDelivery } from "../../handlers/log-processor/process-delivery";
import { DynamoDbSuppressionStore } from "../../handlers/log-processor/suppression-store";
import { failureKeyOf } from "../../handlers/log-processor/suppression-schema";
import { median, timeMs } from "./stats";
import { SyntheticDelivery } from "./synthetic-deliveries";
import { withBenchTables } from "./throughput";

/** The processor with real-time alerts against bare BatchWriteItem calls of the same items, on one delivery. */
export interface AlertOverheadResult {
  /** Median milliseconds: decode, store and alert (claims, publish, confirms), as the Lambda does. */
  readonly processorMs: number;
  /** Median milliseconds: the same incident items in BatchWriteItem calls of 25, 4 in flight, nothing else. */
  readonly bareMs: number;
  /** processor / bare. */
  readonly ratio: number;
  /** Median CPU milliseconds of this process (the client and dynalite, which runs in it): processor, bare. */
  readonly processorCpuMs: number;
  readonly bareCpuMs: number;
  /** processorCpuMs / bareCpuMs: less moved by other jobs on the machine than the wall-time ratio. */
  readonly cpuRatio: number;
  /** Distinct failures in the delivery (each costs a claim and, when alerted, a confirmation). */
  readonly failures: number;
}

let tables = 0;

/**
 * Measures what the processor costs over the least any processor must do: write the delivery's incidents in batches
 * of 25. The processor runs with real-time alerts on (leases and windows in a suppression table on the same dynalite;
 * SNS is an in-process publisher that accepts at once, since the point is the DynamoDB work). Runs alternate which
 * goes first; one untimed run of each warms up.
 */
export async function measureAlertOverhead(client: DynamoDBClient, delivery: SyntheticDelivery, runs: number): Promise<AlertOverheadResult> {
  const payload = decodeLogsEvent(delivery.event);
  const incidents = buildIncidents(payload, { ttlDays: 30 });
  const items = incidents.map((incident) => toIncidentItem(incident));
  const failures = new Set(incidents.map((incident) => failureKeyOf(incident))).size;

  const processor = async (incidentsTable: string, suppressionTable: string): Promise<void> => {
    await processDelivery(delivery.event, {
      store: new DynamoDbIncidentStore(client, { tableName: incidentsTable }),
      ttlDays: 30,
      log: () => undefined,
      alerting: {
        suppression: new DynamoDbSuppressionStore(client, { tableName: suppressionTable, windowMinutes: 15 }),
        publisher: { publish: async () => undefined },
        windowMinutes: 15,
        region: "us-east-1",
        now: () => Date.now(),
      },
    });
  };
  const bare = async (incidentsTable: string): Promise<void> => {
    const batches: WriteRequest[][] = [];
    for (let start = 0; start < items.length; start += 25) batches.push(items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })));
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < batches.length) {
          const batch = batches[next++] as WriteRequest[];
          await client.send(new BatchWriteItemCommand({ RequestItems: { [incidentsTable]: batch } }));
        }
      }),
    );
  };
  const cpu = { processor: [] as number[], bare: [] as number[] };
  const once = async (which: "processor" | "bare"): Promise<number> => {
    const n = ++tables;
    const incidentsTable = `bench-overhead-incidents-${n}`;
    const suppressionTable = `bench-overhead-suppression-${n}`;
    return withBenchTables(client, { incidents: incidentsTable, suppression: suppressionTable }, async () => {
      const before = process.cpuUsage();
      const ms = await timeMs(() => (which === "processor" ? processor(incidentsTable, suppressionTable) : bare(incidentsTable)));
      const used = process.cpuUsage(before);
      cpu[which].push((used.user + used.system) / 1000);
      return ms;
    });
  };
  await once("processor");
  await once("bare");
  cpu.processor.length = 0;
  cpu.bare.length = 0;
  const processorTimes: number[] = [];
  const bareTimes: number[] = [];
  for (let run = 0; run < runs; run++) {
    if (run % 2 === 0) {
      processorTimes.push(await once("processor"));
      bareTimes.push(await once("bare"));
    } else {
      bareTimes.push(await once("bare"));
      processorTimes.push(await once("processor"));
    }
  }
  const processorMs = median(processorTimes);
  const bareMs = median(bareTimes);
  const processorCpuMs = median(cpu.processor);
  const bareCpuMs = median(cpu.bare);
  return { processorMs, bareMs, ratio: processorMs / bareMs, processorCpuMs, bareCpuMs, cpuRatio: processorCpuMs / bareCpuMs, failures };
}
