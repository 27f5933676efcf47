/**
 * DynamoDB on this machine: dynalite (a DynamoDB-compatible server, in memory) with the tables a function needs,
 * created from their synthesized definitions. dynalite has no UpdateTimeToLive, so TTL is not enabled; it does
 * not matter for a run of minutes.
 */
import type { Server } from "node:http";
import { listenOnLoopback } from "../local-aws/loopback";
import { AttributeValue, CreateTableCommand, CreateTableCommandInput, DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import type { TableDefinition } from "./monitoring-chain";

/** Fake credentials for local servers (AWS's documentation example keys). */
export const LOCAL_CREDENTIALS = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
} as const;

/** A running dynalite. */
export interface LocalDynamoDb {
  /** `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL_DYNAMODB`. */
  readonly endpoint: string;
  /** A client of it, for the simulation's own reads. */
  readonly client: DynamoDBClient;
  stop(): Promise<void>;
}

/** The CreateTable request for a synthesized table: keys, attributes, global secondary indexes, on-demand. */
export function createTableInput(table: TableDefinition): CreateTableCommandInput {
  return {
    TableName: table.name,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: table.attributes.map((attribute) => ({ AttributeName: attribute.name, AttributeType: attribute.type as "S" | "N" | "B" })),
    KeySchema: [
      { AttributeName: table.hashKey, KeyType: "HASH" },
      ...(table.rangeKey === undefined ? [] : [{ AttributeName: table.rangeKey, KeyType: "RANGE" as const }]),
    ],
    ...(table.globalSecondaryIndexes.length === 0
      ? {}
      : {
          GlobalSecondaryIndexes: table.globalSecondaryIndexes.map((index) => ({
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.hashKey, KeyType: "HASH" as const },
              ...(index.rangeKey === undefined ? [] : [{ AttributeName: index.rangeKey, KeyType: "RANGE" as const }]),
            ],
            Projection: {
              ProjectionType: index.projectionType as "ALL" | "KEYS_ONLY" | "INCLUDE",
              ...(index.nonKeyAttributes === undefined ? {} : { NonKeyAttributes: [...index.nonKeyAttributes] }),
            },
          })),
        }),
  };
}

type DynaliteFactory = (options: { createTableMs: number; deleteTableMs: number; updateTableMs: number }) => Server;

/** Starts dynalite on a free port of 127.0.0.1 and creates the tables (ACTIVE at once). */
export async function startLocalDynamoDb(tables: readonly TableDefinition[], region: string): Promise<LocalDynamoDb> {
  // dynalite ships no type declarations.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dynalite = require("dynalite") as DynaliteFactory;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const { endpoint, stop: stopServer } = await listenOnLoopback(server);
  const client = new DynamoDBClient({ endpoint, region, credentials: LOCAL_CREDENTIALS });
  const stop = async (): Promise<void> => {
    client.destroy();
    await stopServer();
  };
  try {
    for (const table of tables) await client.send(new CreateTableCommand(createTableInput(table)));
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, client, stop };
}

/** Every item of a table, following Scan pages. */
export async function scanTable(client: DynamoDBClient, tableName: string): Promise<Record<string, AttributeValue>[]> {
  const items: Record<string, AttributeValue>[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
}
