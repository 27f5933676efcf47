import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../constructs/bundle-handler";
import { EXIT_BROKEN, EXIT_OK, EXIT_USAGE, runSimulateCommand } from "../../lib/simulate/cli";
import { readSynthesizedApp, SynthesizedApp, synthesizeApp, SynthesizeOptions } from "../../lib/simulate/synthesized-app";

/**
 * Each configuration is synthesized once for the whole file (main.ts in its own process, as every run would), and
 * each run reads it back from disk, so that a run's patch changes only its own copy. Synthesis itself, and a
 * configuration that fails it, are tested by __tests__/synth and by the runs that stop before synthesizing.
 */
const SYNTH_CACHE = fs.mkdtempSync(path.join(os.tmpdir(), "simulate-chain-synth-"));
const synthesized = new Map<string, string>();
function synthesizeOnce(options: SynthesizeOptions): SynthesizedApp {
  const key = JSON.stringify(Object.entries(options.env).filter(([name]) => name.startsWith("LOG_MONITOR_") || name === "AWS_REGION").sort());
  let outdir = synthesized.get(key);
  if (outdir === undefined) {
    outdir = path.join(SYNTH_CACHE, String(synthesized.size));
    synthesizeApp({ ...options, outdir });
    synthesized.set(key, outdir);
  }
  return readSynthesizedApp(outdir);
}
afterAll(() => fs.rmSync(SYNTH_CACHE, { recursive: true, force: true }));

type Mutable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The synthesized JSON of a stack, to change as a code change would. */
function stack(app: SynthesizedApp, id: string): Mutable {
  return app.stacks[id]?.json as Mutable;
}

/** Runs the command in this process, with the configuration given, and a change to what was synthesized. */
async function simulate(
  args: string[],
  patch?: (app: SynthesizedApp) => void,
  configuration: Record<string, string> = {},
): Promise<{ status: number; stdout: string; stderr: string }> {
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith("LOG_MONITOR_") && key !== "AWS_REGION") env[key] = value;
  const stdout: string[] = [];
  const stderr: string[] = [];
  const status = await runSimulateCommand(args, {
    stdout: (text) => stdout.push(text),
    // Progress lines are left out; what the command says about an error is kept.
    stderr: (text) => (text.startsWith("simulate: ") && !/^simulate: [a-z]+ing /.test(text) ? stderr.push(text) : undefined),
    env: { ...env, AWS_REGION: "eu-west-1", LOG_MONITOR_ENV: "sim", ...configuration },
    projectRoot: PROJECT_ROOT,
    ...(patch === undefined ? {} : { patchSynthesizedApp: patch }),
    synthesize: synthesizeOnce,
  });
  return { status, stdout: stdout.join(""), stderr: stderr.join("") };
}

describe("the simulation, when a link of the chain is broken", () => {
  it("says which link is broken in the JSON document too (--json)", async () => {
    // Act
    const { status, stdout } = await simulate(["--errors", "1", "--minutes", "2", "--json"], (app) => {
      stack(app, "processing").resource.aws_cloudwatch_log_subscription_filter["log-processor-subscription"].filter_pattern = "NEVER_MATCHES_ANYTHING";
    });
    // Assess
    expect(status).toBe(EXIT_BROKEN);
    expect(JSON.parse(stdout)).toMatchObject({ verdict: "broken", brokenLink: "subscription filter" });
  });

  it("exits 1 naming the metric filter when its pattern never matches", async () => {
    // Act
    const { status, stdout } = await simulate(["--errors", "3", "--minutes", "3"], (app) => {
      for (const filter of Object.values<Mutable>(stack(app, "alerting").resource.aws_cloudwatch_log_metric_filter)) filter.pattern = '{ $.level = "NEVER" }';
    });
    // Assess: the alarm, which saw nothing, is not blamed; the processor still recorded every incident.
    expect(status).toBe(EXIT_BROKEN);
    const verdict = stdout.slice(stdout.indexOf("Chain BROKEN"));
    expect(verdict.split("\n")[0]).toBe("Chain BROKEN at the metric filter:");
    expect(verdict).toMatch(/^ {2}- metric filter: 3 of 3 error events matched no metric filter, so the alarm never saw them; first: "\{\\"timestamp\\":.*\\"level\\":\\"ERROR\\"/m);
    expect(verdict).not.toContain("- alarm:");
    expect(stdout).toContain("  incidents            3 recorded (3 ERROR), for 3 of 3 error events");
  });

  it("exits 1 naming the subscription filter when it lets no error through", async () => {
    // Act
    const { status, stdout } = await simulate(["--errors", "2", "--minutes", "2"], (app) => {
      for (const filter of Object.values<Mutable>(stack(app, "processing").resource.aws_cloudwatch_log_subscription_filter)) filter.filter_pattern = "NEVER";
    });
    // Assess
    expect(status).toBe(EXIT_BROKEN);
    expect(stdout).toContain("Chain BROKEN at the subscription filter:\n  - subscription filter: 2 of 2 error events did not pass any subscription filter, so the processor never saw them");
  });

  it("exits 1 naming the alarm when its threshold cannot be reached", async () => {
    // Act
    const { status, stdout } = await simulate(["--errors", "2", "--minutes", "2"], (app) => {
      stack(app, "alerting").resource.aws_cloudwatch_metric_alarm["error-alarm"].threshold = 100;
    });
    // Assess
    expect(status).toBe(EXIT_BROKEN);
    expect(stdout).toContain("Chain BROKEN at the alarm:\n  - alarm: log-monitor-sim-errors never went to ALARM although 2 error events were counted");
  });

  it("exits 2 with one line naming the variable when the configuration is invalid: a configuration error, not a broken chain", async () => {
    // Act
    const { status, stdout, stderr } = await simulate(["--errors", "1", "--minutes", "1"], undefined, { LOG_MONITOR_ENV: "Not Valid!" });
    // Assess
    expect(status).toBe(EXIT_USAGE);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      'simulate: LOG_MONITOR_ENV: "Not Valid!" is not a valid environment name: use 1 to 16 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen\n',
    );
  });

  it("exits 2 for a region that does not exist (AWS_REGION=moon-1), before synthesizing", async () => {
    const { status, stdout, stderr } = await simulate([], undefined, { AWS_REGION: "moon-1" });
    expect(status).toBe(EXIT_USAGE);
    expect(stdout).toBe("");
    expect(stderr).toBe('simulate: AWS_REGION: "moon-1" is not an AWS region name (for example us-east-1 or eu-west-2)\n');
  });
});

