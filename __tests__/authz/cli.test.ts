import * as path from "node:path";
import { ConfigurationError } from "../../config/config";
import { AUTHZ_HELP, configurationEnvironment, generatedConfigurations, runAuthz } from "../../lib/authz/cli";
import { loadConfig as load } from "../../config/config";
import { UsageError } from "../../lib/cli/errors";

const ROOT = path.resolve(__dirname, "..", "..");
const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, streams: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t) } };
};

describe("npm run authz", () => {
  it("prints its usage with --help and exits 0", async () => {
    const { out, streams } = capture();
    await expect(runAuthz(["--help"], {}, ROOT, streams)).resolves.toBe(0);
    expect(out.join("")).toBe(AUTHZ_HELP);
  });

  it("refuses an unknown flag and a positional argument (exit 2 through runTool)", async () => {
    const { streams } = capture();
    await expect(runAuthz(["--matrix"], {}, ROOT, streams)).rejects.toThrow(new UsageError("unknown argument \"--matrix\""));
    await expect(runAuthz(["prod"], {}, ROOT, streams)).rejects.toThrow(UsageError);
  });

  it("refuses the configuration synth refuses, with the same line", async () => {
    const { streams } = capture();
    await expect(runAuthz([], { LOG_MONITOR_ENV: "", AWS_REGION: "eu-west-1" }, ROOT, streams)).rejects.toThrow(ConfigurationError);
    await expect(runAuthz([], { AWS_REGION: "us-east-9" }, ROOT, streams)).rejects.toThrow('AWS_REGION: "us-east-9" is not an AWS region');
  });

  it("generates, for --generated N, N configurations synth accepts, the same for the same seed", () => {
    const first = generatedConfigurations(5, 7);
    expect(first).toHaveLength(5);
    for (const configuration of first) expect(() => load(configuration.env, { readFile: () => undefined })).not.toThrow();
    expect(generatedConfigurations(5, 7)).toEqual(first);
    expect(first[0]?.name).toMatch(/^generated #\d+ \(seed 7\)$/);
  });

  it("refuses --samples with --generated, and --generated without a number", async () => {
    const { streams } = capture();
    await expect(runAuthz(["--samples", "--generated", "2"], {}, ROOT, streams)).rejects.toThrow("--samples and --generated exclude each other");
    await expect(runAuthz(["--generated", "x"], {}, ROOT, streams)).rejects.toThrow("--generated needs a whole number");
  });

  it("reads the variables synth reads, and no others", () => {
    expect(configurationEnvironment({ LOG_MONITOR_ENV: "prod", AWS_DEFAULT_REGION: "eu-west-1", PATH: "/bin", AWS_SECRET_ACCESS_KEY: "x" })).toEqual({
      LOG_MONITOR_ENV: "prod",
      AWS_DEFAULT_REGION: "eu-west-1",
    });
  });

  it("proves the configuration in the environment by default, in its region, and reports it as JSON", async () => {
    // Prepare
    const { out, streams } = capture();
    // Act
    const status = await runAuthz(["--json"], { LOG_MONITOR_ENV: "prod", AWS_DEFAULT_REGION: "eu-west-1", LOG_MONITOR_LOG_GROUPS: "/ecs/orders" }, ROOT, streams);
    // Assess
    const report = JSON.parse(out.join(""));
    expect(status).toBe(0);
    expect(report.passed).toBe(true);
    expect(report.configurations).toHaveLength(1);
    expect(report.configurations[0].variables).toEqual({ LOG_MONITOR_ENV: "prod", AWS_DEFAULT_REGION: "eu-west-1", LOG_MONITOR_LOG_GROUPS: "/ecs/orders" });
    expect(report.configurations[0].calls.length).toBeGreaterThan(20);
    expect(report.configurations[0].calls.map((c: { resource: string }) => c.resource)).toContain(
      "arn:aws:iam::123456789012:role/log-monitor-prod-log-processor-eu-west-1",
    );
    expect(report.configurations[0].constraintViolations).toEqual([]);
  });
});
