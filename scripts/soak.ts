/**
 * npm run soak -- --runs N [--seed S]: runs the model-based proof of the failure state machine
 * (__tests__/model/failure-state-machine.test.ts) for N generated sequences instead of the handful `npm test` runs.
 * On a failure, fast-check prints the failing sequence shrunk to its minimum, and the seed that reproduces it.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { parseArgs, readCommandLine } from "../lib/cli/args";
import { UsageError } from "../lib/cli/errors";

const USAGE = `Usage: npm run soak -- [--runs N] [--seed S]

Runs the model-based proof of the failure state machine (deliveries, retries, crashes, mutes and faults against the
processor bundle over dynalite and fauxqs) for N generated sequences.

  --runs N   sequences to generate, 1 to 100000 (default 200)
  --seed S   fast-check seed, an integer (default: a new one, printed, so that a failure can be replayed)
  --help     this text`;

/** The command line, with the shared parser (lib/cli/args.ts). @throws UsageError */
function parseSoakArgs(args: readonly string[]): { readonly runsText: string; readonly seedText: string } | "help" {
  const parsed = parseArgs(args, { options: { "--runs": "value", "--seed": "value" } });
  if (parsed.help) return "help";
  const runsText = parsed.values.get("--runs") ?? "200";
  if (!/^\d+$/.test(runsText) || Number(runsText) < 1 || Number(runsText) > 100_000) {
    throw new UsageError(`--runs takes a whole number from 1 to 100000, not ${JSON.stringify(runsText)}`);
  }
  const seedText = parsed.values.get("--seed") ?? String(Math.floor(Math.random() * 2 ** 31));
  if (!/^-?\d+$/.test(seedText)) throw new UsageError(`--seed takes an integer, not ${JSON.stringify(seedText)}`);
  return { runsText, seedText };
}

const options = readCommandLine("soak", USAGE, () => parseSoakArgs(process.argv.slice(2)));
if (typeof options === "number") process.exit(options);
const { runsText, seedText } = options;

process.stdout.write(`soak: ${runsText} sequences, seed ${seedText}\n`);
const jest = path.join(__dirname, "..", "node_modules", "jest", "bin", "jest.js");
const result = spawnSync(process.execPath, [jest, "__tests__/model", "--testTimeout", "0"], {
  stdio: "inherit",
  env: { ...process.env, MODEL_TEST_RUNS: runsText, MODEL_TEST_SEED: seedText },
});
process.exit(result.status ?? 1);
