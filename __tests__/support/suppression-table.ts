import {
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import { DynamoDbItem } from "../../handlers/log-processor/incident-item";
import { SUPPRESSION_PARTITION_KEY } from "../../handlers/log-processor/suppression-schema";
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

/** The suppression item of one fingerprint, raw, or undefined when there is none. */
export async function suppressionItem(
  client: DynamoDBClient,
  tableName: string,
  fingerprint: string,
): Promise<DynamoDbItem | undefined> {
  const { Item } = await client.send(
    new GetItemCommand({
      TableName: tableName,
      Key: { [SUPPRESSION_PARTITION_KEY]: { S: fingerprint } },
      ConsistentRead: true,
    }),
  );
  return Item;
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
