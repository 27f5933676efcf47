import type { AlarmDefinition, LambdaFunctionDefinition, MonitoringChain } from "../../lib/simulate/monitoring-chain";
import type { SimulationReport } from "../../lib/simulate/simulate";
import { renderReport, renderSummary, renderTimeline, renderVerdict, timelineEntries } from "../../lib/simulate/timeline";

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const MINUTE = 60_000;
const TOPIC = "arn:aws:sns:us-east-1:123456789012:log-monitor-dev-alerts";
const GROUP = "/aws/lambda/log-monitor-dev-test-emitter";

function fn(name: string): LambdaFunctionDefinition {
  return {
    address: `stack/aws_lambda_function.${name}`,
    functionName: `log-monitor-dev-${name}`,
    region: "us-east-1",
    bundleDirectory: "/b",
    handlerFile: "/b/index.js",
    handlerExport: "handler",
    runtime: "nodejs24.x",
    memorySizeMb: 128,
    timeoutSeconds: 10,
    logFormat: "json",
    logGroupName: GROUP,
    environment: {},
    tables: [],
  };
}

const ALARM: AlarmDefinition = {
  address: "alerting/aws_cloudwatch_metric_alarm.error-alarm",
  alarmName: "log-monitor-dev-errors",
  namespace: "LogMonitoring",
  metricName: "ErrorCount",
  statistic: "Sum",
  periodSeconds: 60,
  threshold: 1,
  comparisonOperator: "GreaterThanOrEqualToThreshold",
  evaluationPeriods: 1,
  datapointsToAlarm: 1,
  treatMissingData: "notBreaching",
  actionsEnabled: true,
  alarmActions: [TOPIC],
  okActions: [TOPIC],
  insufficientDataActions: [],
};

const CHAIN: MonitoringChain = {
  region: "us-east-1",
  accountId: "123456789012",
  emitter: fn("test-emitter"),
  logGroupName: GROUP,
  metricFilters: [
    { address: "alerting/aws_cloudwatch_log_metric_filter.json", name: "json", logGroupName: GROUP, pattern: '{ $.level = "ERROR" }', metric: { namespace: "LogMonitoring", name: "ErrorCount", value: "1" } },
  ],
  alarms: [ALARM],
  subscriptionFilters: [{ address: "processing/aws_cloudwatch_log_subscription_filter.s", name: "s", logGroupName: GROUP, pattern: "%ERROR%", destination: fn("log-processor") }],
  topics: { [TOPIC]: { address: "alerting/aws_sns_topic.alert-topic", arn: TOPIC, subscriptions: [] } },
};

