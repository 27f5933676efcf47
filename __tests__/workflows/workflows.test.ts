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
});
