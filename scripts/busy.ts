/**
 * npm run busy -- [--cpus N] [--] COMMAND [ARG...]: runs a command while N CPU-bound processes run beside it (default 2,
 * as many as this project's 2-core machines have), to show that a test does not depend on how fast the machine is.
 * `.ci/run` uses it for the fault and model-based suites: `npm run busy -- npx jest __tests__/faults __tests__/model`.
 * The burners are stopped when the command ends, whatever its exit status, which this script returns.
 */
import { ChildProcess, spawn } from "node:child_process";
import { parseArgs, reportUsageError } from "../lib/cli/args";
import { UsageError } from "../lib/cli/errors";

const USAGE = `Usage: npm run busy -- [--cpus N] [--] COMMAND [ARG...]

Runs COMMAND while N CPU-bound processes (default 2) keep the cores busy, then stops them and exits with
COMMAND's status.

  --cpus N   busy processes, 1 to 16 (default 2)
  --help     this text`;

function usage(error: UsageError): never {
  process.exit(reportUsageError("busy", error, (text) => process.stderr.write(text)));
}

let parsed;
try {
  // Options end at the command: its own options are its own.
  parsed = parseArgs(process.argv.slice(2), {
    options: { "--cpus": "value" },
    positionals: { max: Number.MAX_SAFE_INTEGER, name: "command words" },
    optionsEndAtFirstPositional: true,
  });
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  usage(error);
}
if (parsed.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const cpusText = parsed.values.get("--cpus") ?? "2";
if (!/^\d+$/.test(cpusText) || Number(cpusText) < 1 || Number(cpusText) > 16) usage(new UsageError(`--cpus takes a whole number from 1 to 16, not ${JSON.stringify(cpusText)}`));
const cpus = Number(cpusText);
const command = parsed.positionals;
if (command.length === 0) usage(new UsageError("no command to run"));

const burners: ChildProcess[] = Array.from({ length: cpus }, () =>
  spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }),
);
const stopBurners = (): void => {
  for (const burner of burners) burner.kill("SIGKILL");
};
process.stdout.write(`busy: ${burners.length} CPU-bound processes running beside: ${command.join(" ")}\n`);
const child = spawn(command[0] as string, command.slice(1), { stdio: "inherit" });
child.on("exit", (code, signal) => {
  stopBurners();
  process.exit(code ?? (signal === null ? 1 : 128));
});
child.on("error", (error) => {
  stopBurners();
  usage(new UsageError(`could not run ${JSON.stringify(command[0])}: ${error.message}`));
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => {
  child.kill(signal);
  stopBurners();
});
