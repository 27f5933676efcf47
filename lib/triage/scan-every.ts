import { AttributeValue, ScanCommand, ScanCommandInput, ScanCommandOutput } from "@aws-sdk/client-dynamodb";

/** A client that can Scan; `DynamoDBClient` satisfies it. */
export interface ScanClient {
  send(command: ScanCommand): Promise<ScanCommandOutput>;
}

/**
 * Every item a Scan returns, page by page: each page's `LastEvaluatedKey` is the next request's `ExclusiveStartKey`
 * until a page has none (DynamoDB API Reference, Scan: "If LastEvaluatedKey is empty, then the last page of results has
 * been processed"), so a table over 1 MB (one page) is read whole.
 */
export async function scanEvery(client: ScanClient, input: Omit<ScanCommandInput, "ExclusiveStartKey">, onItem: (item: Record<string, AttributeValue>) => void): Promise<void> {
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page: ScanCommandOutput = await client.send(new ScanCommand({ ...input, ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }) }));
    for (const item of page.Items ?? []) onItem(item);
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
}
