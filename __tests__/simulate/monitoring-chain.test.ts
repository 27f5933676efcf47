import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../constructs/bundle-handler";
import { ChainDefinitionError, readMonitoringChain } from "../../lib/simulate/monitoring-chain";
import { SynthesizedApp, synthesizeApp } from "../../lib/simulate/synthesized-app";

/** The configuration synthesized: this test's own, not the developer's LOG_MONITOR_* variables. */
function synthesisEnvironment(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith("LOG_MONITOR_") && key !== "AWS_REGION") env[key] = value;
  return { ...env, AWS_REGION: "eu-west-1", LOG_MONITOR_ENV: "sim", LOG_MONITOR_ALERT_EMAILS: "oncall@example.com" };
}

/** A deep copy whose stacks a test may change. */
type Mutable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
function copyOf(app: SynthesizedApp): SynthesizedApp & { stacks: Record<string, { json: Mutable }> } {
  return structuredClone(app) as SynthesizedApp & { stacks: Record<string, { json: Mutable }> };
}

describe("readMonitoringChain, from a real synthesis of the app", () => {
  let outdir: string;
  let app: SynthesizedApp;

  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), "log-monitor-chain-"));
    app = synthesizeApp({ projectRoot: PROJECT_ROOT, outdir: path.join(outdir, "cdktf.out"), env: synthesisEnvironment() });
  });

  afterAll(() => {
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  it("finds the test emitter, its synthesized bundle and its log group", () => {
    // Act
    const { emitter, logGroupName, region } = readMonitoringChain(app);
    // Assess
    expect({ ...emitter, bundleDirectory: undefined, handlerFile: undefined }).toMatchObject({
      address: "alerting/aws_lambda_function.test-emitter",
      functionName: "log-monitor-sim-test-emitter",
      region: "eu-west-1",
      handlerExport: "handler",
      runtime: "nodejs24.x",
      memorySizeMb: 128,
      timeoutSeconds: 10,
      logFormat: "json",
      logGroupName: "/aws/lambda/log-monitor-sim-test-emitter",
    });
    expect(emitter.handlerFile.startsWith(path.join(outdir, "cdktf.out", "stacks", "alerting", "assets"))).toBe(true);
    expect(fs.existsSync(emitter.handlerFile)).toBe(true);
    expect({ logGroupName, region }).toEqual({ logGroupName: "/aws/lambda/log-monitor-sim-test-emitter", region: "eu-west-1" });
  });

  it("takes every metric filter on the group, and the alarm on their metric with its actions resolved", () => {
    // Act
    const chain = readMonitoringChain(app);
    // Assess
    expect(chain.metricFilters.length).toBeGreaterThanOrEqual(1);
    for (const filter of chain.metricFilters) {
      expect({ address: filter.address, metric: filter.metric }).toEqual({
        address: expect.stringMatching(/^alerting\/aws_cloudwatch_log_metric_filter\./),
        metric: { namespace: "LogMonitoring/sim", name: "ErrorCount", value: "1" },
      });
    }
    const topic = "arn:aws:sns:eu-west-1:123456789012:log-monitor-sim-alerts";
    expect(chain.alarms.map(({ address, alarmName, statistic, periodSeconds, evaluationPeriods, datapointsToAlarm, threshold, comparisonOperator, treatMissingData, alarmActions, okActions }) => ({
      address, alarmName, statistic, periodSeconds, evaluationPeriods, datapointsToAlarm, threshold, comparisonOperator, treatMissingData, alarmActions, okActions,
    }))).toEqual([
      {
        address: "alerting/aws_cloudwatch_metric_alarm.error-alarm",
        alarmName: "log-monitor-sim-errors",
        statistic: "Sum",
        periodSeconds: 60,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
        // Alarm transitions are pages: the critical topic is notified too.
        alarmActions: [topic, topic.replace(/-alerts$/, "-critical")],
        okActions: [topic, topic.replace(/-alerts$/, "-critical")],
      },
    ]);
    expect(chain.topics[topic]?.subscriptions).toEqual([{ protocol: "email", endpoint: "oncall@example.com" }]);
  });

  it("follows the subscription filter across stacks to the processor, with its environment and tables resolved", () => {
    // Act
    const [subscription, ...others] = readMonitoringChain(app).subscriptionFilters;
    // Assess
    expect(others).toEqual([]);
    expect(subscription?.address).toBe("processing/aws_cloudwatch_log_subscription_filter.log-processor-subscription");
    expect(subscription?.destination.address).toBe("processing/aws_lambda_function.log-processor");
    expect(subscription?.destination.environment).toMatchObject({
      INCIDENTS_TABLE_NAME: "log-monitor-sim-incidents",
      ALERT_TOPIC_ARN: "arn:aws:sns:eu-west-1:123456789012:log-monitor-sim-alerts",
      SUPPRESSION_TABLE_NAME: "log-monitor-sim-alert-suppression",
    });
    const incidents = subscription?.destination.tables.find((table) => table.name === "log-monitor-sim-incidents");
    expect(incidents?.hashKey).toBe("incident_id");
    expect(incidents?.globalSecondaryIndexes.map((index) => [index.name, index.hashKey, index.rangeKey])).toEqual([
      ["by-log-group", "log_group_shard", "occurred_at"],
      ["by-fingerprint", "fingerprint_shard", "occurred_at"],
    ]);
  });

  it("names the missing link: no metric filter on the group", () => {
    // Prepare
    const broken = copyOf(app);
    delete broken.stacks.alerting!.json.resource.aws_cloudwatch_log_metric_filter;
    // Act
    const attempt = () => readMonitoringChain(broken);
    // Assess
    expect(attempt).toThrow(new ChainDefinitionError("metric filter", "no metric filter counts events of /aws/lambda/log-monitor-sim-test-emitter"));
    expect(attempt).toThrow(expect.objectContaining({ link: "metric filter" }));
  });

  it("names the missing link: no subscription filter on the group", () => {
    // Prepare
    const broken = copyOf(app);
    delete broken.stacks.processing!.json.resource.aws_cloudwatch_log_subscription_filter;
    // Act & Assess
    expect(() => readMonitoringChain(broken)).toThrow(expect.objectContaining({ link: "subscription filter", message: "no subscription filter streams events of /aws/lambda/log-monitor-sim-test-emitter" }));
  });

  it("names the link whose pattern CloudWatch Logs would reject", () => {
    // Prepare
    const broken = copyOf(app);
    for (const filter of Object.values<Mutable>(broken.stacks.processing!.json.resource.aws_cloudwatch_log_subscription_filter)) filter.filter_pattern = "{ $.level = ";
    // Act & Assess
    expect(() => readMonitoringChain(broken)).toThrow(
      expect.objectContaining({
        link: "subscription filter",
        message: expect.stringMatching(/^processing\/aws_cloudwatch_log_subscription_filter\.log-processor-subscription filter_pattern would be rejected by CloudWatch Logs: /),
      }),
    );
  });

  it("refuses a function it cannot run, naming it", () => {
    // Prepare
    const broken = copyOf(app);
    broken.stacks.alerting!.json.resource.aws_lambda_function["test-emitter"].runtime = "python3.12";
    // Act & Assess
    expect(() => readMonitoringChain(broken)).toThrow(
      expect.objectContaining({ link: "test emitter", message: "alerting/aws_lambda_function.test-emitter runs python3.12; the simulation runs Node.js functions only" }),
    );
  });
});
