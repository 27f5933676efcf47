/**
 * The deployability proof over generated configurations: each one either synthesizes into Terraform whose every
 * argument meets AWS's request constraints and quotas (lib/aws-constraints) and shares no account-global name with
 * the same environment in another region or another environment in the same region, or is refused by configuration
 * with one line naming a variable.
 */
import * as fc from "fast-check";
import { ConfigurationError, KNOWN_VARIABLES, loadConfig, MonitorConfig } from "../../config/config";
import { partitionOfRegion, REGIONS_BY_PARTITION } from "../../config/regions";
import { accountGlobalNames, checkApp, CheckReport, GlobalName } from "../aws-constraints/check";
import { synthesizeConfig } from "../aws-constraints/synthesize";
import { configurationArbitrary, GeneratedEnv } from "./configurations";

/** The variables a refusal may name: the project's, and the AWS variables that resolve the region. */
const NAMEABLE: readonly string[] = [...KNOWN_VARIABLES, "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"];

/** What the proof found for one configuration. */
export type Outcome =
  | { readonly kind: "refused"; readonly variable: string; readonly line: string }
  | { readonly kind: "deployable"; readonly report: CheckReport; readonly sibling: "region" | "environment" };

/** A configuration the proof found wrong, and why (thrown, so that fast-check reports and shrinks it). */
export class DeployabilityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeployabilityError";
  }
}

const load = (env: GeneratedEnv): MonitorConfig => loadConfig(env, { readFile: () => undefined });

/** The same environment in another region of the partition, or another environment of the same length. */
function siblingOf(env: GeneratedEnv, config: MonitorConfig, kind: "region" | "environment"): GeneratedEnv {
  if (kind === "region") {
    const regions = REGIONS_BY_PARTITION[partitionOfRegion(config.region) ?? "aws"];
    const other = regions.find((region) => region !== config.region) as string;
    return { ...env, AWS_REGION: other };
  }
  const name = config.environment;
  const other = `${name.slice(0, -1)}${name.endsWith("z") ? "y" : "z"}`;
  return { ...env, LOG_MONITOR_ENV: other };
}

/**
 * Proves one configuration. `sibling` says which neighbour's account-global names to compare with (each costs one
 * more synthesis).
 * @throws DeployabilityError when it is neither deployable nor refused in one line naming a variable.
 */
export function proveConfiguration(env: GeneratedEnv, sibling: "region" | "environment"): Outcome {
  let config: MonitorConfig;
  try {
    config = load(env);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw new DeployabilityError(`configuration threw ${String(error)}`);
    const line = `log-monitor: ${error.message}`;
    if (line.includes("\n")) throw new DeployabilityError(`the refusal is not one line: ${line}`);
    if (!NAMEABLE.includes(error.variable)) throw new DeployabilityError(`the refusal names no known variable: ${line}`);
    if (!line.startsWith(`log-monitor: ${error.variable}: `)) throw new DeployabilityError(`the refusal does not start with the variable: ${line}`);
    return { kind: "refused", variable: error.variable, line };
  }
  let app;
  try {
    app = synthesizeConfig(config);
  } catch (error) {
    throw new DeployabilityError(`accepted, but synth failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  }
  const report = checkApp(app);
  if (report.violations.length > 0) {
    throw new DeployabilityError(
      `accepted, but AWS would refuse:\n${report.violations.map((v) => `  ${v.stack} ${v.resource} ${v.argument}: ${v.problem} (${v.source})`).join("\n")}`,
    );
  }
  const neighbourEnv = siblingOf(env, config, sibling);
  let neighbour: MonitorConfig | undefined;
  try {
    neighbour = load(neighbourEnv);
  } catch {
    neighbour = undefined;
  }
  if (neighbour !== undefined) {
    const key = (n: GlobalName) => `${n.kind}:${n.name}`;
    // The state bucket is one per account and region, shared by every environment there by design.
    const shared = (n: GlobalName) => sibling === "environment" && n.stack === "state" && n.kind === "s3-bucket";
    const theirs = new Set(accountGlobalNames(synthesizeConfig(neighbour)).filter((n) => !shared(n)).map(key));
    const clashes = accountGlobalNames(app).filter((n) => !shared(n) && theirs.has(key(n)));
    if (clashes.length > 0) {
      throw new DeployabilityError(
        `shares account-global names with the same ${sibling === "region" ? "environment in " + neighbour.region : "region's environment " + neighbour.environment}: ${clashes.map(key).join(", ")}`,
      );
    }
  }
  return { kind: "deployable", report, sibling };
}

/** Totals of a proof run, for the report. */
export interface ProofSummary {
  /** Configurations proved before the first failure (all of them when none failed). */
  readonly runs: number;
  readonly seed: number;
  readonly deployable: number;
  readonly refused: Readonly<Record<string, number>>;
  /** The largest size measured per quota subject kind (`lambda-policy`, `iam-managed`...). */
  readonly largest: Readonly<Record<string, number>>;
  /** fast-check's report of the first failing configuration, shrunk, or `undefined` when every run held. */
  readonly failure?: string;
}

/** Runs the proof over `runs` generated configurations from `seed`. */
export function runDeployabilityProof(runs: number, seed: number, options: { readonly shrink?: boolean } = {}): ProofSummary {
  const refused: Record<string, number> = {};
  const largest: Record<string, number> = {};
  let deployable = 0;
  let index = 0;
  // Counted until the first failure: shrinking re-runs smaller variants, which would skew the totals.
  let failing = false;
  const details = fc.check(
    fc.property(configurationArbitrary(), (env) => {
      let outcome: Outcome;
      try {
        outcome = proveConfiguration(env, index++ % 2 === 0 ? "region" : "environment");
      } catch (error) {
        failing = true;
        throw error;
      }
      if (failing) return;
      if (outcome.kind === "refused") {
        refused[outcome.variable] = (refused[outcome.variable] ?? 0) + 1;
      } else {
        deployable++;
        for (const [subject, size] of Object.entries(outcome.report.sizes)) {
          const kind = subject.slice(0, subject.indexOf(":"));
          largest[kind] = Math.max(largest[kind] ?? 0, size);
        }
      }
    }),
    { numRuns: runs, seed, endOnFailure: options.shrink !== true },
  );
  const error = details.errorInstance instanceof Error ? `\n${details.errorInstance.message}` : "";
  const failure = details.failed ? `${fc.defaultReportMessage(details) ?? "failed"}${error}` : undefined;
  const proved = details.failed ? details.numRuns - 1 : runs;
  return { runs: proved, seed, deployable, refused, largest, ...(failure === undefined ? {} : { failure }) };
}