describe("the simulation of a working chain", () => {
  it("works as well when the emitter logs in Lambda's text format, counted by the text metric filter", async () => {
    // Act
    const { status, stdout } = await simulate(["--errors", "2", "--minutes", "2"], (app) => {
      stack(app, "alerting").resource.aws_lambda_function["test-emitter"].logging_config.log_format = "Text";
    });
    // Assess
    expect(status).toBe(EXIT_OK);
    expect(stdout).toContain("text log format");
    expect(stdout).toContain("  metric filters       counted 2 of 2 error events, 0 other events, 0 twice");
    expect(stdout).toContain("  incidents            2 recorded (2 ERROR), for 2 of 2 error events");
  });

  it("keeps the alarm quiet and records nothing when no error is emitted", async () => {
    // Act
    const { status, stdout } = await simulate(["--errors", "0", "--minutes", "2"]);
    // Assess
    expect(status).toBe(EXIT_OK);
    expect(stdout).toMatch(/^ {2}alarm {16}log-monitor-sim-errors: 0 transitions, OK before, OK at \d\d:\d\d$/m);
    expect(stdout).toContain("  incidents            0 recorded, for 0 of 0 error events");
    expect(stdout).toContain("  notifications        none");
  });

  it("suppresses real-time alerts on the simulation's clock: one error a minute for 20 minutes alerts twice with a 15-minute window", async () => {
    // Act: on the wall clock the run takes seconds, so only one alert would go out.
    const { status, stdout } = await simulate(["--errors", "20", "--minutes", "20"]);
    // Assess
    expect(status).toBe(EXIT_OK);
    expect(stdout).toMatch(/^ {2}real-time alerts {5}2 alerts published to /m);
  });

  it("runs the Kinesis transport (LOG_MONITOR_TRANSPORT=kinesis) through kinesalite and the event source mapping, and says OK", async () => {
    // Act
    const { status, stdout } = await simulate(["--errors", "2", "--minutes", "2"], undefined, { LOG_MONITOR_TRANSPORT: "kinesis" });
    // Assess: the subscription filter delivers to the stream, read into the processor in Kinesis events.
    expect(status).toBe(EXIT_OK);
    expect(stdout).toMatch(/-> {2}processing\/aws_kinesis_stream\.log-stream \(Kinesis\), read by processing\/aws_lambda_event_source_mapping\.log-stream-event-source in batches of up to 100 {2}->/);
    expect(stdout).toContain('returned {"batchItemFailures":[]}');
    expect(stdout).toContain("  incidents            2 recorded (2 ERROR), for 2 of 2 error events");
    expect(stdout).not.toContain("BROKEN");
    expect(stdout).toContain("Chain OK");
  });

  it("prints one JSON document with --json, whose verdict and figures are the text report's", async () => {
    // Act
    const { status, stdout } = await simulate(["--errors", "2", "--minutes", "2", "--json"]);
    // Assess
    expect(status).toBe(EXIT_OK);
    const report = JSON.parse(stdout) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(report.verdict).toBe("ok");
    expect(report.problems).toEqual([]);
    expect(report.events).toMatchObject({ errors: 2, errorsCounted: 2, errorsPassedSubscription: 2 });
    expect(report.incidents).toHaveLength(2);
    expect(report.alarms[0].name).toBe("log-monitor-sim-errors");
    expect(report.alarms[0].transitions[0]).toMatchObject({ from: "OK", to: "ALARM", at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/) });
  });
});
