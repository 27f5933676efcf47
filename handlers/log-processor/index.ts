import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { readProcessorConfig } from "./config";
import { DynamoDbIncidentStore } from "./incident-store";
import { DeliverySummary, processDelivery } from "./process-delivery";

// Cold start: a missing variable fails the init phase with a message naming it, before any event is taken.
const config = readProcessorConfig(process.env);

// One client per execution environment, reused across invocations (connection reuse). Only the SDK's standard
// settings configure it, so AWS_REGION, credentials and AWS_ENDPOINT_URL_DYNAMODB (dynalite in tests) apply.
const dynamodb = new DynamoDBClient({});

const store = new DynamoDbIncidentStore(dynamodb, { tableName: config.tableName });

/**
 * Lambda entry point for CloudWatch Logs subscription deliveries: writes one incident per error log event to
 * the incidents table and returns `{ processed, incidents_created }`. Throws on anything it cannot process, so
 * that Lambda retries and the dead-letter queue keeps the event.
 */
export async function handler(event: unknown): Promise<DeliverySummary> {
  return processDelivery(event, { store, ttlDays: config.ttlDays, log: (line) => console.info(line) });
}
