import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SNSClient } from "@aws-sdk/client-sns";
import { DynamoDbIncidentStore } from "../../handlers/log-processor/incident-store";
import { DeliverySummary, processDelivery } from "../../handlers/log-processor/process-delivery";
import { SnsAlertPublisher } from "../../handlers/log-processor/sns-alert-publisher";
import { DynamoDbSuppressionStore } from "../../handlers/log-processor/suppression-store";
import { cloudWatchEventId, dataMessage, packSubscriptionEvent } from "../simulate/subscription-payload";
import { median, timeMs } from "./stats";
import { withBenchTables } from "./throughput";

/** A delivery of `failures` error lines, each a different failure (fingerprint). */
export function distinctFailuresDelivery(failures: number): { readonly event: ReturnType<typeof packSubscriptionEvent>; readonly payloadBytes: number } {
  const startMs = Date.UTC(2024, 4, 1, 12, 0, 0);
  // Letters, not digits: the fingerprint ignores numbers, so "job 1" and "job 2" would be one failure.
  const word = (n: number): string => {
    let text = "";
    for (let rest = n + 1; rest > 0; rest = Math.floor((rest - 1) / 26)) text = String.fromCharCode(97 + ((rest - 1) % 26)) + text;
    return text;
  };
  const payload = dataMessage({
    owner: "123456789012",
    logGroup: "/aws/lambda/orders-api",
    logStream: "2024/05/01/[$LATEST]0123456789abcdef0123456789abcdef",
    subscriptionFilters: ["errors"],
    logEvents: Array.from({ length: failures }, (_, i) => ({
      id: cloudWatchEventId(startMs + i, i),
      timestamp: startMs + i,
      message: `ERROR: failed in ${word(i)}`,
    })),
  });
  return { event: packSubscriptionEvent(payload), payloadBytes: Buffer.byteLength(JSON.stringify(payload)) };
}

/** What one storm run measured. */
export interface StormResult {
  /** Alert messages a run published (the digest included). */
  readonly messages: number;
  /** Failures alerted through the digest. */
  readonly digested: number;
  /** Median wall time of a run, milliseconds. */
  readonly medianMs: number;
  /** Slowest run, milliseconds. */
  readonly maxMs: number;
}

let tables = 0;

/**
 * Runs the processor's real code (`processDelivery` with the DynamoDB stores and SNS publisher the Lambda uses)
 * on `event` `runs` times, each into fresh tables, publishing to `snsEndpoint`; returns the medians.
 */
export async function measureStorm(
  client: DynamoDBClient,
  sns: SNSClient,
  event: unknown,
  options: { readonly maxAlertsPerDelivery: number; readonly runs: number; readonly topicArn: string },
): Promise<StormResult> {
  let last: DeliverySummary | undefined;
  const once = async (): Promise<number> => {
    const n = ++tables;
    const incidents = `bench-storm-incidents-${n}`;
    const suppression = `bench-storm-suppression-${n}`;
    return withBenchTables(client, { incidents, suppression }, () =>
      timeMs(async () => {
        last = await processDelivery(event, {
          store: new DynamoDbIncidentStore(client, { tableName: incidents }),
          ttlDays: 30,
          log: () => undefined,
          alerting: {
            suppression: new DynamoDbSuppressionStore(client, { tableName: suppression, windowMinutes: 15 }),
            publisher: new SnsAlertPublisher(sns, options.topicArn),
            windowMinutes: 15,
            region: "us-east-1",
            now: () => Date.now(),
            maxAlertsPerDelivery: options.maxAlertsPerDelivery,
          },
        });
      }),
    );
  };
  const times: number[] = [];
  for (let run = 0; run < options.runs; run++) times.push(await once());
  return {
    messages: last?.alerts_published ?? 0,
    digested: last?.alerts_digested ?? 0,
    medianMs: median(times),
    maxMs: Math.max(...times),
  };
}
