/**
 * `npm run authz`: the offline authorization proof. Synthesizes the default and a production-like configuration,
 * prints who may do what (the matrix), and exits 1 when any required call is denied or any forbidden call allowed.
 */
import * as path from "node:path";
import { renderMatrix } from "../lib/authz/matrix";
import { describeResult, failures, runProof } from "../lib/authz/proof";

async function main(): Promise<number> {
  const proofs = await runProof(path.resolve(__dirname, ".."));
  for (const proof of proofs) process.stdout.write(`${renderMatrix(proof)}\n\n`);
  const failed = proofs.flatMap((proof) => failures(proof).map((result) => `${proof.configuration.name}: ${describeResult(result)}`));
  if (failed.length === 0) {
    process.stdout.write("authz: every required call is allowed and every forbidden call refused, in every configuration.\n");
    return 0;
  }
  process.stderr.write(`authz: ${failed.length} call(s) not decided as expected:\n${failed.map((line) => `  ${line}`).join("\n")}\n`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`authz: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
