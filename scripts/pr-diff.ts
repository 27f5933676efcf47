import { spawnSync } from "child_process";
import * as fs from "fs";
import { parseArgs, readCommandLine } from "../lib/cli/args";
import { EXIT_OK, EXIT_USAGE, runTool, UsageError } from "../lib/cli/errors";
import { classifyFailedDiff, renderDiffComment, StackDiff } from "../lib/pr-diff/diff-report";
import { commentFileProblem, reviewDiffCommand } from "../lib/pr-diff/review-plan";

/**
 * `npm run pr-diff -- <comment-file>`: runs `cdktf diff` for each stack in deploy order on an already synthesized
 * app and writes the pull-request comment to the file. Used by .github/workflows/diff.yml; exits 1 only when a
 * diff failed for a reason other than an undeployed producer, after writing the comment. The comment file is checked
 * before the first diff, and each plan runs without a state lock (lib/pr-diff/review-plan.ts).
 */
const DEPLOY_ORDER: readonly { stack: string; readsFrom: readonly string[] }[] = [
  { stack: "alerting", readsFrom: [] },
  { stack: "processing", readsFrom: ["alerting"] },
  { stack: "dashboard", readsFrom: ["alerting", "processing"] },
];

/** Usage text of `npm run pr-diff`. */
export const PR_DIFF_USAGE = `Usage: npm run pr-diff -- <comment-file>

Runs \`cdktf diff\` for alerting, processing and dashboard (in deploy order) on the already synthesized app
(run \`npx cdktf synth\` first), prints each plan, and writes the pull-request comment, in Markdown, to
<comment-file>. Needs AWS credentials and read access to the deployed state: each plan runs with
TF_CLI_ARGS_plan=-lock=false, so it writes no lock object to the state bucket. <comment-file> must be writable
(its folder must exist); that is checked before any diff runs. Used by .github/workflows/diff.yml.

  --help   show this text

Exit status: 0 when every diff ran or waits for an undeployed producer, 1 when a diff failed (the comment is
written first), 2 on bad usage or a comment file that cannot be written (before any diff runs).`;

/** Parses the arguments: `--help`, or exactly one comment file. */
export function parsePrDiffArgs(args: readonly string[]): { readonly help: true } | { readonly help: false; readonly outputFile: string } {
  const parsed = parseArgs(args, { options: {}, positionals: { max: 1, name: "comment file" } });
  if (parsed.help) return { help: true };
  const [outputFile] = parsed.positionals;
  if (outputFile === undefined) throw new UsageError("the comment file is required");
  return { help: false, outputFile };
}

function main(): number {
  const options = readCommandLine("pr-diff", PR_DIFF_USAGE, () => parsePrDiffArgs(process.argv.slice(2)));
  if (typeof options === "number") return options;
  const problem = commentFileProblem(options.outputFile);
  if (problem !== undefined) {
    process.stderr.write(`pr-diff: ${options.outputFile}: ${problem}; no diff was run\n`);
    return EXIT_USAGE;
  }
  const diffs: StackDiff[] = DEPLOY_ORDER.map(({ stack, readsFrom }) => {
    const { command, args, env } = reviewDiffCommand(stack, process.env);
    const run = spawnSync(command, args, { encoding: "utf8", env, maxBuffer: 64 * 1024 * 1024 });
    const output = `${run.stdout ?? ""}${run.stderr ?? ""}`;
    process.stdout.write(output);
    return run.status === 0 ? { stack, kind: "planned", output } : classifyFailedDiff(stack, output, readsFrom);
  });
  fs.writeFileSync(options.outputFile, renderDiffComment(diffs, process.env.GITHUB_SHA ?? "local"));
  return diffs.some((d) => d.kind === "failed") ? 1 : EXIT_OK;
}

if (require.main === module) runTool("pr-diff", main);
