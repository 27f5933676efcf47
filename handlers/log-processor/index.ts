import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SNSClient } from "@aws-sdk/client-sns";
import { readProcessorConfig } from "./config";
import { DynamoDbIncidentStore } from "./incident-store";
import { DeliverySummary, processDelivery } from "./process-delivery";
import { RealtimeAlerting } from "./realtime-alerts";
import { SnsAlertPublisher } from "./sns-alert-publisher";
import { DynamoDbSuppressionStore } from "./suppression-store";

// Cold start: a missing variable fails the init phase with a message naming it, before any event is taken.
const config = readProcessorConfig(process.env);

// One client per service and execution environment, reused across invocations (connection reuse). Only the SDK's
// standard settings configure them, so AWS_REGION, credentials, AWS_ENDPOINT_URL_DYNAMODB (dynalite in tests) and
// AWS_ENDPOINT_URL_SNS (a local fake SNS) apply.
const dynamodb = new DynamoDBClient({});

const store = new DynamoDbIncidentStore(dynamodb, { tableName: config.tableName });

const alerts = config.realtimeAlerts;
const alerting: RealtimeAlerting | undefined = alerts.enabled
  ? {
      suppression: new DynamoDbSuppressionStore(dynamodb, {
        tableName: alerts.suppressionTableName,
        windowMinutes: alerts.suppressionMinutes,
      }),
      publisher: new SnsAlertPublisher(new SNSClient({}), alerts.topicArn),
      windowMinutes: alerts.suppressionMinutes,
      region: alerts.region,
      now: Date.now,
      newOwnerId: randomUUID,
    }
  : undefined;

/**
 * Lambda entry point for CloudWatch Logs subscription deliveries: writes one incident per error log event to
 * the incidents table, then publishes one real-time alert per failure that has not alerted within its
 * suppression window, and returns `{ processed, incidents_created, alerts_published, alerts_suppressed }`.
 * Throws on anything it cannot process, so that Lambda retries and the dead-letter queue keeps the event.
 */
export async function handler(event: unknown): Promise<DeliverySummary> {
  return processDelivery(event, {
    store,
    ttlDays: config.ttlDays,
    log: (line) => console.info(line),
    ...(alerting === undefined ? {} : { alerting }),
  });
}
