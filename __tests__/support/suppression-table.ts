import {
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { DynamoDbItem } from "../../handlers/log-processor/incident-item";
import {
  FailureScope,
  failureKeyOf,
  SUPPRESSION_ATTRIBUTES,
  SUPPRESSION_PARTITION_KEY,
} from "../../handlers/log-processor/suppression-schema";
import { scanAll } from "./incidents-table";

/** Creates the alert-suppression table as suppression-schema.ts and the processing stack describe it. */
export async function createSuppressionTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [{ AttributeName: SUPPRESSION_PARTITION_KEY, AttributeType: "S" }],
      KeySchema: [{ AttributeName: SUPPRESSION_PARTITION_KEY, KeyType: "HASH" }],
    }),
  );
}

/**
 * The suppression item of one failure, raw, or undefined when there is none. The failure is its scope (account, log
 * group, fingerprint), or its key as `failureKeyOf` writes it.
 */
export async function suppressionItem(
  client: DynamoDBClient,
  tableName: string,
  failure: FailureScope | string,
): Promise<DynamoDbItem | undefined> {
  const key = typeof failure === "string" ? failure : failureKeyOf(failure);
  const { Item } = await client.send(
    new GetItemCommand({
      TableName: tableName,
      Key: { [SUPPRESSION_PARTITION_KEY]: { S: key } },
      ConsistentRead: true,
    }),
  );
  return Item;
}

/**
 * Mutes a failure until `untilMs` the way a mute must be written into the shared item (suppression-schema.ts): one
 * `UpdateItem` of the mute's own attributes, creating the item when there is none and leaving every other attribute
 * as it is. Tests set mutes with this, so that they do not depend on the mute command's own module.
 */
export async function muteInTable(
  client: DynamoDBClient,
  tableName: string,
  scope: FailureScope,
  mute: { readonly untilMs: number; readonly nowMs: number; readonly by?: string; readonly reason?: string },
): Promise<void> {
  const A = SUPPRESSION_ATTRIBUTES;
  await client.send(
    new UpdateItemCommand({
      TableName: tableName,
      Key: { [SUPPRESSION_PARTITION_KEY]: { S: failureKeyOf(scope) } },
      UpdateExpression: "SET #mutedUntil = :until, #mutedBy = :by, #reason = :reason, #mutedAt = :now",
      ExpressionAttributeNames: { "#mutedUntil": A.mutedUntil, "#mutedBy": A.mutedBy, "#reason": A.muteReason, "#mutedAt": A.mutedAt },
      ExpressionAttributeValues: {
        ":until": { N: String(mute.untilMs) },
        ":by": { S: mute.by ?? "ana" },
        ":reason": { S: mute.reason ?? "known noise" },
        ":now": { N: String(mute.nowMs) },
      },
    }),
  );
}

/** Every suppression item, raw. */
export async function allSuppressionItems(client: DynamoDBClient, tableName: string): Promise<DynamoDbItem[]> {
  return scanAll(client, tableName);
}

/** Deletes every suppression item, so that tests sharing one table start with no open window. */
export async function deleteAllSuppressionItems(client: DynamoDBClient, tableName: string): Promise<void> {
  for (const item of await scanAll(client, tableName)) {
    await client.send(
      new DeleteItemCommand({
        TableName: tableName,
        Key: { [SUPPRESSION_PARTITION_KEY]: item[SUPPRESSION_PARTITION_KEY] as { S: string } },
      }),
    );
  }
}

/** Writes a suppression item as it is (to set up a window that is open, expired or malformed). */
export async function putSuppressionItem(client: DynamoDBClient, tableName: string, item: DynamoDbItem): Promise<void> {
  await client.send(new PutItemCommand({ TableName: tableName, Item: item }));
}
