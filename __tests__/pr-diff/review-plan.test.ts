import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../../constructs/bundle-handler";
import { typescriptArgs } from "../../lib/cli/run-typescript";
import { commentFileProblem, LOCK_FREE_PLAN_ARGUMENT, reviewDiffCommand } from "../../lib/pr-diff/review-plan";

/**
 * Runs `scripts/pr-diff.ts` with a stand-in `npx` first on the PATH that records each call (its arguments and
 * TF_CLI_ARGS_plan) and prints "No changes.": what pr-diff starts, without Terraform, AWS or a network.
 */
function runPrDiff(commentFile: string): { status: number | null; stderr: string; calls: string[] } {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), "pr-diff-bin-"));
  const log = path.join(bin, "calls.log");
  fs.writeFileSync(
    path.join(bin, "npx"),
    `#!/bin/sh\nprintf '%s | TF_CLI_ARGS_plan=%s\\n' "$*" "$TF_CLI_ARGS_plan" >> "${log}"\necho "No changes."\n`,
    { mode: 0o755 },
  );
  const run = spawnSync(process.execPath, typescriptArgs("scripts/pr-diff.ts", commentFile), {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`, TF_CLI_ARGS_plan: "", GITHUB_SHA: "0123456789abcdef" },
    encoding: "utf8",
  });
  const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [];
  return { status: run.status, stderr: run.stderr, calls };
}

describe("review plan (pr-diff)", () => {
  it("runs cdktf diff on the synthesized app with Terraform's plan told not to lock the state", () => {
    const command = reviewDiffCommand("processing", { PATH: "/usr/bin", AWS_REGION: "eu-west-1" });

    expect(command).toEqual({
      command: "npx",
      args: ["cdktf", "diff", "processing", "--skip-synth", "--no-color"],
      env: { PATH: "/usr/bin", AWS_REGION: "eu-west-1", TF_CLI_ARGS_plan: "-lock=false" },
    });
    expect(LOCK_FREE_PLAN_ARGUMENT).toBe("-lock=false");
  });

  it("keeps plan arguments already set, with -lock=false last so that it wins", () => {
    expect(reviewDiffCommand("alerting", { TF_CLI_ARGS_plan: "-refresh=false -lock=true" }).env["TF_CLI_ARGS_plan"]).toBe("-refresh=false -lock=true -lock=false");
    expect(reviewDiffCommand("alerting", { TF_CLI_ARGS_plan: "  " }).env["TF_CLI_ARGS_plan"]).toBe("-lock=false");
  });

  it("relies on what cdktf-cli 0.21 does: terraform plan from its own flags only, started with the caller's environment", () => {
    // If an upgrade changes this, TF_CLI_ARGS_plan may no longer reach Terraform: read TerraformCli.plan again.
    const handlers = fs.readFileSync(path.join(PROJECT_ROOT, "node_modules", "cdktf-cli", "bundle", "bin", "cmds", "handlers.js"), "utf8");
    const plan = /async plan\(e\)\{[\s\S]*?\}async deploy\(/.exec(handlers)?.[0] ?? "";

    expect(plan).toContain('["plan","-input=false"]');
    expect(plan).toContain("env:process.env");
    expect(plan).not.toContain("-lock");
    expect(JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "node_modules", "cdktf-cli", "package.json"), "utf8")).version).toBe("0.21.0");
  });

  describe("comment file, checked before any diff", () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "pr-diff-comment-"));

    it("accepts a new file in an existing folder and leaves nothing behind", () => {
      const file = path.join(folder, "new.md");
      expect(commentFileProblem(file)).toBeUndefined();
      expect(fs.existsSync(file)).toBe(false);
    });

    it("accepts an existing file without emptying it", () => {
      const file = path.join(folder, "old.md");
      fs.writeFileSync(file, "previous comment");
      expect(commentFileProblem(file)).toBeUndefined();
      expect(fs.readFileSync(file, "utf8")).toBe("previous comment");
    });

    it("names a missing folder, a folder given as the file, and a file under a file", () => {
      fs.writeFileSync(path.join(folder, "plain"), "");
      expect(commentFileProblem(path.join(folder, "missing", "comment.md"))).toBe(`the folder ${path.join(folder, "missing")} does not exist`);
      expect(commentFileProblem(folder)).toBe("is a folder, not a file");
      expect(commentFileProblem(path.join(folder, "plain", "comment.md"))).toBe(`${path.join(folder, "plain")} is not a folder`);
    });

    const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
    (isRoot ? it.skip : it)("names a folder it may not write in", () => {
      const locked = path.join(folder, "locked");
      fs.mkdirSync(locked, { mode: 0o555 });
      expect(commentFileProblem(path.join(locked, "comment.md"))).toBe("cannot be written (permission denied)");
    });
  });

  it("exits 2 with one line before running any diff when the comment cannot be written", () => {
    const missing = path.join(os.tmpdir(), "no-such-folder-for-pr-diff", "diff-comment.md");

    const result = runPrDiff(missing);

    expect(result.calls).toEqual([]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`pr-diff: ${missing}: the folder ${path.dirname(missing)} does not exist; no diff was run\n`);
  });

  it("diffs the three stacks in deploy order, each lock-free, and writes the comment", () => {
    const comment = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pr-diff-out-")), "diff-comment.md");

    const result = runPrDiff(comment);

    expect(result.status).toBe(0);
    expect(result.calls).toEqual([
      "cdktf diff alerting --skip-synth --no-color | TF_CLI_ARGS_plan=-lock=false",
      "cdktf diff processing --skip-synth --no-color | TF_CLI_ARGS_plan=-lock=false",
      "cdktf diff dashboard --skip-synth --no-color | TF_CLI_ARGS_plan=-lock=false",
    ]);
    expect(fs.readFileSync(comment, "utf8")).toContain("### `dashboard`\n\n**No changes.**");
  });
});
