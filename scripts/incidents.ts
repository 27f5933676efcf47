import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { runTool } from "../lib/cli/errors";
import { runIncidentsCommand } from "../lib/incidents/run-incidents";

/**
 * `npm run incidents -- [--since 1h] [--log-group NAME] [--fingerprint F] [--account ID] [--groups] [--limit N]`: recent incidents
 * of the configured environment (see lib/incidents/cli-options.ts). Exit 0 when the query ran, 1 when it failed,
 * 2 on bad usage or configuration.
 */
runTool("incidents", () =>
  runIncidentsCommand(process.argv.slice(2), {
    env: process.env,
    // The standard credential chain and endpoint settings apply (AWS_PROFILE, AWS_ENDPOINT_URL_DYNAMODB, ...).
    createClient: (region) => new DynamoDBClient({ region }),
    now: Date.now,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  }),
);
