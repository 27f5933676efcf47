/**
 * `npm run simulate -- [--errors N] [--minutes M] [--json]`: runs the monitoring chain on this machine, from the synthesized
 * stacks, with nothing deployed. Exit status 0 when the chain works, 1 when a link is broken, 2 on bad usage or configuration.
 */
import * as path from "node:path";
import { environmentWithDeployment } from "../config/deployment-file";
import { runTool } from "../lib/cli/errors";
import { runSimulateCommand } from "../lib/simulate/cli";

runTool("simulate", () =>
  runSimulateCommand(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: environmentWithDeployment(process.env),
    projectRoot: path.resolve(__dirname, ".."),
  }),
);
