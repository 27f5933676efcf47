/**
 * `npm run simulate -- [--errors N] [--minutes M]`: runs the monitoring chain on this machine, from the synthesized
 * stacks, with nothing deployed. Exit status 0 when the chain works, 1 when a link is broken, 2 on bad usage.
 */
import * as path from "node:path";
import { runSimulateCommand } from "../lib/simulate/cli";

runSimulateCommand(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  projectRoot: path.resolve(__dirname, ".."),
}).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(`simulate: the simulation itself failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
