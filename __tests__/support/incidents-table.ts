import {
  AttributeDefinition,
  AttributeValue,
  BatchWriteItemCommand,
  CreateTableCommand,
  DynamoDBClient,
  QueryCommand,
  ScanCommand,
} from "@aws-sdk/client-dynamodb";
import { Incident } from "../../handlers/log-processor/incident";
import { DynamoDbItem, fromIncidentItem } from "../../handlers/log-processor/incident-item";
import {
  BY_FINGERPRINT_INDEX,
  BY_LOG_GROUP_INDEX,
  fingerprintShardKeys,
  logGroupShardKeys,
  INCIDENT_INDEXES,
  INCIDENT_PARTITION_KEY,
  IncidentIndex,
} from "../../handlers/log-processor/incident-schema";

/**
 * Creates the incidents table exactly as incident-schema.ts describes it: the partition key, both global
 * secondary indexes, on-demand billing. (TTL cannot be enabled: dynalite has no UpdateTimeToLive.)
 */
export async function createIncidentsTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const stringAttributes = new Set<string>([INCIDENT_PARTITION_KEY]);
  for (const index of INCIDENT_INDEXES) {
    stringAttributes.add(index.partitionKey);
    stringAttributes.add(index.sortKey);
  }
  const attributeDefinitions: AttributeDefinition[] = [...stringAttributes].map((name) => ({
    AttributeName: name,
    AttributeType: "S",
  }));
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: attributeDefinitions,
      KeySchema: [{ AttributeName: INCIDENT_PARTITION_KEY, KeyType: "HASH" }],
      GlobalSecondaryIndexes: INCIDENT_INDEXES.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: "HASH" },
          { AttributeName: index.sortKey, KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      })),
    }),
  );
}

/** Every item of the table, raw, following Scan pages. */
export async function scanAll(client: DynamoDBClient, tableName: string): Promise<DynamoDbItem[]> {
  const items: DynamoDbItem[] = [];
  let startKey: DynamoDbItem | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
}

/** Deletes every item, so that tests sharing one table (the handler reads its name at cold start) start empty. */
export async function deleteAllItems(client: DynamoDBClient, tableName: string): Promise<void> {
  const keys = (await scanAll(client, tableName)).map((item) => ({
    [INCIDENT_PARTITION_KEY]: item[INCIDENT_PARTITION_KEY] as AttributeValue,
  }));
  for (let start = 0; start < keys.length; start += 25) {
    const requests = keys.slice(start, start + 25).map((Key) => ({ DeleteRequest: { Key } }));
    await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }));
  }
}

/** Every incident of the table, ordered by id so that comparisons do not depend on scan order. */
export async function readAllIncidents(client: DynamoDBClient, tableName: string): Promise<Incident[]> {
  const incidents = (await scanAll(client, tableName)).map(fromIncidentItem);
  return incidents.sort((a, b) => a.incidentId.localeCompare(b.incidentId));
}

/**
 * The incidents of one log group through the `by-log-group` index: every shard (`<group>#<n>`), each newest first
 * following Query pages, merged newest first (ties by incident id).
 */
export async function queryByLogGroup(client: DynamoDBClient, tableName: string, logGroup: string, pageSize?: number): Promise<Incident[]> {
  const shards = await Promise.all(logGroupShardKeys(logGroup).map((key) => queryNewestFirst(client, tableName, BY_LOG_GROUP_INDEX, key, pageSize)));
  return newestFirst(shards.flat());
}

/**
 * Every occurrence of one failure through the `by-fingerprint` index: every shard (`<fingerprint>#<n>`), each newest
 * first following Query pages, merged newest first (ties by incident id).
 */
export async function queryByFingerprint(client: DynamoDBClient, tableName: string, fingerprint: string, pageSize?: number): Promise<Incident[]> {
  const shards = await Promise.all(fingerprintShardKeys(fingerprint).map((key) => queryNewestFirst(client, tableName, BY_FINGERPRINT_INDEX, key, pageSize)));
  return newestFirst(shards.flat());
}

function newestFirst(incidents: Incident[]): Incident[] {
  return incidents.sort((a, b) => (a.occurredAt === b.occurredAt ? a.incidentId.localeCompare(b.incidentId) : a.occurredAt < b.occurredAt ? 1 : -1));
}

/**
 * One partition of an index, newest first (`ScanIndexForward: false`), following Query pages of at most
 * `pageSize` items (small pages prove that paging keeps the order).
 */
export async function queryNewestFirst(
  client: DynamoDBClient,
  tableName: string,
  index: IncidentIndex,
  partitionValue: string,
  pageSize?: number,
): Promise<Incident[]> {
  const items: DynamoDbItem[] = [];
  let startKey: DynamoDbItem | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: index.name,
        KeyConditionExpression: "#pk = :pk",
        ExpressionAttributeNames: { "#pk": index.partitionKey },
        ExpressionAttributeValues: { ":pk": { S: partitionValue } },
        ScanIndexForward: false,
        ExclusiveStartKey: startKey,
        ...(pageSize === undefined ? {} : { Limit: pageSize }),
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items.map(fromIncidentItem);
}
