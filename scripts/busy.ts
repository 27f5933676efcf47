/**
 * npm run busy -- [--cpus N] [--] COMMAND [ARG...]: runs a command while N CPU-bound processes run beside it (default 2,
 * as many as this project's 2-core machines have), to show that a test does not depend on how fast the machine is.
 * `.ci/run` uses it for the fault and model-based suites: `npm run busy -- npx jest __tests__/faults __tests__/model`.
 * The burners are stopped when the command ends, whatever its exit status, which this script returns.
 */
import { ChildProcess, spawn } from "node:child_process";

const USAGE = `Usage: npm run busy -- [--cpus N] [--] COMMAND [ARG...]

Runs COMMAND while N CPU-bound processes (default 2) keep the cores busy, then stops them and exits with
COMMAND's status.

  --cpus N   busy processes, 1 to 16 (default 2)
  --help     this text`;

function usage(message: string): never {
  process.stderr.write(`busy: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
let cpus: number | undefined;
let i = 0;
for (; i < args.length; i++) {
  const arg = args[i] as string;
  if (arg === "--help" || arg === "-h") {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (arg === "--") {
    i++;
    break;
  }
  if (arg === "--cpus" || arg.startsWith("--cpus=")) {
    if (cpus !== undefined) usage("--cpus is given twice");
    const text = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : args[++i];
    if (text === undefined || !/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 16) usage(`--cpus takes a whole number from 1 to 16, not ${JSON.stringify(text)}`);
    cpus = Number(text);
    continue;
  }
  if (arg.startsWith("-")) usage(`unknown argument ${JSON.stringify(arg)}`);
  break;
}
const command = args.slice(i);
if (command.length === 0) usage("no command to run");

const burners: ChildProcess[] = Array.from({ length: cpus ?? 2 }, () =>
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
  usage(`could not run ${JSON.stringify(command[0])}: ${error.message}`);
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => {
  child.kill(signal);
  stopBurners();
});
