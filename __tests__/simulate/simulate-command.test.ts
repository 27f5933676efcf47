import { typescriptArgs } from "../../lib/cli/run-typescript";
import { spawnSync } from "node:child_process";
import { PROJECT_ROOT } from "../../constructs/bundle-handler";

/** The environment of a developer who configured nothing (no LOG_MONITOR_* variables). */
function unconfigured(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith("LOG_MONITOR_") && key !== "AWS_REGION") env[key] = value;
  }
  return env;
}

/** Runs `scripts/simulate.ts <args>` in its own process, with the loader `npm run simulate` uses. */
function simulate(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, typescriptArgs("scripts/simulate.ts", ...args), {
    cwd: PROJECT_ROOT,
    env: unconfigured(),
    encoding: "utf8",
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run simulate (scripts/simulate.ts in its own process)", () => {
  it("runs the whole chain for 3 errors over 5 minutes and exits 0", () => {
    // Act
    const { status, stdout, stderr } = simulate(["--errors", "3", "--minutes", "5"]);
    // Assess
    expect({ status, stderr: status === 0 ? "" : stderr }).toEqual({ status: 0, stderr: "" });
    const summary = stdout.slice(stdout.indexOf("Summary:"));
    expect(summary).toMatch(/^ {2}log events +\d+ written to \/aws\/lambda\/log-monitor-dev-test-emitter: 5 INFO, 3 ERROR\/FATAL, \d+ from Lambda/m);
    expect(summary).toContain("  metric filters       counted 3 of 3 error events, 0 other events, 0 twice");
    expect(summary).toMatch(/^ {2}errors per minute {4}\d\d:\d\d 1 \| \d\d:\d\d 1 \| \d\d:\d\d - \| \d\d:\d\d 1 \| \d\d:\d\d -$/m);
    expect(summary).toMatch(/^ {2}alarm {16}log-monitor-dev-errors: \d+ transitions \(OK->ALARM \d\d:\d\d.*ALARM->OK \d\d:\d\d\), OK before, OK at \d\d:\d\d$/m);
    expect(summary).toContain("  subscription filter  passed 3 of 3 error events and 0 other events, in 3 deliveries (plus the CONTROL_MESSAGE)");
    expect(summary).toContain("  incidents            3 recorded (3 ERROR), for 3 of 3 error events");
    expect(summary).toMatch(/^ {2}real-time alerts {5}\d+ alerts? published/m);
    expect(stdout.trimEnd().endsWith("Chain OK: every error event was counted, alarmed on, delivered and recorded.")).toBe(true);
  });

  it("exits 2 on bad usage", () => {
    // Act
    const { status, stderr } = simulate(["--errors", "many"]);
    // Assess
    expect(status).toBe(2);
    expect(stderr).toContain('simulate: --errors takes a whole number from 0 to 1000, not "many"');
  });
});
