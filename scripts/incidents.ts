import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { environmentWithDeployment } from "../config/deployment-file";
import { runTool } from "../lib/cli/errors";
import { MUTE_SUBCOMMANDS, runMuteCommand } from "../lib/incidents/mute-command";
import { runIncidentsCommand } from "../lib/incidents/run-incidents";
import { runTriageCommand, TRIAGE_SUBCOMMANDS } from "../lib/incidents/triage-command";

/**
 * `npm run incidents -- [--since 1h] [--log-group NAME] [--fingerprint F] [--account ID] [--groups] [--limit N] [--json]`: recent incidents
 * of the configured environment (see lib/incidents/cli-options.ts); `npm run incidents -- mute|unmute|mutes ...`:
 * mutes (lib/incidents/mute-command.ts); `resolve|ignore|reopen|list ...`: triage (lib/incidents/triage-command.ts). Exit 0 when it ran, 1 when an AWS call failed, 2 on bad usage or
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
/** Who is changing a failure's state: the caller's ARN from sts:GetCallerIdentity, or the user name offline. */
const whoAmI = async (): Promise<string> => {
  try {
    const identity = await new STSClient({}).send(new GetCallerIdentityCommand({}));
    if (identity.Arn !== undefined) return identity.Arn;
  } catch {
    // No STS answer (offline, a local endpoint): the user name still says who.
  }
  return process.env.USER ?? process.env.USERNAME ?? "unknown";
};
const is = (names: readonly string[]): boolean => names.includes(args[0] ?? "");
runTool("incidents", () =>
  is(MUTE_SUBCOMMANDS)
    ? runMuteCommand(args, { ...common(), whoAmI })
    : is(TRIAGE_SUBCOMMANDS)
      ? runTriageCommand(args, { ...common(), whoAmI })
      : runIncidentsCommand(args, common()),
);
