/**
 * `npm run authz`: by default, the authorization proof of the configuration in the environment (the same
 * `LOG_MONITOR_*` and AWS region variables `cdktf synth` reads, refused the same way), plus the request-constraint
 * checks (lib/aws-constraints: statement ids unique per function, every policy within its quota); `--samples` proves
 * the sample matrix instead (PROOF_CONFIGURATIONS); `--json` prints the outcome as JSON.
 */
import { operatorPolicy } from "./operator";
import * as fc from "fast-check";
import { ConfigurationError, loadConfig } from "../../config/config";
import { configurationArbitrary } from "../prove/configurations";
import { checkApp, Violation } from "../aws-constraints/check";
import { synthesizeConfig } from "../aws-constraints/synthesize";
import { parseArgs } from "../cli/args";
import { EXIT_FAILURE, EXIT_OK, UsageError } from "../cli/errors";
import { reportProofs } from "./matrix";
import { ConfigurationProof, PROOF_CONFIGURATIONS, ProofConfiguration, runProof } from "./proof";

export const AUTHZ_HELP = `Usage: npm run authz -- [--samples | --generated N [--seed S] | --operator-policy] [--json] [--help]

Proves, offline, who may do what in the configuration of the environment: the same LOG_MONITOR_* variables and
AWS region (AWS_REGION, AWS_DEFAULT_REGION, the profile's region) as npx cdktf synth. Every call the system needs
must be allowed and every call that must be refused denied; the synthesized Terraform must meet AWS's request
constraints and quotas (unique Lambda statement ids, policy sizes; lib/aws-constraints).

  --samples       prove the sample configurations instead (default, production-like, scale, cross-account)
  --generated N   prove N configurations generated as npm run prove generates them (those synth accepts)
  --seed S        the generator's seed for --generated (default 1)
  --operator-policy  print the least-privilege IAM policy (JSON) for the people who run npm run incidents in this
                  environment (list, mute, resolve, ignore, reopen), as the proof evaluates it, to attach to their role
  --json          print the outcome as JSON on stdout
  --help          this text

Exit status: 0 all as expected, 1 a call not decided as expected or a constraint broken, 2 bad usage or configuration.
`;

/** The variables of the environment synth reads: the project's, and the AWS ones that resolve the region. */
export function configurationEnvironment(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (key.startsWith("LOG_MONITOR_") || ["AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_CONFIG_FILE", "HOME", "USERPROFILE"].includes(key)) {
      picked[key] = value;
    }
  }
  return picked;
}

/**
 * `count` generated configurations (lib/prove/configurations.ts) that synth accepts, named by their index; those it
 * refuses are skipped (the deployability proof covers them).
 */
export function generatedConfigurations(count: number, seed: number): ProofConfiguration[] {
  const accepted: ProofConfiguration[] = [];
  let index = 0;
  for (const env of fc.sample(configurationArbitrary(), { numRuns: count * 4, seed })) {
    if (accepted.length >= count) break;
    index++;
    try {
      loadConfig(env, { readFile: () => undefined });
    } catch (error) {
      if (error instanceof ConfigurationError) continue;
      throw error;
    }
    accepted.push({ name: `generated #${index} (seed ${seed})`, env });
  }
  return accepted;
}

