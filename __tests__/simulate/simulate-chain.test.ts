import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../constructs/bundle-handler";
import { EXIT_BROKEN, EXIT_OK, EXIT_USAGE, runSimulateCommand } from "../../lib/simulate/cli";
import { runSimulation, SimulationReport } from "../../lib/simulate/simulate";
import { readSynthesizedApp, SynthesizedApp, synthesizeApp, SynthesizeOptions } from "../../lib/simulate/synthesized-app";
import { clockTime, renderReport, reportJson } from "../../lib/simulate/timeline";
import { consoleUrlsIn, parseInsightsUrl, queryFinds } from "../support/console-url";

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

/** The environment of the runs: the default configuration, but for the environment name and region. */
function simulationEnv(configuration: Record<string, string> = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith("LOG_MONITOR_") && key !== "AWS_REGION") env[key] = value;
  return { ...env, AWS_REGION: "eu-west-1", LOG_MONITOR_ENV: "sim", ...configuration };
}

/** Runs the command in this process, with the configuration given, and a change to what was synthesized. */
async function simulate(
  args: string[],
  patch?: (app: SynthesizedApp) => void,
  configuration: Record<string, string> = {},
): Promise<{ status: number; stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const status = await runSimulateCommand(args, {
    stdout: (text) => stdout.push(text),
    // Progress lines are left out; what the command says about an error is kept.
    stderr: (text) => (text.startsWith("simulate: ") && !/^simulate: [a-z]+ing /.test(text) ? stderr.push(text) : undefined),
    env: simulationEnv(configuration),
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
    // Without --resolve-after: nothing resolved, no alert announces a triage transition.
    expect(report.resolutions).toEqual([]);
    expect(report.alerts.map((alert: { triage: unknown }) => alert.triage)).toEqual(report.alerts.map(() => null));
  });
});

/**
 * Done when (issue 19): "Resolving a failure and replaying its log line alerts once as regressed, in the simulator."
 * 3 errors over 5 minutes fall in minutes 0, 1 and 3 (planInvocations), each delivered at the end of its minute: the
 * first alerts, the second is suppressed, the failure is resolved at minute 2, and the third (the same line, so the
 * same fingerprint) regresses. The run goes through runSimulation (for the alerts' bodies) with the synthesis the
 * other runs share, and its report through the command's own renderers (text and --json).
 */
