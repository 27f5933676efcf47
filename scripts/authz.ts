/**
 * `npm run authz -- [--json]`: the offline authorization proof. Synthesizes every configuration of PROOF_CONFIGURATIONS (default, production-like, scale, cross-account),
 * prints who may do what (the matrix, or with --json one JSON document), and exits 1 when any required call is denied or any forbidden call allowed
 * (2 when the proof itself cannot run, or on bad usage).
 */
import * as path from "node:path";
import { parseArgs, reportUsageError } from "../lib/cli/args";
import { UsageError } from "../lib/cli/errors";
import { proofsJson, reportProofs } from "../lib/authz/matrix";
import { runProof } from "../lib/authz/proof";

const USAGE = `Usage: npm run authz -- [--json]

The offline authorization proof: synthesizes the default, a production-like, the scale and the cross-account
configurations, rebuilds every policy from the synthesized JSON, and decides each call as AWS would
(@cloud-copilot/iam-simulate). Prints who may do what, per configuration. No AWS account, no network.

  --json   print one JSON document (every configuration's calls and decisions) instead of the matrix
  --help   show this text

Exit status: 0 when every required call is allowed and every forbidden call refused, 1 otherwise (each call
named on stderr), 2 when the proof cannot run (a synthesis error, say) or on bad usage.`;

let json = false;
try {
  const parsed = parseArgs(process.argv.slice(2), { options: { "--json": "flag" } });
  if (parsed.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  json = parsed.flags.has("--json");
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.exit(reportUsageError("authz", error, (text) => process.stderr.write(text)));
}

runProof(path.resolve(__dirname, "..")).then(
  (proofs) => {
    if (!json) process.exit(reportProofs(proofs, { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }));
    const document = proofsJson(proofs);
    process.stdout.write(`${JSON.stringify(document, null, 2)}\n`, () => process.exit(document.ok === true ? 0 : 1));
  },
  (error: unknown) => {
    process.stderr.write(`authz: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
