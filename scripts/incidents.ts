import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { environmentWithDeployment } from "../config/deployment-file";
import { runTool } from "../lib/cli/errors";
import { MUTE_SUBCOMMANDS, runMuteCommand } from "../lib/incidents/mute-command";
import { runIncidentsCommand } from "../lib/incidents/run-incidents";

/**
 * `npm run incidents -- [--since 1h] [--log-group NAME] [--fingerprint F] [--account ID] [--groups] [--limit N] [--json]`: recent incidents
 * of the configured environment (see lib/incidents/cli-options.ts); `npm run incidents -- mute|unmute|mutes ...`:
 * mutes (lib/incidents/mute-command.ts). Exit 0 when it ran, 1 when an AWS call failed, 2 on bad usage or
 * configuration.
 */
const args = process.argv.slice(2);
// The deployment file (LOG_MONITOR_DEPLOYMENT) is merged inside runTool, so that its errors are one line, exit 2.
const common = () => ({
  env: environmentWithDeployment(process.env),
  // The standard credential chain and endpoint settings apply (AWS_PROFILE, AWS_ENDPOINT_URL_DYNAMODB, ...).
  createClient: (region: string) => new DynamoDBClient({ region }),
  now: Date.now,
  stdout: (text: string) => process.stdout.write(text),
  stderr: (text: string) => process.stderr.write(text),
});
runTool("incidents", () =>
  (MUTE_SUBCOMMANDS as readonly string[]).includes(args[0] ?? "")
    ? runMuteCommand(args, {
        ...common(),
        whoAmI: async () => {
          try {
            const identity = await new STSClient({}).send(new GetCallerIdentityCommand({}));
            if (identity.Arn !== undefined) return identity.Arn;
          } catch {
            // No STS answer (offline, a local endpoint): the user name still says who.
          }
          return process.env.USER ?? process.env.USERNAME ?? "unknown";
        },
      })
    : runIncidentsCommand(args, common()),
);
