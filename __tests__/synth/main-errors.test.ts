import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../constructs/bundle-handler";
import { typescriptArgs } from "../../lib/cli/run-typescript";

/** Runs `main.ts` as `cdktf synth` does (cdktf.json's app), with only the given configuration. */
function runMain(env: Record<string, string>, preload: readonly string[] = []): { status: number | null; stdout: string; stderr: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "log-monitor-main-"));
  const clean: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith("LOG_MONITOR_") && !["AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"].includes(key)) clean[key] = value;
  }
  // No shared config file: the machine's ~/.aws/config must not choose the region.
  clean["AWS_CONFIG_FILE"] = path.join(outdir, "no-aws-config");
  try {
    const result = spawnSync(process.execPath, [...preload.flatMap((file) => ["-r", file]), ...typescriptArgs("main.ts")], {
      cwd: PROJECT_ROOT,
      env: { ...clean, ...env, CDKTF_OUTDIR: outdir },
      encoding: "utf8",
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

describe("main.ts, as cdktf synth runs it", () => {
  it.each([
    [{ LOG_MONITOR_ENV: "Prod" }, 'log-monitor: LOG_MONITOR_ENV: "Prod" is not a valid environment name: use 1 to 16 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen'],
    [{ LOG_MONITOR_ENVIRONMENT: "prod" }, 'log-monitor: LOG_MONITOR_ENVIRONMENT: "prod" is not a variable log-monitor reads: did you mean LOG_MONITOR_ENV?'],
    [{ LOG_MONITOR_STATE_BUCKET: "my-state-s3alias" }, 'log-monitor: LOG_MONITOR_STATE_BUCKET: "my-state-s3alias" is not a valid S3 bucket name: the suffix -s3alias is reserved by S3'],
    [{ LOG_MONITOR_LOG_GROUPS: ",," }, 'log-monitor: LOG_MONITOR_LOG_GROUPS: ",," lists no log group: give names separated by commas, or unset it'],
  ])("prints one line for a bad variable %j, no stack trace, and exits 2", (env, line) => {
    const result = runMain(env);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`${line}\n`);
    expect(result.stdout).toBe("");
  });

  it("reads the configuration before it loads cdktf, the AWS provider or a stack: a bad variable costs a Node.js start", () => {
    const report = ["./__tests__/support/report-loaded-modules.js"];
    // Act
    const refused = runMain({ LOG_MONITOR_ENV: "Prod" }, report);
    const synthesized = runMain({}, report);
    // Assess: the check sees them loaded when the configuration is good, so it can fail.
    expect(refused.status).toBe(2);
    expect(refused.stderr.split("\n").slice(1)).toEqual(["loaded: nothing", ""]);
    expect(synthesized.status).toBe(0);
    expect(synthesized.stderr).toBe("loaded: cdktf provider-aws stacks\n");
  });

  it("targets the region of AWS_DEFAULT_REGION when AWS_REGION is unset, as the AWS CLI and the Terraform provider do", () => {
    const result = runMain({ AWS_DEFAULT_REGION: "eu-west-1" });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("terraform.eu-west-1.dev.<stack>.tfstate");
  });

  it("refuses a region no partition has, in one line", () => {
    const result = runMain({ AWS_REGION: "us-east-9" });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'log-monitor: AWS_REGION: "us-east-9" is not an AWS region: use a region of the aws, aws-cn or aws-us-gov partition, for example us-east-1 or eu-west-2\n',
    );
  });

  it("synthesizes two addresses that map to one resource name (no \"There is already a Construct\")", () => {
    const result = runMain({ LOG_MONITOR_ALERT_EMAILS: "first.last@corp.com,first-last@corp.com" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("writes nothing to stderr on a good synth, so CDKTF tags nothing [ERROR]; the local-state notice is on stdout", () => {
    const result = runMain({});
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(
      "log-monitor: LOG_MONITOR_STATE_BUCKET is not set, so each stack keeps local state (terraform.us-east-1.dev.<stack>.tfstate in the project folder). Set it to deploy with the S3 backend.\n",
    );
  });
});