describe("the simulation with --resolve-after (triage)", () => {
  const START_MS = Date.parse("2026-12-02T07:00:00.000Z");
  const RESOLVE_AT_MS = START_MS + 2 * 60_000;
  let report: SimulationReport;
  let text: string;
  let json: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

  beforeAll(async () => {
    report = await runSimulation({
      errors: 3,
      minutes: 5,
      resolveAfterMinutes: 2,
      projectRoot: PROJECT_ROOT,
      env: simulationEnv(),
      startMs: START_MS,
      synthesize: synthesizeOnce,
    });
    text = renderReport(report);
    json = JSON.parse(JSON.stringify(reportJson(report)));
  }, 120_000);

  /** The email body of an alert as SNS received it (MessageStructure json: email and https). */
  const emailOf = (alert: SimulationReport["alerts"][number]): string => (JSON.parse(alert.message) as { email: string }).email;

  it("emits errors on both sides of the resolution, and the chain is OK", () => {
    const errors = report.events.filter((event) => event.error);
    expect(errors.filter((event) => event.timestamp < RESOLVE_AT_MS)).toHaveLength(2);
    expect(errors.filter((event) => event.timestamp > RESOLVE_AT_MS)).toHaveLength(1);
    expect(report.problems).toEqual([]);
  });

  it("alerts once before the resolution, resolves that failure at minute 2 in the processor's suppression table, and alerts exactly once after it, as REGRESSED", () => {
    // Assess: one ordinary alert before.
    const before = report.alerts.filter((alert) => alert.atMs <= RESOLVE_AT_MS);
    expect(before).toHaveLength(1);
    const first = before[0] as SimulationReport["alerts"][number];
    expect(first.attributes.triage).toBeUndefined();
    expect(first.subject).toMatch(/^\[ERROR\] SyntheticFailure/);
    const fingerprint = first.attributes.fingerprint as string;
    expect(fingerprint).toMatch(/^[0-9a-f]{32}$/);
    // The resolution: that failure, in its scope, as npm run incidents -- resolve would write it.
    const processor = report.chain.subscriptionFilters[0]?.destination;
    expect(report.resolutions).toEqual([
      {
        atMs: RESOLVE_AT_MS,
        fingerprint,
        logGroup: report.chain.logGroupName,
        accountId: report.chain.accountId,
        tableName: processor?.environment.SUPPRESSION_TABLE_NAME,
        by: "npm run simulate",
      },
    ]);
    expect(report.resolutions[0]?.tableName).toBe("log-monitor-sim-alert-suppression");
    // Exactly one REGRESSED alert after it, for the same failure, and nothing more.
    const after = report.alerts.filter((alert) => alert.atMs > RESOLVE_AT_MS);
    expect(after).toHaveLength(1);
    const regressed = after[0] as SimulationReport["alerts"][number];
    expect(regressed.attributes).toMatchObject({ triage: "regressed", fingerprint, log_group: report.chain.logGroupName });
    expect(regressed.subject?.startsWith("[ERROR REGRESSED] ")).toBe(true);
    expect(emailOf(regressed)).toMatch(new RegExp(`^REGRESSED: this failure was resolved by npm run simulate at ${new Date(RESOLVE_AT_MS).toISOString().replace(/\./g, "\\.")}[,.]`, "m"));
    expect(report.alerts.filter((alert) => alert.attributes.triage !== undefined)).toEqual([regressed]);
  });

  it("links the REGRESSED alert to a Logs Insights query that parses and finds the replayed event", () => {
    // Prepare
    const regressed = report.alerts.find((alert) => alert.attributes.triage === "regressed");
    expect(regressed).toBeDefined();
    const email = emailOf(regressed as SimulationReport["alerts"][number]);
    const occurredAt = Date.parse(/^Occurred at: (.+)$/m.exec(email)?.[1] ?? "");
    const event = report.events.find((candidate) => candidate.error && candidate.timestamp === occurredAt);
    // Act
    const links = consoleUrlsIn(email)
      .filter((url) => url.includes("#logsV2:logs-insights"))
      .map(parseInsightsUrl);
    // Assess: the event after the resolution, found by the link's query in the synthesized log group.
    expect(event?.timestamp).toBeGreaterThan(RESOLVE_AT_MS);
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({ origin: "https://eu-west-1.console.aws.amazon.com", region: "eu-west-1" });
    expect(links[0]?.query).toMatch(/\n\| filter @message like \/.+\/\n/);
    const found = links[0] !== undefined && event !== undefined && queryFinds(links[0], { logGroup: report.chain.logGroupName, timestamp: event.timestamp, message: event.message });
    expect(found).toBe(true);
  });

  it("says so in the text report: the resolution in the timeline, the REGRESSED alert marked, and the summary", () => {
    const fingerprint = report.resolutions[0]?.fingerprint as string;
    const clock = clockTime(RESOLVE_AT_MS);
    const timeline = text.slice(text.indexOf("Timeline"), text.indexOf("Summary:"));
    expect(timeline).toContain(`  ${clock}  triage    resolved ${fingerprint} in ${report.chain.logGroupName} at ${clock} (by npm run simulate`);
    const marked = timeline.split("\n").filter((line) => line.includes("(triage: REGRESSED)"));
    expect(marked).toHaveLength(1);
    expect(marked[0]).toMatch(/^ {2}07:04:00 {2}alert {5}published "\[ERROR REGRESSED\] /);
    expect(text).toContain("  real-time alerts     2 alerts published (1 REGRESSED) to ");
    expect(text).toContain("  triage               resolved 1 failure at 07:02 (--resolve-after 2), by npm run simulate; 1 REGRESSED alert after it");
  });

  it("includes the resolutions and each alert's triage attribute in --json", () => {
    expect(json.resolveAt).toBe("2026-12-02T07:02:00.000Z");
    expect(json.resolutions).toEqual([
      {
        at: "2026-12-02T07:02:00.000Z",
        fingerprint: report.resolutions[0]?.fingerprint,
        logGroup: report.chain.logGroupName,
        accountId: report.chain.accountId,
        table: "log-monitor-sim-alert-suppression",
        by: "npm run simulate",
      },
    ]);
    expect(json.alerts.map((alert: { at: string; triage: unknown }) => [alert.at, alert.triage])).toEqual([
      ["2026-12-02T07:01:00.000Z", null],
      ["2026-12-02T07:04:00.000Z", "regressed"],
    ]);
  });
});