/** One minute with one error, then quiet: the alarm fires and recovers. */
function report(overrides: Partial<SimulationReport> = {}): SimulationReport {
  const error = { id: "e1", timestamp: T0 + 5_001, message: '{"level":"ERROR"}', source: "application" as const, level: "ERROR" as const, error: true, invocation: 0 };
  const info = { id: "i1", timestamp: T0 + 5_000, message: '{"level":"INFO"}', source: "application" as const, level: "INFO" as const, error: false, invocation: 0 };
  return {
    errorsRequested: 1,
    minutes: 2,
    startMs: T0,
    emissionEndMs: T0 + 2 * MINUTE,
    evaluationEndMs: T0 + 5 * MINUTE,
    logStreamName: "2024/05/01/[$LATEST]abc",
    chain: CHAIN,
    invocations: [{ atMs: T0 + 5_000, requestId: "r1", event: { error_count: 1 }, outcome: "success", infoLines: 1, errorLines: 1, coldStart: true }],
    events: [info, error],
    counted: new Map([
      ["i1", []],
      ["e1", ["alerting/aws_cloudwatch_log_metric_filter.json"]],
    ]),
    errorsPerMinute: [
      { minuteMs: T0, value: 1 },
      { minuteMs: T0 + MINUTE, value: undefined },
    ],
    alarms: [
      {
        alarm: ALARM,
        history: {
          initialState: "OK",
          evaluations: [],
          transitions: [
            { atMs: T0 + MINUTE, from: "OK", to: "ALARM", reason: "Threshold Crossed" },
            { atMs: T0 + 4 * MINUTE, from: "ALARM", to: "OK", reason: "Threshold Crossed" },
          ],
          finalState: "OK",
        },
        notifications: [{ atMs: T0 + MINUTE, state: "ALARM", subject: 'ALARM: "log-monitor-dev-errors" in us-east-1', targets: [{ arn: TOPIC, recipients: [] }] }],
      },
    ],
    passed: new Map([
      ["i1", []],
      ["e1", ["processing/aws_cloudwatch_log_subscription_filter.s"]],
    ]),
    deliveries: [
      { atMs: T0, filter: "f", destination: "processing/aws_lambda_function.log-processor", messageType: "CONTROL_MESSAGE", eventIds: [], result: { ok: true, value: { processed: 0 } }, alertsPublished: 0 },
      { atMs: T0 + MINUTE, filter: "f", destination: "processing/aws_lambda_function.log-processor", messageType: "DATA_MESSAGE", eventIds: ["e1"], result: { ok: true, value: { processed: 1, incidents_created: 1 } }, alertsPublished: 1 },
    ],
    incidents: [{ eventId: "e1", severity: "ERROR", fingerprint: "f", occurredAt: "2024-05-01T12:00:05.001Z" }],
    alerts: [{ atMs: T0 + MINUTE, topicArn: TOPIC, subject: "[ERROR] boom", message: "m", attributes: {}, messageId: "m1", caller: "log processor" }],
    resolutions: [],
    realtimeAlerts: { enabled: true, implemented: true, topicArn: TOPIC },
    unsupportedCalls: [],
    problems: [],
    ...overrides,
  };
}

describe("timelineEntries and renderTimeline", () => {
  it("puts everything in time order, and what happens at the same time in the order of the chain", () => {
    // Act
    const text = renderTimeline(timelineEntries(report()));
    // Assess
    expect(text.split("\n")).toEqual([
      "Timeline (simulated time, UTC):",
      "  12:00:00  delivery  CONTROL_MESSAGE -> log-processor: returned {\"processed\":0}",
      '  12:00:05  emitter   invoked with {"error_count":1} (cold start): 1 INFO line, 1 ERROR line',
      "  12:01:00  metric    LogMonitoring/ErrorCount = 1 for 12:00",
      "  12:01:00  alarm     log-monitor-dev-errors OK -> ALARM: Threshold Crossed",
      `  12:01:00  sns       would notify ${TOPIC} (no subscriptions: set LOG_MONITOR_ALERT_EMAILS): ALARM: "log-monitor-dev-errors" in us-east-1`,
      '  12:01:00  delivery  1 event (1 error) -> log-processor: returned {"processed":1,"incidents_created":1}',
      `  12:01:00  alert     published "[ERROR] boom" to ${TOPIC}`,
      "  12:04:00  alarm     log-monitor-dev-errors ALARM -> OK: Threshold Crossed",
    ]);
  });

  it("shows a failed invocation and a failed delivery with what went wrong", () => {
    // Act
    const entries = timelineEntries(
      report({
        invocations: [{ atMs: T0 + 5_000, requestId: "r1", event: { error_count: 1 }, outcome: "timeout", failure: "timed out", infoLines: 0, errorLines: 0, coldStart: false }],
        deliveries: [{ atMs: T0, filter: "f", destination: "p/aws_lambda_function.log-processor", messageType: "CONTROL_MESSAGE", eventIds: [], result: { ok: false, failure: "init failed: ConfigurationError: INCIDENTS_TABLE_NAME: not set" }, alertsPublished: 0 }],
      }),
    );
    // Assess
    expect(entries.filter((entry) => entry.kind === "emitter" || entry.kind === "delivery").map((entry) => entry.text)).toEqual([
      "CONTROL_MESSAGE -> log-processor: FAILED: init failed: ConfigurationError: INCIDENTS_TABLE_NAME: not set",
      'invoked with {"error_count":1}: FAILED: timed out',
    ]);
  });
});

