import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { SNSClient } from "@aws-sdk/client-sns";
import { INCIDENT_INDEXES, INCIDENT_PARTITION_KEY } from "../../handlers/log-processor/incident-schema";
import { DynamoDbIncidentStore } from "../../handlers/log-processor/incident-store";
import { SUPPRESSION_PARTITION_KEY } from "../../handlers/log-processor/suppression-schema";
import { processDelivery } from "../../handlers/log-processor/process-delivery";
import { seedProcessDelivery } from "./seed-approach";
import { median, timeMs } from "./stats";
import { SyntheticDelivery } from "./synthetic-deliveries";

/** Median throughput of the processor and of the seed approach on one delivery. */
export interface ThroughputResult {
  readonly delivery: SyntheticDelivery;
  /** Median milliseconds per delivery, processor. */
  readonly processorMs: number;
  /** Median milliseconds per delivery, seed approach. */
  readonly seedMs: number;
  /** Log events per second, processor (all events of the delivery, not only errors). */
  readonly processorEventsPerSecond: number;
  /** Log events per second, seed approach. */
  readonly seedEventsPerSecond: number;
  /** processor / seed. */
  readonly ratio: number;
}

let tableCounter = 0;

/**
 * Runs the processor's real code (`processDelivery` with the `DynamoDbIncidentStore` the Lambda uses, real-time
 * alerts off) and the seed approach on the same delivery, `runs` times each into a fresh table, alternating which
 * goes first; returns the medians. One untimed run of each warms up the JIT and the connections.
 */
export async function compareThroughput(
  client: DynamoDBClient,
  delivery: SyntheticDelivery,
  runs: number,
): Promise<ThroughputResult> {
  const processor = async (tableName: string) => {
    const summary = await processDelivery(delivery.event, {
      store: new DynamoDbIncidentStore(client, { tableName }),
      ttlDays: 30,
      log: () => undefined,
    });
    if (summary.incidents_created !== delivery.errors)
      throw new Error(`processor wrote ${summary.incidents_created} of ${delivery.errors} incidents`);
  };
  const seed = async (tableName: string) => {
    const written = await seedProcessDelivery(delivery.event, client, tableName);
    if (written !== delivery.errors) throw new Error(`seed approach wrote ${written} of ${delivery.errors} incidents`);
  };

  const once = async (approach: (tableName: string) => Promise<void>): Promise<number> => {
    const tableName = `bench-incidents-${++tableCounter}`;
    return withBenchTables(client, { incidents: tableName }, () => timeMs(() => approach(tableName)));
  };

  await once(processor);
  await once(seed);
  const processorTimes: number[] = [];
  const seedTimes: number[] = [];
  for (let run = 0; run < runs; run++) {
    if (run % 2 === 0) {
      processorTimes.push(await once(processor));
      seedTimes.push(await once(seed));
    } else {
      seedTimes.push(await once(seed));
      processorTimes.push(await once(processor));
    }
  }
  const processorMs = median(processorTimes);
  const seedMs = median(seedTimes);
  return {
    delivery,
    processorMs,
    seedMs,
    processorEventsPerSecond: delivery.events / (processorMs / 1000),
    seedEventsPerSecond: delivery.events / (seedMs / 1000),
    ratio: seedMs / processorMs,
  };
}

/**
 * Creates the tables named, as the processing stack does (the incidents table, and the suppression table when one is
 * named), runs `use`, and deletes them whatever `use` did: every timed run of a bench starts from empty tables, and
 * the creating and deleting are not timed.
 */
export async function withBenchTables<T>(
  client: DynamoDBClient,
  tables: { readonly incidents: string; readonly suppression?: string },
  use: () => Promise<T>,
): Promise<T> {
  await client.send(new CreateTableCommand(incidentsTableInput(tables.incidents)));
  if (tables.suppression !== undefined) await client.send(new CreateTableCommand(suppressionTableInput(tables.suppression)));
  try {
    return await use();
  } finally {
    await client.send(new DeleteTableCommand({ TableName: tables.incidents }));
    if (tables.suppression !== undefined) await client.send(new DeleteTableCommand({ TableName: tables.suppression }));
  }
}

/** The alert-suppression table as the processing stack creates it (without TTL, which dynalite lacks). */
export function suppressionTableInput(tableName: string): ConstructorParameters<typeof CreateTableCommand>[0] {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: SUPPRESSION_PARTITION_KEY, AttributeType: "S" }],
    KeySchema: [{ AttributeName: SUPPRESSION_PARTITION_KEY, KeyType: "HASH" }],
  };
}

/** The incidents table as the processing stack creates it (without TTL, which dynalite lacks). */
export function incidentsTableInput(tableName: string): ConstructorParameters<typeof CreateTableCommand>[0] {
  const attributes = new Set<string>([
    INCIDENT_PARTITION_KEY,
    ...INCIDENT_INDEXES.flatMap((index) => [index.partitionKey, index.sortKey]),
  ]);
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: "S" })),
    KeySchema: [{ AttributeName: INCIDENT_PARTITION_KEY, KeyType: "HASH" }],
    GlobalSecondaryIndexes: INCIDENT_INDEXES.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: "HASH" },
        { AttributeName: index.sortKey, KeyType: "RANGE" },
      ],
      Projection: { ProjectionType: "ALL" },
    })),
  };
}

/**
 * Makes every request `client` (DynamoDB or SNS) sends wait `ms` first, as a network round trip to DynamoDB would (dynalite on
 * 127.0.0.1 answers in well under a millisecond of network time; DynamoDB in the same region in single-digit
 * milliseconds). Concurrent requests wait concurrently, as they would on a network.
 */
export function addSimulatedRoundTrip(client: Pick<DynamoDBClient, "middlewareStack"> | Pick<SNSClient, "middlewareStack">, ms: number): void {
  (client as Pick<DynamoDBClient, "middlewareStack">).middlewareStack.add(
    (next) => async (args) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return next(args);
    },
    { step: "finalizeRequest", name: "simulatedRoundTrip" },
  );
}
