import { spawnSync } from "node:child_process";
import { PROJECT_ROOT } from "../../constructs/bundle-handler";
import { typescriptArgs } from "../../lib/cli/run-typescript";
import { proveConfiguration, runDeployabilityProof } from "../../lib/prove/prove";

/**
 * The bounded, seeded run of the deployability proof (`npm run prove -- --runs N --seed S` runs more). Seed 2 with 8
 * configurations reaches, among others, two log groups sharing a 90+-character prefix (statement ids cut to 100
 * characters) and chat with silence alarms on 20+ long-named groups (the guardrail's size): with either fix reverted
 * this run fails (docs/deployable-configurations.md, "How it is proved").
 */
describe("every generated configuration deploys, or synth refuses it in one line naming the variable", () => {
  it("holds for a seeded run of 8 generated configurations", () => {
    const summary = runDeployabilityProof(8, 2);
    expect(summary.failure).toBeUndefined();
    expect(summary.runs).toBe(8);
    expect(summary.deployable).toBeGreaterThan(0);
  });

  it("refuses a configuration in one line naming the variable", () => {
    expect(proveConfiguration({ AWS_REGION: "us-east-9" }, "region")).toEqual({
      kind: "refused",
      variable: "AWS_REGION",
      line: 'log-monitor: AWS_REGION: "us-east-9" is not an AWS region: use a region of the aws, aws-cn or aws-us-gov partition, for example us-east-1 or eu-west-2',
    });
  });

  it("finds groups sharing a long prefix deployable: distinct statement ids", () => {
    const prefix = `/aws/lambda/${"x".repeat(90)}`;
    const outcome = proveConfiguration({ LOG_MONITOR_LOG_GROUPS: `${prefix}-0,${prefix}-1` }, "environment");
    expect(outcome.kind).toBe("deployable");
  });
});

describe("npm run prove", () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, typescriptArgs("scripts/prove.ts", ...args), { cwd: PROJECT_ROOT, encoding: "utf8" });

  it("prints its usage with --help (exit 0) and refuses an unknown flag or a bad number (exit 2, one line)", () => {
    const help = run("--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run prove -- \[--runs N\] \[--seed S\] \[--no-shrink\]/);
    const unknown = run("--bogus");
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe("prove: unknown argument \"--bogus\"\n");
    const bad = run("--runs", "x");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('prove: --runs needs a whole number, got "x"\n');
  });
});