describe("renderSummary", () => {
  it("counts events, matches, transitions, incidents and alerts", () => {
    expect(renderSummary(report()).split("\n")).toEqual([
      "Summary:",
      `  log events           2 written to ${GROUP}: 1 INFO, 1 ERROR/FATAL, 0 from Lambda (START, END, REPORT)`,
      "  metric filters       counted 1 of 1 error event, 0 other events, 0 twice",
      "  errors per minute    12:00 1 | 12:01 -",
      "  alarm                log-monitor-dev-errors: 2 transitions (OK->ALARM 12:01, ALARM->OK 12:04), OK before, OK at 12:05",
      `  notifications        ALARM to ${TOPIC}`,
      "  subscription filter  passed 1 of 1 error event and 0 other events, in 1 delivery (plus the CONTROL_MESSAGE)",
      "  incidents            1 recorded (1 ERROR), for 1 of 1 error event",
      `  real-time alerts     1 alert published to ${TOPIC}`,
    ]);
  });

  it("says when the processor does not implement real-time alerts yet", () => {
    const text = renderSummary(report({ alerts: [], realtimeAlerts: { enabled: true, implemented: false, topicArn: TOPIC } }));
    expect(text).toContain("  real-time alerts     0 alerts published (the processor bundle does not implement real-time alerts yet)");
  });
});

describe("renderVerdict", () => {
  it("says OK when no link has a problem", () => {
    expect(renderVerdict([])).toBe("Chain OK: every error event was counted, alarmed on, delivered and recorded.");
  });

  it("names the first broken link and lists every problem", () => {
    expect(
      renderVerdict([
        { link: "metric filter", message: "1 of 1 error event matched no metric filter" },
        { link: "alarm", message: "never went to ALARM" },
      ]),
    ).toBe("Chain BROKEN at the metric filter:\n  - metric filter: 1 of 1 error event matched no metric filter\n  - alarm: never went to ALARM");
  });
});

describe("renderReport", () => {
  it("shows the chain as synthesized, then the timeline, the summary and the verdict", () => {
    // Act
    const text = renderReport(report());
    // Assess
    expect(text.startsWith("log-monitor simulation: 1 error invocation over 2 minutes, from 2024-05-01T12:00:00.000Z (simulated)\n")).toBe(true);
    expect(text).toContain('  metric filter        aws_cloudwatch_log_metric_filter.json: { $.level = "ERROR" }  ->  LogMonitoring/ErrorCount += 1');
    expect(text).toContain("  alarm                log-monitor-dev-errors: Sum >= 1 in 1 of 1 period(s) of 60 s, missing data notBreaching");
    expect(text.indexOf("Timeline")).toBeLessThan(text.indexOf("Summary:"));
    expect(text.endsWith("Chain OK: every error event was counted, alarmed on, delivered and recorded.\n")).toBe(true);
  });
});

