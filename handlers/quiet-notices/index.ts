import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SNSClient } from "@aws-sdk/client-sns";
import { publishCommand } from "../log-processor/sns-publish";
import { readQuietNoticesConfig } from "./config";
import { publishWithRetry } from "./publish-retry";
import { QuietNoticeError, sweepQuietEpisodes, SweepSummary } from "./sweep";

// Cold start: a missing variable fails the init phase with a message naming it.
const config = readQuietNoticesConfig(process.env);

/**
 * Connection and request timeouts for one SDK client, like the processor's (handlers/log-processor/index.ts):
 * `throwOnRequestTimeout` makes a request that passes `requestTimeout` fail with TimeoutError; without it
 * @smithy/node-http-handler only logs a warning and keeps waiting, into the function's timeout.
 */
function httpOptions(timeoutMs: number) {
  return { connectionTimeout: timeoutMs, requestTimeout: timeoutMs, throwOnRequestTimeout: true };
}

// DynamoDB: conditional writes, each idempotent (episodes.ts), so the SDK may retry them, timeouts included.
const dynamodb = new DynamoDBClient({ maxAttempts: 3, requestHandler: httpOptions(2_000) });
// SNS: one attempt per call; publish-retry.ts retries only answered throttling and 5xx, never a timed-out attempt
// (which SNS may have accepted), so a late answer does not multiply the notice.
const sns = new SNSClient({ maxAttempts: 1, requestHandler: httpOptions(5_000) });

/** The part of the Lambda context the handler reads. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

/**
 * Entry point, invoked by EventBridge Scheduler every few minutes: publishes a quiet-again notice per episode that
 * went quiet, or one summary after a storm (see sweep.ts), logs one JSON line and returns what it did. Throws
 * QuietNoticeError after finishing every other episode when some notice failed (released for the next sweep), so the
 * failure shows in the function's Errors metric.
 */
export async function handler(_event?: unknown, context?: InvocationContext): Promise<SweepSummary> {
  const summary = await sweepQuietEpisodes({
    client: dynamodb,
    suppressionTableName: config.suppressionTableName,
    incidentsTableName: config.incidentsTableName,
    windowMinutes: config.windowMinutes,
    region: config.region,
    publish: (notice) => publishWithRetry(() => sns.send(publishCommand(config.topicArn, notice))),
    now: () => Date.now(),
    ...(context === undefined ? {} : { remainingMs: () => context.getRemainingTimeInMillis() }),
    warn: (line) => console.warn(JSON.stringify({ warning: "quiet-again sweep", detail: line })),
  });
  const { failedKeys, ...counts } = summary;
  console.info(JSON.stringify({ summary: "quiet-again sweep", ...counts, failed_keys: failedKeys.slice(0, 20) }));
  if (summary.failed > 0) throw new QuietNoticeError(summary);
  return summary;
}
