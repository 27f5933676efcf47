/**
 * npm run busy -- [--cpus N] [--] COMMAND [ARG...]: runs a command while N CPU-bound processes run beside it (default 2,
 * as many as this project's 2-core machines have), to show that a test does not depend on how fast the machine is.
 * `.ci/run` uses it for the fault and model-based suites: `npm run busy -- npx jest __tests__/faults __tests__/model`.
 * The burners are stopped when the command ends, whatever its exit status, which this script returns.
 */
import { ChildProcess, spawn } from "node:child_process";
import { parseArgs, readCommandLine, reportUsageError } from "../lib/cli/args";
import { UsageError } from "../lib/cli/errors";

const USAGE = `Usage: npm run busy -- [--cpus N] [--] COMMAND [ARG...]

Runs COMMAND while N CPU-bound processes (default 2) keep the cores busy, then stops them and exits with
COMMAND's status.

  --cpus N   busy processes, 1 to 16 (default 2)
  --help     this text`;

/** The command line, with the shared parser (lib/cli/args.ts). @throws UsageError */
function parseBusyArgs(args: readonly string[]): { readonly cpus: number; readonly command: readonly string[] } | "help" {
  // Options end at the command: its own options are its own.
  const parsed = parseArgs(args, {
    options: { "--cpus": "value" },
    positionals: { max: Number.MAX_SAFE_INTEGER, name: "command words" },
    optionsEndAtFirstPositional: true,
  });
  if (parsed.help) return "help";
  const cpusText = parsed.values.get("--cpus") ?? "2";
  if (!/^\d+$/.test(cpusText) || Number(cpusText) < 1 || Number(cpusText) > 16) throw new UsageError(`--cpus takes a whole number from 1 to 16, not ${JSON.stringify(cpusText)}`);
  if (parsed.positionals.length === 0) throw new UsageError("no command to run");
  return { cpus: Number(cpusText), command: parsed.positionals };
}

const options = readCommandLine("busy", USAGE, () => parseBusyArgs(process.argv.slice(2)));
if (typeof options === "number") process.exit(options);
const { cpus, command } = options;

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
  process.exit(reportUsageError("busy", new UsageError(`could not run ${JSON.stringify(command[0])}: ${error.message}`), (text) => process.stderr.write(text)));
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => {
  child.kill(signal);
  stopBurners();
});