describe("long runs stay readable", () => {
  const LATE = Date.UTC(2024, 4, 1, 23, 58, 0);

  it("gives times their date when the run crosses midnight (UTC)", () => {
    // Prepare: a run from 23:58 whose alarm is evaluated after midnight
    const crossing = report({ startMs: LATE, emissionEndMs: LATE + 2 * MINUTE, evaluationEndMs: LATE + 5 * MINUTE });
    // Act
    const text = renderTimeline(timelineEntries(crossing), true);
    // Assess
    expect(text.split("\n")[0]).toBe("Timeline (simulated time, UTC; the run crosses midnight, so times carry their date):");
    expect(text).toContain("  05-01 12:00:05  ");
    expect(renderReport(crossing)).toContain("Timeline (simulated time, UTC; the run crosses midnight");
    expect(renderReport(report())).toContain("Timeline (simulated time, UTC):");
  });

  it("dates the alarm's transitions in the summary when the run crosses midnight (UTC)", () => {
    // Prepare: the same alarm history, moved to a run from 23:58 evaluated past midnight
    const crossing = report({ startMs: LATE, emissionEndMs: LATE + 2 * MINUTE, evaluationEndMs: LATE + 5 * MINUTE });
    const [record] = crossing.alarms;
    const moved = {
      ...crossing,
      alarms: [
        {
          ...(record as (typeof crossing.alarms)[number]),
          history: {
            ...(record as (typeof crossing.alarms)[number]).history,
            transitions: [
              { atMs: LATE + MINUTE, from: "OK" as const, to: "ALARM" as const, reason: "Threshold Crossed" },
              { atMs: LATE + 4 * MINUTE, from: "ALARM" as const, to: "OK" as const, reason: "Threshold Crossed" },
            ],
          },
        },
      ],
    };
    // Act
    const alarmLine = renderSummary(moved).split("\n").find((line) => line.startsWith("  alarm "));
    // Assess
    expect(alarmLine).toBe("  alarm                log-monitor-dev-errors: 2 transitions (OK->ALARM 05-01 23:59, ALARM->OK 05-02 00:02), OK before, OK at 05-02 00:03");
    // A run within one day keeps bare times.
    expect(renderSummary(report())).toContain("(OK->ALARM 12:01, ALARM->OK 12:04), OK before, OK at 12:05");
  });

  it("shows hourly totals and peaks instead of every minute of a long run, on lines of at most 100 characters", () => {
    // Prepare: 1440 minutes with 1000 errors, as `--errors 1000 --minutes 1440`
    const errorsPerMinute = Array.from({ length: 1440 }, (_, minute) => ({ minuteMs: LATE + minute * MINUTE, value: minute % 3 === 0 ? 2 : minute % 3 === 1 ? 1 : undefined }));
    const long = report({ minutes: 1440, startMs: LATE, emissionEndMs: LATE + 1440 * MINUTE, evaluationEndMs: LATE + 1445 * MINUTE, errorsPerMinute });
    // Act
    const lines = renderSummary(long).split("\n");
    // Assess
    const start = lines.findIndex((line) => line.startsWith("  errors per minute"));
    const rows = lines.slice(start, lines.findIndex((line, index) => index > start && !line.startsWith(" ".repeat(23))));
    expect(rows.length).toBeLessThan(15);
    expect(Math.max(...rows.map((line) => line.length))).toBeLessThanOrEqual(100);
    expect(lines[start]).toBe("  errors per minute    hourly totals of 1440 minutes:");
    // 23:58 and 23:59 of May 1 fall in the 23:00 hour; then 24 hours from midnight (the last one partial).
    expect(lines[start + 1]).toBe("                       05-01 23:00 3 (peak 2/min) | 05-02 00:00 60 (peak 2/min) |");
    const hourly = lines.slice(start + 1).filter((line) => /^ {23}\d{2}-\d{2} /.test(line)).join(" ");
    expect(hourly.match(/\d{2}-\d{2} \d{2}:00 /g)).toHaveLength(25);
  });

  it("keeps every minute of a short run, wrapped", () => {
    const errorsPerMinute = Array.from({ length: 30 }, (_, minute) => ({ minuteMs: T0 + minute * MINUTE, value: minute % 2 }));
    const lines = renderSummary(report({ minutes: 30, errorsPerMinute })).split("\n");
    const start = lines.findIndex((line) => line.startsWith("  errors per minute"));
    expect(lines[start]).toBe("  errors per minute    12:00 0 | 12:01 1 | 12:02 0 | 12:03 1 | 12:04 0 | 12:05 1 | 12:06 0 |");
    const rows = lines.slice(start, lines.findIndex((line, index) => index > start && !line.startsWith(" ".repeat(23))));
    expect(rows).toHaveLength(5);
    expect(Math.max(...rows.map((line) => line.length))).toBeLessThanOrEqual(100);
  });
});
