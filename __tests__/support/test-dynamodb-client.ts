import { DynamoDBClient } from "@aws-sdk/client-dynamodb";

/** A client for a local dynalite endpoint, with a fixed region and fake credentials (no AWS account is used). */
export function localDynamoDbClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
  });
}
