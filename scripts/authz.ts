/**
 * `npm run authz`: the offline authorization proof. Synthesizes the default and a production-like configuration,
 * prints who may do what (the matrix), and exits 1 when any required call is denied or any forbidden call allowed
 * (2 when the proof itself cannot run).
 */
import * as path from "node:path";
import { reportProofs } from "../lib/authz/matrix";
import { runProof } from "../lib/authz/proof";

runProof(path.resolve(__dirname, "..")).then(
  (proofs) => process.exit(reportProofs(proofs, { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) })),
  (error: unknown) => {
    process.stderr.write(`authz: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
