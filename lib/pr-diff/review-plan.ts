/**
 * How `npm run pr-diff` runs a review plan, as data, so that the arguments are tested without Terraform or AWS.
 *
 * A review plan must not lock the state. With the S3 backend's `use_lockfile = true` (stacks/, via an override),
 * Terraform locks the state for every operation that could write it, plan included, by writing a lock object
 * (`<key>.tflock`) beside the state in the bucket: the pull-request role, which may only read the bucket, cannot
 * write it, and a review should not block a deploy anyway. Terraform's `-lock=false` turns that off for one command
 * (developer.hashicorp.com/terraform/language/state/locking: "You can disable state locking for most commands with
 * the -lock=false flag"; /terraform/cli/commands/plan, "Other Options": "-lock=false: Don't hold a state lock during
 * the operation"; /terraform/language/backend/s3, "State Locking", `use_lockfile`).
 *
 * cdktf 0.21 has no option for it: `cdktf diff` takes `--refresh-only`, `--terraform-parallelism`, `--var`,
 * `--var-file`, `--no-color`, `--migrate-state`, `--skip-synth`, `--skip-provider-lock`, and its plan call builds
 * `terraform plan -input=false -out plan [...]` from those alone (node_modules/cdktf-cli/bundle/bin/cmds/handlers.js,
 * `TerraformCli.plan`). It does start Terraform with the caller's environment (`env: process.env`), and Terraform
 * reads extra arguments for one subcommand from `TF_CLI_ARGS_<subcommand>`
 * (developer.hashicorp.com/terraform/cli/config/environment-variables, "TF_CLI_ARGS and TF_CLI_ARGS_name"); a
 * CDKTF maintainer points to the same variable for `-refresh=false` (hashicorp/terraform-cdk#3539). So the review
 * plan is `cdktf diff` with `TF_CLI_ARGS_plan` carrying `-lock=false`. Only `plan` gets it: `terraform init`, which
 * cdktf runs first, takes no lock unless it migrates state.
 */

import * as fs from "fs";
import * as path from "path";

/** The Terraform argument that keeps a review plan from writing a lock object. */
export const LOCK_FREE_PLAN_ARGUMENT = "-lock=false";

/** A process to start: the command, its arguments and its whole environment. */
export interface ReviewDiffCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * `cdktf diff <stack>` on the synthesized app, with Terraform's plan told not to lock the state. Any
 * `TF_CLI_ARGS_plan` already set is kept, with `-lock=false` last so that it wins over an earlier `-lock`.
 */
export function reviewDiffCommand(stack: string, env: Readonly<Record<string, string | undefined>>): ReviewDiffCommand {
  const existing = env.TF_CLI_ARGS_plan?.trim() ?? "";
  return {
    command: "npx",
    args: ["cdktf", "diff", stack, "--skip-synth", "--no-color"],
    env: { ...env, TF_CLI_ARGS_plan: existing === "" ? LOCK_FREE_PLAN_ARGUMENT : `${existing} ${LOCK_FREE_PLAN_ARGUMENT}` },
  };
}

/**
 * Why the comment cannot be written to `file`, or `undefined` when it can: its folder exists and is a folder, and the
 * file can be created (or, when it exists, opened for writing). Checked before any diff runs, so that minutes of
 * plans are not thrown away for a typo in a path. Leaves no file behind when there was none.
 */
export function commentFileProblem(file: string): string | undefined {
  const folder = path.dirname(path.resolve(file));
  let folderStat: fs.Stats;
  try {
    folderStat = fs.statSync(folder);
  } catch {
    return `the folder ${path.dirname(file)} does not exist`;
  }
  if (!folderStat.isDirectory()) return `${path.dirname(file)} is not a folder`;
  let existing: fs.Stats | undefined;
  try {
    existing = fs.statSync(file);
  } catch {
    existing = undefined;
  }
  if (existing?.isDirectory()) return "is a folder, not a file";
  try {
    // "r+" opens an existing file for writing without emptying it; "wx" creates a new one, removed again below.
    const fd = fs.openSync(file, existing === undefined ? "wx" : "r+");
    fs.closeSync(fd);
    if (existing === undefined) fs.unlinkSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "EACCES" || code === "EPERM" || code === "EROFS" ? "cannot be written (permission denied)" : `cannot be written (${(error as Error).message})`;
  }
  return undefined;
}
