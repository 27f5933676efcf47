/**
 * npm run soak -- --runs N [--seed S]: runs the model-based proof of the failure state machine
 * (__tests__/model/failure-state-machine.test.ts) for N generated sequences instead of the handful `npm test` runs.
 * On a failure, fast-check prints the failing sequence shrunk to its minimum, and the seed that reproduces it.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const USAGE = `Usage: npm run soak -- [--runs N] [--seed S]

Runs the model-based proof of the failure state machine (deliveries, retries, crashes, mutes and faults against the
processor bundle over dynalite and fauxqs) for N generated sequences.

  --runs N   sequences to generate, 1 to 100000 (default 200)
  --seed S   fast-check seed, an integer (default: a new one, printed, so that a failure can be replayed)
  --help     this text`;

function fail(message: string): never {
  process.stderr.write(`soak: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const values = new Map<string, string>();
for (let i = 0; i < args.length; i++) {
  const arg = args[i] as string;
  const [name, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
  if (name !== "--runs" && name !== "--seed") fail(`unknown argument ${JSON.stringify(arg)}`);
  if (values.has(name)) fail(`${name} is given twice`);
  const value = inline ?? args[++i];
  if (value === undefined) fail(`${name} needs a value`);
  values.set(name, value);
}
const runsText = values.get("--runs") ?? "200";
if (!/^\d+$/.test(runsText) || Number(runsText) < 1 || Number(runsText) > 100_000) fail(`--runs takes a whole number from 1 to 100000, not ${JSON.stringify(runsText)}`);
const seedText = values.get("--seed") ?? String(Math.floor(Math.random() * 2 ** 31));
if (!/^-?\d+$/.test(seedText)) fail(`--seed takes an integer, not ${JSON.stringify(seedText)}`);

process.stdout.write(`soak: ${runsText} sequences, seed ${seedText}\n`);
const jest = path.join(__dirname, "..", "node_modules", "jest", "bin", "jest.js");
const result = spawnSync(process.execPath, [jest, "__tests__/model", "--testTimeout", "0"], {
  stdio: "inherit",
  env: { ...process.env, MODEL_TEST_RUNS: runsText, MODEL_TEST_SEED: seedText },
});
process.exit(result.status ?? 1);
