/**
 * Prints the proof's results as a table a reviewer reads in a terminal: principal, action, resource, expected,
 * decision, and the statements that decided, one row per call, grouped by configuration.
 */
import { ConfigurationProof, describeResult } from "./proof";

const COLUMNS = ["principal", "action", "resource", "why", "expected", "decision", "deciding statement", ""] as const;

/** The ARN without the partition, region and account the whole configuration shares, so rows fit a terminal. */
function shortResource(arn: string, region: string, account: string): string {
  return arn.replace(`arn:aws:`, "").replace(`:${region}:${account}:`, "::").replace(`::${account}:`, "::");
}

/** Renders one configuration's matrix. */
export function renderMatrix(proof: ConfigurationProof): string {
  const { model } = proof;
  const rows = proof.results.map((result) => [
    result.call.principal.label,
    result.call.action,
    shortResource(result.call.resource, model.region, model.account),
    result.call.purpose,
    result.call.expected,
    result.decision,
    result.decidingStatements,
    result.passed ? "ok" : "FAIL",
  ]);
  const widths = COLUMNS.map((title, index) => Math.max(title.length, ...rows.map((row) => (row[index] ?? "").length)));
  const line = (cells: readonly string[]): string => cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join("  ").trimEnd();
  const failed = proof.results.filter((result) => !result.passed).length;
  return [
    `== ${proof.configuration.name} (environment ${model.environment}, ${model.region}, account ${model.account}): ` +
      `${proof.results.length} calls, ${failed === 0 ? "all as expected" : `${failed} NOT as expected`}`,
    `   resources are shown without "arn:aws:" and, as "::", without this region and account`,
    ...proof.assumptions.map((assumption) => `   assumed: ${assumption}`),
    line(COLUMNS),
    line(widths.map((width) => "-".repeat(width))),
    ...rows.map(line),
  ].join("\n");
}

/** Where {@link reportProofs} writes. */
export interface ReportStreams {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/**
 * Prints every configuration's matrix, then either the all-clear or one line per call not decided as expected.
 * Returns the exit code of `npm run authz`: 0 when every call is as expected, 1 otherwise.
 */
export function reportProofs(proofs: readonly ConfigurationProof[], streams: ReportStreams): number {
  for (const proof of proofs) streams.stdout(`${renderMatrix(proof)}\n\n`);
  const failed = proofs.flatMap((proof) =>
    proof.results.filter((result) => !result.passed).map((result) => `${proof.configuration.name}: ${describeResult(result)}`),
  );
  if (failed.length === 0) {
    streams.stdout("authz: every required call is allowed and every forbidden call refused, in every configuration.\n");
    return 0;
  }
  streams.stderr(`authz: ${failed.length} call(s) not decided as expected:\n${failed.map((line) => `  ${line}`).join("\n")}\n`);
  return 1;
}

/**
 * `npm run authz -- --json`: the proofs as one JSON document, one entry per configuration with every call, its
 * expected and actual decision and the deciding statements; `ok` is what the exit status says.
 */
export function proofsJson(proofs: readonly ConfigurationProof[]): Record<string, unknown> {
  return {
    ok: proofs.every((proof) => proof.results.every((result) => result.passed)),
    configurations: proofs.map((proof) => ({
      name: proof.configuration.name,
      environment: proof.model.environment,
      region: proof.model.region,
      account: proof.model.account,
      assumptions: proof.assumptions,
      calls: proof.results.map((result) => ({
        principal: result.call.principal.label,
        action: result.call.action,
        resource: result.call.resource,
        why: result.call.purpose,
        expected: result.call.expected,
        decision: result.decision,
        decidingStatements: result.decidingStatements,
        passed: result.passed,
      })),
    })),
  };
}
