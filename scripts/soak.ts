/**
 * npm run soak -- --runs N [--seed S]: runs the model-based proof of the failure state machine
 * (__tests__/model/failure-state-machine.test.ts) for N generated sequences instead of the handful `npm test` runs.
 * On a failure, fast-check prints the failing sequence shrunk to its minimum, and the seed that reproduces it.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { parseArgs, reportUsageError } from "../lib/cli/args";
import { UsageError } from "../lib/cli/errors";

const USAGE = `Usage: npm run soak -- [--runs N] [--seed S]

Runs the model-based proof of the failure state machine (deliveries, retries, crashes, mutes and faults against the
processor bundle over dynalite and fauxqs) for N generated sequences.

  --runs N   sequences to generate, 1 to 100000 (default 200)
  --seed S   fast-check seed, an integer (default: a new one, printed, so that a failure can be replayed)
  --help     this text`;

function usage(error: UsageError): never {
  process.exit(reportUsageError("soak", error, (text) => process.stderr.write(text)));
}

let parsed;
try {
  parsed = parseArgs(process.argv.slice(2), { options: { "--runs": "value", "--seed": "value" } });
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  usage(error);
}
if (parsed.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const runsText = parsed.values.get("--runs") ?? "200";
if (!/^\d+$/.test(runsText) || Number(runsText) < 1 || Number(runsText) > 100_000) {
  usage(new UsageError(`--runs takes a whole number from 1 to 100000, not ${JSON.stringify(runsText)}`));
}
const seedText = parsed.values.get("--seed") ?? String(Math.floor(Math.random() * 2 ** 31));
if (!/^-?\d+$/.test(seedText)) usage(new UsageError(`--seed takes an integer, not ${JSON.stringify(seedText)}`));

process.stdout.write(`soak: ${runsText} sequences, seed ${seedText}\n`);
const jest = path.join(__dirname, "..", "node_modules", "jest", "bin", "jest.js");
const result = spawnSync(process.execPath, [jest, "__tests__/model", "--testTimeout", "0"], {
  stdio: "inherit",
  env: { ...process.env, MODEL_TEST_RUNS: runsText, MODEL_TEST_SEED: seedText },
});
process.exit(result.status ?? 1);
