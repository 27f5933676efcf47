import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../constructs/bundle-handler";
import { typescriptArgs } from "../../lib/cli/run-typescript";

const EXAMPLE = "deployments/example.env";

/** Runs `main.ts` as `cdktf synth` does, with only the given configuration; the caller removes `outdir`. */
function runMain(env: Record<string, string>, outdir: string): { status: number | null; stdout: string; stderr: string } {
  const clean: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith("LOG_MONITOR_") && key !== "AWS_REGION" && key !== "AWS_DEFAULT_REGION") clean[key] = value;
  }
  const result = spawnSync(process.execPath, typescriptArgs("main.ts"), {
    cwd: PROJECT_ROOT,
    env: { ...clean, ...env, CDKTF_OUTDIR: outdir },
    encoding: "utf8",
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every stack's cdk.tf.json, by stack, exactly as written. */
function stackFiles(outdir: string): Record<string, string> {
  const stacks = path.join(outdir, "stacks");
  return Object.fromEntries(
    fs.readdirSync(stacks).sort().map((stack) => [stack, fs.readFileSync(path.join(stacks, stack, "cdk.tf.json"), "utf8")]),
  );
}

/**
 * The example's variables read the plainest way (every non-comment line split at its first "="), independently of
 * config/deployment-file.ts, as a person would export them.
 */
function exampleAsExports(): Record<string, string> {
  const lines = fs.readFileSync(path.join(PROJECT_ROOT, EXAMPLE), "utf8").split("\n");
  return Object.fromEntries(
    lines.filter((line) => line.trim() !== "" && !line.startsWith("#")).map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
}

describe("a deployment file, as cdktf synth reads it", () => {
  const outdirs: string[] = [];
  const newOutdir = (): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "log-monitor-deployment-"));
    outdirs.push(dir);
    return dir;
  };
  afterAll(() => outdirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it(`LOG_MONITOR_DEPLOYMENT=${EXAMPLE} synthesizes byte for byte what exporting its variables does`, () => {
    const exports = exampleAsExports();
    const byFile = newOutdir();
    const byExports = newOutdir();

    const fromFile = runMain({ LOG_MONITOR_DEPLOYMENT: EXAMPLE }, byFile);
    const fromExports = runMain(exports, byExports);

    expect([fromFile.status, fromFile.stderr]).toEqual([0, ""]);
    expect([fromExports.status, fromExports.stderr]).toEqual([0, ""]);
    const files = stackFiles(byFile);
    expect(Object.keys(files)).toEqual(["alerting", "dashboard", "processing", "state"]);
    expect(files).toEqual(stackFiles(byExports));
    // Not the defaults: the file's settings are in the plan (region, state bucket, groups, budget, chat).
    const alerting = files["alerting"] as string;
    expect(alerting).toContain('"bucket": "log-monitor-tfstate-123456789012-eu-west-1"');
    expect(alerting).toContain('"key": "log-monitor/eu-west-1/example/alerting.tfstate"');
    expect(alerting).toContain('"use_lockfile": true');
    expect(alerting).toContain("/aws/lambda/orders");
    expect(alerting).toContain("aws_budgets_budget");
    expect(alerting).toContain("aws_chatbot_slack_channel_configuration");
  }, 180_000);

  it("refuses, in one line and before synthesizing, an environment that disagrees with the file", () => {
    const result = runMain({ LOG_MONITOR_DEPLOYMENT: EXAMPLE, LOG_MONITOR_ENV: "prod" }, newOutdir());

    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `log-monitor: LOG_MONITOR_ENV: "prod" is set in the environment, but ${EXAMPLE} (line 18) sets "example": unset it, or change the file, so that deploy and the PR diff read the same value\n`,
    );
  });

  it("the example names every variable of the configuration table (set, or commented out with a value)", () => {
    // The full table of variables is docs/configuration.md's (the README's is its one-screen summary).
    const table = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "configuration.md"), "utf8");
    const documented = [...table.matchAll(/^\| `((?:LOG_MONITOR_|AWS_)[A-Z0-9_]+)` \|/gm)]
      .map((match) => match[1] as string)
      // The file cannot name itself.
      .filter((name) => name !== "LOG_MONITOR_DEPLOYMENT");
    const example = fs.readFileSync(path.join(PROJECT_ROOT, EXAMPLE), "utf8");

    expect(documented.length).toBeGreaterThanOrEqual(30);
    expect(documented.filter((name) => !new RegExp(`^(# )?${name}=\\S`, "m").test(example))).toEqual([]);
  });
});
