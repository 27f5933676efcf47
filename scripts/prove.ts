/**
 * `npm run prove -- [--runs N] [--seed S]`: the deployability proof over generated configurations (lib/prove).
 * Exits 0 when every configuration is deployable or refused in one line, 1 when one is not (fast-check's report of
 * the shrunk configuration on stderr), 2 on bad usage.
 */
import { parseArgs } from "../lib/cli/args";
import { EXIT_FAILURE, EXIT_OK, runTool, UsageError } from "../lib/cli/errors";
import { runDeployabilityProof } from "../lib/prove/prove";

const HELP = `Usage: npm run prove -- [--runs N] [--seed S] [--no-shrink]

Generates N configurations (LOG_MONITOR_* and AWS_REGION at their limits: the longest names, the most log groups,
every region of every partition, each option on and off) and proves for each that it either synthesizes into
Terraform meeting AWS's request constraints and quotas (lib/aws-constraints) and shares no account-global name with
the same environment in another region or another environment, or is refused by synth with one line naming a
variable. A failure is shrunk to a minimal configuration (--no-shrink reports the first one as found).

  --runs N      configurations to generate (default 100)
  --seed S      fast-check seed, to repeat a run (default: the time)
  --no-shrink   report the first failing configuration without shrinking it
  --help        this text

Exit status: 0 all proved, 1 a configuration is not deployable, 2 bad usage.
`;

function positiveInteger(flag: string, value: string | undefined, allowNegative = false): number {
  if (value === undefined || !(allowNegative ? /^-?\d+$/ : /^\d+$/).test(value)) throw new UsageError(`${flag} needs a whole number, got ${value === undefined ? "nothing" : JSON.stringify(value)}`);
  return Number(value);
}

runTool("prove", () => {
  const parsed = parseArgs(process.argv.slice(2), { options: { "--runs": "value", "--seed": "value", "--no-shrink": "flag" } });
  if (parsed.help) {
    process.stdout.write(HELP);
    return EXIT_OK;
  }
  const runsText = parsed.values.get("--runs");
  const seedText = parsed.values.get("--seed");
  const runs = runsText === undefined ? 100 : positiveInteger("--runs", runsText);
  const seed = seedText === undefined ? Date.now() % 2_147_483_647 : positiveInteger("--seed", seedText, true);
  const shrink = !parsed.flags.has("--no-shrink");
  if (runs < 1) throw new UsageError("--runs needs at least 1");
  const started = Date.now();
  const summary = runDeployabilityProof(runs, seed, { shrink });
  const refused = Object.entries(summary.refused).sort(([a], [b]) => a.localeCompare(b)).map(([v, n]) => `${v} ${n}`).join(", ");
  const largest = Object.entries(summary.largest).sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} ${n}`).join(", ");
  process.stdout.write(
    `prove: ${summary.runs} configurations from seed ${seed} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${summary.deployable} deployable, ` +
      `${summary.runs - summary.deployable} refused at synth${refused === "" ? "" : ` (${refused})`}\n` +
      `prove: largest sizes measured: ${largest === "" ? "none" : largest}\n`,
  );
  if (summary.failure !== undefined) {
    process.stderr.write(`prove: a configuration is not deployable\n${summary.failure}\n`);
    return EXIT_FAILURE;
  }
  return EXIT_OK;
});
