import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { failureRecords } from "../../handlers/log-processor/delivery-records";
import { decodeLogsEvent } from "../../handlers/log-processor/decode";
import { buildIncidents } from "../../handlers/log-processor/incident";
import { RECENT_ERRORS_QUERY, TOP_FAILURES_QUERY } from "../../stacks/dashboard-stack";
import { dataMessage, logEvents, logsEvent } from "../support/logs-payload";
import { insightsQueries } from "../../constructs/dashboard-widgets";
import { onlyResource, synthStacks, testConfig } from "./synth-helpers";

const FROM_ALERTING = "data.terraform_remote_state.cross-stack-reference-input-alerting.outputs.cross-stack-output-";
const FROM_PROCESSING = "data.terraform_remote_state.cross-stack-reference-input-processing.outputs.cross-stack-output-";

interface Widget {
  type: string;
  properties: Record<string, unknown> & { metrics?: unknown[][]; title: string };
}

describe("dashboard stack", () => {
  const dashboard = synthStacks().dashboard;
  const json = JSON.parse(dashboard);
  const body: { widgets: Widget[] } = JSON.parse(onlyResource(json, "aws_cloudwatch_dashboard").dashboard_body);
  const widget = (title: string): Widget => {
    const found = body.widgets.find((w) => w.properties.title === title);
    if (!found) throw new Error(`no widget titled ${title}`);
    return found;
  };

  it("creates one dashboard named after the environment and the region (dashboards are global to the account)", () => {
    // CloudWatch API Reference, PutDashboard: "All dashboards in your account are global, not region-specific."
    expect(dashboard).toHaveResourceWithProperties(CloudwatchDashboard, { dashboard_name: "log-monitor-test-overview-eu-west-1" });
  });

  it("charts the error-count metric as a one-minute Sum", () => {
    expect(widget("Error events per minute")).toMatchObject({
      type: "metric",
      properties: { region: "eu-west-1", stat: "Sum", period: 60, metrics: [["LogMonitoring/test", "ErrorCount", { stat: "Sum", label: "Error events" }]] },
    });
  });

  it("lists the 20 most recent errors of the monitored log group with Logs Insights", () => {
    const logs = widget("20 most recent errors");
    expect(logs.type).toBe("log");
    expect(logs.properties.region).toBe("eu-west-1");
    expect(logs.properties.query).toBe(
      `SOURCE '\${${FROM_ALERTING}aws_cloudwatch_log_grouptest-emitter-log-groupname}' | ${RECENT_ERRORS_QUERY}`,
    );
    expect(RECENT_ERRORS_QUERY).toMatch(/^fields @timestamp, .* \| sort @timestamp desc \| limit 20$/);
  });

  it("shows the error alarm's state first, then the pipeline's own alarms", () => {
    const alarms = widget("Alarms");
    expect(alarms.type).toBe("alarm");
    expect(alarms.properties.alarms).toEqual([
      `\${${FROM_ALERTING}aws_cloudwatch_metric_alarmerror-alarmarn}`,
      `\${${FROM_PROCESSING}aws_cloudwatch_metric_alarmprocessor-errors-alarmarn}`,
      `\${${FROM_PROCESSING}aws_cloudwatch_metric_alarmprocessor-throttles-alarmarn}`,
      `\${${FROM_PROCESSING}aws_cloudwatch_metric_alarmprocessor-duration-alarmarn}`,
      `\${${FROM_PROCESSING}aws_cloudwatch_metric_alarmdead-letter-queue-not-empty-alarmarn}`,
    ]);
  });

  it("shows the pipeline's health: processor invocations, errors, throttles, duration, and the dead-letter queue's depth", () => {
    const functionName = `\${${FROM_PROCESSING}aws_lambda_functionlog-processorfunction_name}`;
    const lambdaMetrics = [
      ...widget("Log processor: invocations, errors, throttles").properties.metrics!,
      ...widget("Log processor: duration (ms)").properties.metrics!,
    ].map((line) => line.slice(0, 4));
    expect(lambdaMetrics).toEqual([
      ["AWS/Lambda", "Invocations", "FunctionName", functionName],
      ["AWS/Lambda", "Errors", "FunctionName", functionName],
      ["AWS/Lambda", "Throttles", "FunctionName", functionName],
      ["AWS/Lambda", "Duration", "FunctionName", functionName],
      ["AWS/Lambda", "Duration", "FunctionName", functionName],
    ]);
    expect(widget("Dead-letter queue: parked events").properties.metrics![0].slice(0, 4)).toEqual([
      "AWS/SQS",
      "ApproximateNumberOfMessagesVisible",
      "QueueName",
      `\${${FROM_PROCESSING}aws_sqs_queuedead-letter-queuename}`,
    ]);
  });

  it("tables the top failures from the processor's failure records, over the processor's own log group", () => {
    const top = widget("Top failures (occurrences by fingerprint)");
    expect(top.type).toBe("log");
    expect(top.properties.query).toBe(
      `SOURCE '/aws/lambda/\${${FROM_PROCESSING}aws_lambda_functionlog-processorfunction_name}' | ${TOP_FAILURES_QUERY}`,
    );
    // Every field the query reads is one the processor writes (a renamed field would leave the table empty).
    const [record] = failureRecords(
      buildIncidents(decodeLogsEvent(logsEvent(dataMessage(logEvents(["ERROR: disk full"])))), { ttlDays: 30 }),
    ).map((line) => JSON.parse(line) as Record<string, unknown>);
    const fieldsRead = [...TOP_FAILURES_QUERY.matchAll(/\((\w+)\)|by (\w+)|record = "(\w+)"/g)].map((m) => m[1] ?? m[2] ?? "record");
    expect(fieldsRead.sort()).toEqual(["count", "error_type", "fingerprint", "first_line", "log_group", "record", "severity"]);
    for (const field of fieldsRead) expect(record).toHaveProperty(field);
    expect(record?.record).toBe("failure");
  });

  it("charts the processor's alert figures (EMF) for this environment", () => {
    const figures = widget("Real-time alerts: incidents, published, suppressed, muted");
    expect(figures.properties.metrics?.map((line) => line.slice(0, 4))).toEqual(
      ["IncidentsWritten", "AlertsPublished", "AlertsSuppressed", "AlertsMuted"].map((name) => ["LogMonitoring/test", name, "Environment", "test"]),
    );
  });

  it("places every widget inside the 24-column grid without overlaps", () => {
    const cells = new Set<string>();
    for (const w of body.widgets as unknown as { x: number; y: number; width: number; height: number }[]) {
      expect(w.x + w.width).toBeLessThanOrEqual(24);
      for (let x = w.x; x < w.x + w.width; x++) {
        for (let y = w.y; y < w.y + w.height; y++) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });

  it("shows the triage widget: a custom widget calling its own function, again on refresh and on a new time range", () => {
    const triage = body.widgets.find((w) => w.type === "custom");
    expect(triage).toEqual({
      type: "custom",
      x: 0,
      y: 28,
      width: 24,
      height: 10,
      properties: {
        title: "Failure triage: regressed, open, ignored and resolved failures in the time range",
        endpoint: "${aws_lambda_function.triage-widget.arn}",
        updateOn: { refresh: true, resize: false, timeRange: true },
      },
    });
  });

  it("deploys the triage widget's function on nodejs24.x, reading the suppression table named as the processing stack names it", () => {
    const fn = onlyResource(json, "aws_lambda_function");
    expect(fn).toMatchObject({
      function_name: "log-monitor-test-triage-widget",
      runtime: "nodejs24.x",
      handler: "index.handler",
      environment: {
        variables: {
          SUPPRESSION_TABLE_NAME: "log-monitor-test-alert-suppression",
          PROCESSOR_LOG_GROUP: `/aws/lambda/\${${FROM_PROCESSING}aws_lambda_functionlog-processorfunction_name}`,
        },
      },
      logging_config: { log_group: "${aws_cloudwatch_log_group.triage-widget-log-group.name}", log_format: "JSON" },
    });
    expect(onlyResource(json, "aws_cloudwatch_log_group")).toEqual({
      name: "/aws/lambda/log-monitor-test-triage-widget",
      retention_in_days: 30,
      kms_key_id: `\${${FROM_ALERTING}aws_kms_keyencryption-keyarn}`,
    });
  });

  it("lets the triage widget's role Scan and UpdateItem the suppression table only, and use its key only through DynamoDB", () => {
    const statements = json.data.aws_iam_policy_document["triage-widget-policy"].statement;
    expect(statements.map((s: { sid: string; actions: string[] }) => [s.sid, s.actions])).toEqual([
      ["WriteOwnLogs", ["logs:CreateLogStream", "logs:PutLogEvents"]],
      ["WriteTraces", ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]],
      ["TriageFailures", ["dynamodb:Scan", "dynamodb:UpdateItem"]],
      ["UseKeyForEncryptedTable", expect.arrayContaining(["kms:Decrypt"])],
    ]);
    expect(statements[2].resources).toEqual([
      "arn:${data.aws_partition.current-partition.partition}:dynamodb:eu-west-1:${data.aws_caller_identity.current-account.account_id}:table/log-monitor-test-alert-suppression",
    ]);
    expect(statements[3].condition).toEqual([{ test: "StringEquals", variable: "kms:ViaService", values: ["dynamodb.eu-west-1.amazonaws.com"] }]);
  });

  it("matches the snapshot", () => {
    expect(dashboard).toMatchSnapshot();
  });
});

describe("dashboard: Logs Insights queries within StartQuery's 10,000 characters", () => {
  // botocore logs/2014-03-28 service-2.json, StartQuery queryString: max 10000 (botocore 1.43.67).
  it("splits the recent-errors query over many long group names into widgets of at most 10,000 characters each", () => {
    // Prepare: 20 groups of 500 characters: about 10,300 characters of SOURCE clauses alone.
    const groups = Array.from({ length: 20 }, (_, i) => `/g${String(i).padStart(2, "0")}/${"x".repeat(495)}`);
    const json = JSON.parse(synthStacks(testConfig({ LOG_MONITOR_TRANSPORT: "kinesis", LOG_MONITOR_LOG_GROUPS: groups.join(",") })).dashboard);
    // Act
    const body = JSON.parse(onlyResource(json, "aws_cloudwatch_dashboard").dashboard_body);
    const recent = body.widgets.filter((w: { properties: { title: string } }) => w.properties.title.startsWith("20 most recent errors"));
    // Assess
    expect(recent.length).toBeGreaterThan(1);
    for (const w of recent) expect(w.properties.query.length).toBeLessThanOrEqual(10_000);
    const sourced = recent.flatMap((w: { properties: { query: string } }) => [...w.properties.query.matchAll(/SOURCE '([^']+)'/g)].map((m) => m[1]));
    expect(sourced).toEqual([expect.stringContaining("test-emitter"), ...groups]);
  });

  it("keeps one query, and its title, when it fits", () => {
    expect(insightsQueries(["/a", "/b"], "limit 1")).toEqual(["SOURCE '/a' | SOURCE '/b' | limit 1"]);
    const edge = insightsQueries(["/a", "/b"], "x".repeat(10_000 - "SOURCE '/a' | SOURCE '/b' | ".length));
    expect(edge).toHaveLength(1);
    expect(edge[0]).toHaveLength(10_000);
    expect(insightsQueries(["/a", "/b"], "x".repeat(10_001 - "SOURCE '/a' | SOURCE '/b' | ".length))).toHaveLength(2);
  });
});
