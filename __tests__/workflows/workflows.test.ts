import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../../constructs/bundle-handler";

const WORKFLOWS = path.join(PROJECT_ROOT, ".github", "workflows");
const VALIDATOR = path.join(PROJECT_ROOT, "node_modules", "@action-validator", "cli", "cli.mjs");

/** Runs action-validator (GitHub's workflow schema, offline, as WebAssembly) on one file. */
function validate(file: string): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [VALIDATOR, file], { encoding: "utf8" });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/**
 * What a workflow passes to the app besides the deployment selector: every `LOG_MONITOR_*` name outside comments
 * (in an `env:` map, a `run:` line such as `LOG_MONITOR_ENV=prod npx cdktf synth` or `>> "$GITHUB_ENV"`, or a
 * `vars.` reference feeding a value), and every `env:` key other than the allowed ones. The role ARN is allowed
 * only as the credentials action's `role-to-assume`, where it configures AWS access, not the app.
 */
function configurationPassedBy(workflow: string): string[] {
  const found: string[] = [];
  const lines = workflow.split("\n");
  lines.forEach((line, index) => {
    if (line.trim().startsWith("#")) return;
    const code = line.replace(/\s#.*$/, "");
    for (const name of code.match(/LOG_MONITOR_[A-Z0-9_]*[A-Z0-9]/g) ?? []) {
      if (name === "LOG_MONITOR_DEPLOYMENT") continue;
      if (name === "LOG_MONITOR_DIFF_ROLE_ARN" && /^\s*role-to-assume: \$\{\{ vars\.LOG_MONITOR_DIFF_ROLE_ARN \}\}$/.test(code)) continue;
      found.push(`line ${index + 1}: ${name}`);
    }
    const envBlock = /^(\s*)env:\s*$/.exec(code);
    if (envBlock === null) return;
    const indent = (envBlock[1] as string).length;
    for (const entry of lines.slice(index + 1)) {
      const key = /^(\s*)([A-Za-z_][A-Za-z0-9_]*):/.exec(entry);
      if (entry.trim() === "" || entry.trim().startsWith("#")) continue;
      if (key === null || (key[1] as string).length <= indent) break;
      if (!["CHECKPOINT_DISABLE", "LOG_MONITOR_DEPLOYMENT"].includes(key[2] as string)) found.push(`env: ${key[2]}`);
    }
  });
  return [...new Set(found)];
}

describe("GitHub workflows", () => {
  it.each(["ci.yml", "diff.yml"])("%s is a valid workflow", (name) => {
    const result = validate(path.join(WORKFLOWS, name));
    expect(result).toEqual({ status: 0, output: "" });
  });

  it("the validator rejects a broken workflow, so the check above can fail", () => {
    const broken = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "workflow-")), "broken.yml");
    fs.writeFileSync(broken, fs.readFileSync(path.join(WORKFLOWS, "ci.yml"), "utf8").replace("runs-on:", "runs_on:"));
    expect(validate(broken).status).not.toBe(0);
  });

  it("ci installs from the lockfile, tests and synthesizes on every push and pull request", () => {
    const ci = fs.readFileSync(path.join(WORKFLOWS, "ci.yml"), "utf8");
    expect(ci).toMatch(/on:\n  push:\n  pull_request:/);
    expect(ci).toContain("run: npm ci");
    expect(ci).toContain("run: npm test");
    expect(ci).toContain("run: npx cdktf synth");
  });

  it("diff uses OpenID Connect with a role from a repository variable, and no long-lived keys", () => {
    const diff = fs.readFileSync(path.join(WORKFLOWS, "diff.yml"), "utf8");
    expect(diff).toContain("id-token: write");
    expect(diff).toContain("role-to-assume: ${{ vars.LOG_MONITOR_DIFF_ROLE_ARN }}");
    expect(diff).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/);
    expect(diff).toContain("pull-requests: write");
    expect(diff).toContain("npx cdktf synth");
    expect(diff).toContain("npm run --silent pr-diff");
  });

  it("diff passes the app only LOG_MONITOR_DEPLOYMENT, so the plan is the deployment file's (issue 17)", () => {
    const diff = fs.readFileSync(path.join(WORKFLOWS, "diff.yml"), "utf8");

    expect(configurationPassedBy(diff)).toEqual([]);
    expect(diff).toContain("LOG_MONITOR_DEPLOYMENT: ${{ vars.LOG_MONITOR_DEPLOYMENT }}");
    // The region comes from the file as well, through the same reader as synth.
    expect(diff).toContain('region="$(npm run --silent deployment -- --region)"');
    expect(diff).toContain("aws-region: ${{ steps.deployment.outputs.region }}");
  });

  it("the check above finds a variable copied by hand, in env, in a run line, or as the region", () => {
    const diff = fs.readFileSync(path.join(WORKFLOWS, "diff.yml"), "utf8");
    const withEnv = diff.replace(
      "      LOG_MONITOR_DEPLOYMENT: ${{ vars.LOG_MONITOR_DEPLOYMENT }}\n",
      "      LOG_MONITOR_DEPLOYMENT: ${{ vars.LOG_MONITOR_DEPLOYMENT }}\n      LOG_MONITOR_LOG_GROUPS: ${{ vars.LOG_MONITOR_LOG_GROUPS }}\n      AWS_REGION: ${{ vars.AWS_REGION }}\n",
    );
    const inRun = diff.replace("run: npx cdktf synth", "run: LOG_MONITOR_ENV=prod npx cdktf synth");

    expect([...configurationPassedBy(withEnv)].sort()).toEqual(["env: AWS_REGION", "env: LOG_MONITOR_LOG_GROUPS", expect.stringMatching(/^line \d+: LOG_MONITOR_LOG_GROUPS$/)]);
    expect(configurationPassedBy(inRun)).toEqual([expect.stringMatching(/^line \d+: LOG_MONITOR_ENV$/)]);
  });
});
