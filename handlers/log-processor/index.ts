import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SNSClient } from "@aws-sdk/client-sns";
import { excludedBy, readExcludedPrefixes } from "./account-scope";
import { readProcessorConfig } from "./config";
import { DynamoDbIncidentStore } from "./incident-store";
import { isKinesisStreamEvent, KinesisBatchResponse, KinesisStreamEvent, processKinesisBatch } from "./kinesis-event";
import { DeliverySummary, processDelivery, ProcessDeliveryDependencies } from "./process-delivery";
import { AlertDeadline, RealtimeAlerting } from "./realtime-alerts";
import { SnsAlertPublisher } from "./sns-alert-publisher";
import { DynamoDbSuppressionStore } from "./suppression-store";

// Cold start: a missing variable fails the init phase with a message naming it, before any event is taken.
const config = readProcessorConfig(process.env);
const { timeouts } = config;
const excludedPrefixes = readExcludedPrefixes(process.env);

/**
 * Connection and request timeouts for one SDK client. `throwOnRequestTimeout` matters: without it,
 * @smithy/node-http-handler 4.x only logs a warning when `requestTimeout` passes and keeps waiting (measured against
 * an SNS stand-in that never answers: the call never ended), so a hanging call would still run into the function's
 * timeout. With it, the attempt fails with TimeoutError and the SDK retries it.
 */
function httpOptions(timeoutMs: number) {
  return { connectionTimeout: timeoutMs, requestTimeout: timeoutMs, throwOnRequestTimeout: true };
}

// One client per service and execution environment, reused across invocations (connection reuse). Besides the
// SDK's standard settings (AWS_REGION, credentials, AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_SNS for local
// servers), each has connection and request timeouts: without them a hanging call would wait for the socket's
// default timeout, past the function's 60 s, and Lambda would kill the invocation mid-work.
const dynamodb = new DynamoDBClient({
  maxAttempts: timeouts.sdkMaxAttempts,
  requestHandler: httpOptions(timeouts.dynamoDbTimeoutMs),
});

const store = new DynamoDbIncidentStore(dynamodb, { tableName: config.tableName });

const alerts = config.realtimeAlerts;
const alerting: RealtimeAlerting | undefined = alerts.enabled
  ? {
      suppression: new DynamoDbSuppressionStore(dynamodb, {
        tableName: alerts.suppressionTableName,
        windowMinutes: alerts.suppressionMinutes,
      }),
      // One SDK attempt per Publish: a timed-out Publish may have been accepted, and must not be repeated at once
      // (see SnsAlertPublisher); answered throttling and server errors are retried there.
      publisher: new SnsAlertPublisher(
        new SNSClient({ maxAttempts: 1, requestHandler: httpOptions(timeouts.snsTimeoutMs) }),
        alerts.topicArn,
        alerts.criticalTopicArn,
        timeouts.sdkMaxAttempts,
      ),
      windowMinutes: alerts.suppressionMinutes,
      region: alerts.region,
      // Read through Date.now at each call (not a captured reference), so a simulated clock applies.
      now: () => Date.now(),
      leaseMs: alerts.leaseMs,
      maxAlertsPerDelivery: alerts.maxAlertsPerDelivery,
      stormThreshold: alerts.stormThreshold,
    }
  : undefined;

/**
 * Time kept free before the invocation's end: the longest a publish started just before the cut-off can take
 * (every SDK attempt timing out), plus releasing leases, plus a second of slack. No claim, publish or retry of
 * unprocessed items starts after `deadline - reserve`.
 */
const RESERVE_MS = timeouts.sdkMaxAttempts * (timeouts.snsTimeoutMs + timeouts.dynamoDbTimeoutMs) + 1_000;

/** The part of the Lambda context the handler reads. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

/**
 * Lambda entry point for CloudWatch Logs subscription deliveries (direct, or as Kinesis records: then each record
 * is one delivery and the answer is `{ batchItemFailures }`, see kinesis-event.ts): writes one incident per error log event to
 * the incidents table, then publishes one real-time alert per failure that has not alerted within its
 * suppression window (at most MAX_ALERTS_PER_DELIVERY, the rest in one digest), and returns
 * `{ processed, incidents_created, alerts_published, alerts_suppressed, alerts_digested }`. Throws on anything
 * it cannot process, after storing and alerting what it could, so that Lambda retries and the dead-letter queue
 * keeps the event.
 */
export function handler(event: KinesisStreamEvent, context?: InvocationContext): Promise<KinesisBatchResponse>;
export function handler(event: unknown, context?: InvocationContext): Promise<DeliverySummary>;
export async function handler(event: unknown, context?: InvocationContext): Promise<DeliverySummary | KinesisBatchResponse> {
  const dependencies: ProcessDeliveryDependencies = {
    store,
    ttlDays: config.ttlDays,
    log: (line) => console.info(line),
    // Straight to standard output, not through console: Lambda's JSON log format wraps console output in its own
    // JSON, and an embedded-metric-format line must be the whole log event to become metrics.
    records: (line) => process.stdout.write(`${line}\n`),
    ...(config.metrics === undefined ? {} : { metrics: config.metrics }),
    ...(alerting === undefined ? {} : { alerting }),
    ...(context === undefined ? {} : { deadline: deadlineOf(context) }),
    ...(excludedPrefixes.length === 0 ? {} : { excludeLogGroup: excludedBy(excludedPrefixes) }),
  };
  // With LOG_MONITOR_TRANSPORT=kinesis the event source mapping delivers batches of records, each one delivery, and
  // expects `{ batchItemFailures }` back (kinesis-event.ts).
  if (isKinesisStreamEvent(event)) return processKinesisBatch(event, dependencies);
  return processDelivery(event, dependencies);
}

function deadlineOf(context: InvocationContext): AlertDeadline {
  const deadlineMs = Date.now() + context.getRemainingTimeInMillis();
  return { deadlineMs, stopStartingAtMs: deadlineMs - RESERVE_MS };
}
