import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SNSClient } from "@aws-sdk/client-sns";
import { publishCommand } from "../log-processor/sns-publish";
import { readQuietNoticesConfig } from "./config";
import { sweepQuietEpisodes, SweepSummary } from "./sweep";

// Cold start: a missing variable fails the init phase with a message naming it.
const config = readQuietNoticesConfig(process.env);
// Timeouts well under the function's 60 s, so a hanging call fails the sweep rather than the invocation.
const dynamodb = new DynamoDBClient({ maxAttempts: 3, requestHandler: { connectionTimeout: 2_000, requestTimeout: 2_000 } });
const sns = new SNSClient({ maxAttempts: 3, requestHandler: { connectionTimeout: 5_000, requestTimeout: 5_000 } });

/**
 * Entry point, invoked by EventBridge Scheduler every few minutes: publishes one quiet-again notice per episode that
 * went quiet (see sweep.ts) and returns what it did; logs one JSON line.
 */
export async function handler(): Promise<SweepSummary> {
  const summary = await sweepQuietEpisodes({
    client: dynamodb,
    suppressionTableName: config.suppressionTableName,
    incidentsTableName: config.incidentsTableName,
    windowMinutes: config.windowMinutes,
    region: config.region,
    publish: async (notice) => {
      await sns.send(publishCommand(config.topicArn, notice));
    },
    now: () => Date.now(),
  });
  console.info(JSON.stringify({ summary: "quiet-again sweep", ...summary }));
  return summary;
}
