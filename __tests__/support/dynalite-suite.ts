import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { LocalDynamoDb, startDynalite } from "./dynalite";
import { localDynamoDbClient } from "./test-dynamodb-client";

/**
 * Starts dynalite before the enclosing `describe` block's tests and stops it after them. Call it first in the block:
 * the returned `client` is ready in every `beforeAll`, `beforeEach` and test declared after it.
 */
export function useDynalite(): { readonly client: DynamoDBClient; readonly endpoint: string } {
  const suite: { client: DynamoDBClient; endpoint: string; dynamo?: LocalDynamoDb } = { client: undefined as unknown as DynamoDBClient, endpoint: "" };
  beforeAll(async () => {
    suite.dynamo = await startDynalite();
    suite.endpoint = suite.dynamo.endpoint;
    suite.client = localDynamoDbClient(suite.dynamo.endpoint);
  });
  afterAll(async () => {
    suite.client?.destroy();
    await suite.dynamo?.stop();
  });
  return suite;
}
