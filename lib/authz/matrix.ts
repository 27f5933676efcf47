/**
 * Prints the proof's results as a table a reviewer reads in a terminal: principal, action, resource, expected,
 * decision, and the statements that decided, one row per call, grouped by configuration.
 */
import type { ConfigurationProof } from "./proof";

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
