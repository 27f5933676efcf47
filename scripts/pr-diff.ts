import { spawnSync } from "child_process";
import * as fs from "fs";
import { classifyFailedDiff, renderDiffComment, StackDiff } from "../lib/pr-diff/diff-report";

/**
 * Runs `cdktf diff` for each stack in deploy order on an already synthesized app and writes the pull-request
 * comment to the file named by the first argument. Used by .github/workflows/diff.yml; exits 1 only when a
 * diff failed for a reason other than an undeployed producer, after writing the comment.
 */
const DEPLOY_ORDER: readonly { stack: string; readsFrom: readonly string[] }[] = [
  { stack: "alerting", readsFrom: [] },
  { stack: "processing", readsFrom: ["alerting"] },
  { stack: "dashboard", readsFrom: ["alerting", "processing"] },
];

const outputFile = process.argv[2];
if (!outputFile) {
  process.stderr.write("usage: ts-node scripts/pr-diff.ts <comment-file>\n");
  process.exit(2);
}

const diffs: StackDiff[] = DEPLOY_ORDER.map(({ stack, readsFrom }) => {
  const run = spawnSync("npx", ["cdktf", "diff", stack, "--skip-synth", "--no-color"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const output = `${run.stdout ?? ""}${run.stderr ?? ""}`;
  process.stdout.write(output);
  return run.status === 0 ? { stack, kind: "planned", output } : classifyFailedDiff(stack, output, readsFrom);
});

fs.writeFileSync(outputFile, renderDiffComment(diffs, process.env.GITHUB_SHA ?? "local"));
process.exit(diffs.some((d) => d.kind === "failed") ? 1 : 0);
