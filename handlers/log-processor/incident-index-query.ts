import type { AttributeValue, QueryCommandOutput } from "@aws-sdk/client-dynamodb";
import { QueryCommand } from "@aws-sdk/client-dynamodb";
import type { DynamoDbItem } from "./incident-item";
import { INCIDENT_ATTRIBUTES, IncidentIndex } from "./incident-schema";

/** The one DynamoDB call a reader of a sharded index makes; `DynamoDBClient` satisfies it. */
export interface IndexQueryClient {
  send(command: QueryCommand): Promise<QueryCommandOutput>;
}

/** What {@link newestMatchingItem} reads. */
export interface NewestMatchingItemQuery {
  readonly tableName: string;
  /** A sharded index of the incidents table (`by-fingerprint`, `by-log-group`). */
  readonly index: IncidentIndex;
  /** Every shard's partition key value (`fingerprintShardKeys(f)`, `logGroupShardKeys(g)`). */
  readonly partitionKeys: readonly string[];
  /** A FilterExpression on the items (`#logGroup = :logGroup`), with its names and values; none keeps every item. */
  readonly filterExpression?: string;
  readonly expressionAttributeNames?: Readonly<Record<string, string>>;
  readonly expressionAttributeValues?: Readonly<Record<string, AttributeValue>>;
  /** Items per Query page (Query's `Limit`, counted before the filter). */
  readonly pageSize: number;
  /** Pages read at most per shard before that shard counts as holding no match. */
  readonly maxPagesPerShard: number;
}

/**
 * The newest item of a sharded index that matches a filter: every shard is queried in parallel, newest first, until
 * its first match (or `maxPagesPerShard` pages), and the newest of those first matches wins (ties by incident id, so the
 * answer is stable). Each shard's first match is that shard's newest, so the newest of them is the newest overall.
 * Undefined when no shard holds a match within its pages. For the sweeper's "latest incident of a failure"
 * (handlers/quiet-notices/episodes.ts) and any other "latest X" question on a sharded index.
 */
export async function newestMatchingItem(client: IndexQueryClient, query: NewestMatchingItemQuery): Promise<DynamoDbItem | undefined> {
  const firstMatches = await Promise.all(query.partitionKeys.map((key) => firstMatchOfShard(client, query, key)));
  let newest: DynamoDbItem | undefined;
  for (const item of firstMatches) {
    if (item !== undefined && (newest === undefined || isNewer(item, newest, query.index.sortKey))) newest = item;
  }
  return newest;
}

async function firstMatchOfShard(client: IndexQueryClient, query: NewestMatchingItemQuery, partitionKey: string): Promise<DynamoDbItem | undefined> {
  let startKey: Record<string, AttributeValue> | undefined;
  for (let page = 0; page < query.maxPagesPerShard; page++) {
    const output = await client.send(
      new QueryCommand({
        TableName: query.tableName,
        IndexName: query.index.name,
        KeyConditionExpression: "#shardKey = :shardKey",
        ...(query.filterExpression === undefined ? {} : { FilterExpression: query.filterExpression }),
        ExpressionAttributeNames: { ...query.expressionAttributeNames, "#shardKey": query.index.partitionKey },
        ExpressionAttributeValues: { ...query.expressionAttributeValues, ":shardKey": { S: partitionKey } },
        ScanIndexForward: false,
        Limit: query.pageSize,
        ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
      }),
    );
    const item = output.Items?.[0];
    if (item !== undefined) return item;
    startKey = output.LastEvaluatedKey;
    if (startKey === undefined) return undefined;
  }
  return undefined;
}

function isNewer(a: DynamoDbItem, b: DynamoDbItem, sortKey: string): boolean {
  const at = a[sortKey]?.S ?? "";
  const bt = b[sortKey]?.S ?? "";
  if (at !== bt) return at > bt;
  return (a[INCIDENT_ATTRIBUTES.incidentId]?.S ?? "") < (b[INCIDENT_ATTRIBUTES.incidentId]?.S ?? "");
}
