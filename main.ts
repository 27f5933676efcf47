/**
 * The app `cdktf synth` runs (cdktf.json): reads the configuration from the environment, then creates the stacks
 * (stacks/log-monitor.ts) and synthesizes them. cdktf, the AWS provider's classes and the stacks are loaded only once
 * the configuration is valid, so that a configuration error costs a Node.js start (about 0.2 s of CPU), not theirs.
 */
import type { MonitorConfig } from "./config/config";
import { ConfigurationError, loadConfig } from "./config/config";
import { environmentWithDeployment } from "./config/deployment-file";
import { PROJECT_NAME } from "./config/naming";
import { EXIT_USAGE } from "./lib/cli/errors";

/**
 * Runs the app as `cdktf synth` does. A configuration error is one line, `log-monitor: <VARIABLE>: <problem>`, on
 * stderr, with exit status 2 and no stack trace. The local-state notice is information, so it goes to stdout:
 * CDKTF tags everything the app writes to stderr as `[ERROR]`.
 */
function synthesizeFromEnvironment(env: Readonly<Record<string, string | undefined>>): number {
  let config: MonitorConfig;
  try {
    config = loadConfig(environmentWithDeployment(env));
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    process.stderr.write(`${PROJECT_NAME}: ${error.message}\n`);
    return EXIT_USAGE;
  }
  if (config.stateBackend.kind === "local") {
    process.stdout.write(
      `${PROJECT_NAME}: LOG_MONITOR_STATE_BUCKET is not set, so each stack keeps local state ` +
        `(terraform.${config.region}.${config.environment}.<stack>.tfstate in the project folder). Set it to deploy with the S3 backend.\n`,
    );
  }
  const { App } = require("cdktf") as typeof import("cdktf");
  const { createLogMonitorStacks } = require("./stacks/log-monitor") as typeof import("./stacks/log-monitor");
  const app = new App();
  createLogMonitorStacks(app, config);
  app.synth();
  return 0;
}

if (require.main === module) {
  process.exitCode = synthesizeFromEnvironment(process.env);
}
