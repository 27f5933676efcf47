import { loadConfig } from "../config/config";
import { ConfigurationError } from "../config/config-error";
import { DEPLOYMENT_VARIABLE, environmentWithDeployment } from "../config/deployment-file";
import { parseArgs } from "../lib/cli/args";
import { EXIT_OK, runTool, UsageError } from "../lib/cli/errors";

/** Usage text of `npm run deployment`. */
export const DEPLOYMENT_USAGE = `Usage: npm run --silent deployment -- --region    (with LOG_MONITOR_DEPLOYMENT=deployments/<env>.env)

Reads the deployment file named by LOG_MONITOR_DEPLOYMENT (see docs/deployments.md) with the environment, checks the
whole configuration as synth does, and prints the region its stacks deploy to. The pull-request workflow uses it to
give its AWS credentials the deployment's region, so that the region too comes from the one file.

  --region   print the region
  --help     show this text

Exit status: 0 when printed, 2 when LOG_MONITOR_DEPLOYMENT is unset or the configuration is refused (one line).`;

/** `npm run deployment -- --region`: the region of the deployment that LOG_MONITOR_DEPLOYMENT names. */
function main(): number {
  const parsed = parseArgs(process.argv.slice(2), { options: { "--region": "flag" } });
  if (parsed.help) {
    process.stdout.write(`${DEPLOYMENT_USAGE}\n`);
    return EXIT_OK;
  }
  if (!parsed.flags.has("--region")) throw new UsageError("say what to print: --region (see --help)");
  if ((process.env[DEPLOYMENT_VARIABLE]?.trim() ?? "") === "") {
    // Without a file the defaults would be planned: in the workflow that is the silent mismatch this command prevents.
    throw new ConfigurationError(DEPLOYMENT_VARIABLE, "", "is not set: name the deployment file (deployments/<env>.env)");
  }
  process.stdout.write(`${loadConfig(environmentWithDeployment(process.env)).region}\n`);
  return EXIT_OK;
}

if (require.main === module) runTool("deployment", main);