/** Where the command writes. */
export interface AuthzStreams {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Runs `npm run authz` with these arguments and environment; returns the exit status. */
export async function runAuthz(args: readonly string[], env: Readonly<Record<string, string | undefined>>, projectRoot: string, streams: AuthzStreams): Promise<number> {
  const parsed = parseArgs(args, { options: { "--samples": "flag", "--json": "flag", "--generated": "value", "--seed": "value", "--operator-policy": "flag" } });
  if (parsed.help) {
    streams.stdout(AUTHZ_HELP);
    return EXIT_OK;
  }
  const wholeNumber = (name: string): number | undefined => {
    const value = parsed.values.get(name);
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) throw new UsageError(`${name} needs a whole number`);
    return Number(value);
  };
  const generated = wholeNumber("--generated");
  const seed = wholeNumber("--seed") ?? 1;
  const samples = parsed.flags.has("--samples");
  if (samples && generated !== undefined) throw new UsageError("--samples and --generated exclude each other");
  const json = parsed.flags.has("--json");
  if (parsed.flags.has("--operator-policy")) {
    if (samples || generated !== undefined) throw new UsageError("--operator-policy prints the policy of the configuration in the environment: it takes no --samples or --generated");
    const configuration = { name: "configuration in the environment", env: configurationEnvironment(env) };
    loadConfig(configuration.env);
    const [proof] = (await runProof(projectRoot, [configuration])) as [ConfigurationProof];
    const { model } = proof;
    // A key the app creates has no ARN before it is applied: name it by its alias, for the reader to replace.
    let text = JSON.stringify(operatorPolicy(model), null, 2);
    for (const keyArn of model.keys.keys()) text = text.split(keyArn).join(`ARN_OF_KEY_alias/log-monitor-${model.environment}`);
    streams.stdout(`${text}\n`);
    const replace = [
      ...(configuration.env.LOG_MONITOR_ACCOUNT_ID === undefined ? [`the account ${model.account} with yours (or set LOG_MONITOR_ACCOUNT_ID)`] : []),
      ...(model.keys.size > 0 ? [`ARN_OF_KEY_alias/log-monitor-${model.environment} with the output of: aws kms describe-key --key-id alias/log-monitor-${model.environment} --query KeyMetadata.Arn`] : []),
    ];
    if (replace.length > 0) streams.stderr(`authz: before attaching it, replace ${replace.join("; and ")}\n`);
    return proof.results.some((result) => !result.passed) ? EXIT_FAILURE : EXIT_OK;
  }
  const configurations: readonly ProofConfiguration[] = samples
    ? PROOF_CONFIGURATIONS
    : generated !== undefined
      ? generatedConfigurations(generated, seed)
      : [{ name: "configuration in the environment", env: configurationEnvironment(env) }];
  // Refused the same way as synth, before anything is synthesized (a ConfigurationError is one line, exit 2).
  const configs = configurations.map((configuration) => loadConfig(configuration.env));
  const proofs = await runProof(projectRoot, configurations);
  const violations = configs.map((config) => checkApp(synthesizeConfig(config)));
  if (json) {
    streams.stdout(`${JSON.stringify(jsonReport(proofs, violations.map((v) => v.violations)), null, 2)}\n`);
  } else {
    const status = reportProofs(proofs, streams);
    const broken = violations.flatMap((report, index) => report.violations.map((v) => `${configurations[index]?.name}: ${describeViolation(v)}`));
    if (broken.length > 0) {
      streams.stderr(`authz: ${broken.length} request constraint(s) or quota(s) broken:\n${broken.map((line) => `  ${line}`).join("\n")}\n`);
      return EXIT_FAILURE;
    }
    return status;
  }
  const failed = proofs.some((proof) => proof.results.some((result) => !result.passed)) || violations.some((report) => report.violations.length > 0);
  return failed ? EXIT_FAILURE : EXIT_OK;
}

function describeViolation(v: Violation): string {
  return `${v.stack} ${v.resource} ${v.argument}: ${v.problem} (${v.source})`;
}

function jsonReport(proofs: readonly ConfigurationProof[], violations: readonly (readonly Violation[])[]): unknown {
  return {
    passed: proofs.every((proof) => proof.results.every((result) => result.passed)) && violations.every((list) => list.length === 0),
    configurations: proofs.map((proof, index) => ({
      name: proof.configuration.name,
      variables: Object.fromEntries(Object.entries(proof.configuration.env).filter(([key]) => key !== "HOME" && key !== "USERPROFILE")),
      assumptions: proof.assumptions,
      calls: proof.results.map((result) => ({
        principal: result.call.principal.label,
        action: result.call.action,
        resource: result.call.resource,
        purpose: result.call.purpose,
        expected: result.call.expected,
        decision: result.decision,
        passed: result.passed,
        decidingStatements: result.decidingStatements,
      })),
      constraintViolations: (violations[index] ?? []).map((v) => ({ ...v })),
    })),
  };
}
