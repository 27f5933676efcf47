import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogMetricFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-metric-filter";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { DataArchiveFile } from "@cdktf/provider-archive/lib/data-archive-file";
import { ERROR_EVENTS_METRIC_PATTERNS } from "../../config/filter-patterns";
import { addressId } from "../../stacks/alerting-stack";
import { onlyResource, resourcesOf, synthStacks, testConfig } from "./synth-helpers";

describe("alerting stack", () => {
  const synthesized = synthStacks();
  const alerting = synthesized.alerting;
  const json = JSON.parse(alerting);

  it("creates the test emitter's log group with a retention and the environment's KMS key", () => {
    expect(alerting).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: "/aws/lambda/log-monitor-test-test-emitter",
      retention_in_days: 30,
      kms_key_id: "${aws_kms_key.encryption-key.arn}",
    });
  });

  it("deploys the bundled test emitter on nodejs22.x arm64, logging in Lambda's JSON format to its own group", () => {
    expect(alerting).toHaveResourceWithProperties(LambdaFunction, {
      function_name: "log-monitor-test-test-emitter",
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      filename: "${data.archive_file.test-emitter-archive.output_path}",
      source_code_hash: "${data.archive_file.test-emitter-archive.output_base64sha256}",
      logging_config: {
        log_format: "JSON",
        log_group: "${aws_cloudwatch_log_group.test-emitter-log-group.name}",
        application_log_level: "INFO",
        system_log_level: "INFO",
      },
      tracing_config: { mode: "Active" },
    });
  });

  it("zips the bundle with the archive provider from a path relative to the stack folder", () => {
    expect(alerting).toHaveDataSourceWithProperties(DataArchiveFile, { type: "zip", output_file_mode: "0644" });
    const archive = json.data.archive_file["test-emitter-archive"];
    expect(archive.source_dir).toMatch(/^assets\/test-emitter_bundle_[0-9A-F]+\/[0-9A-F]{32}$/);
    expect(archive.output_path).toBe(`${archive.source_dir}.zip`);
  });

  it("counts the emitter's error events into the configured metric, with one filter per Lambda log format", () => {
    for (const [format, pattern] of [
      ["json", ERROR_EVENTS_METRIC_PATTERNS.json],
      ["text", ERROR_EVENTS_METRIC_PATTERNS.text],
    ]) {
      expect(alerting).toHaveResourceWithProperties(CloudwatchLogMetricFilter, {
        name: `log-monitor-test-error-count-${format}`,
        log_group_name: "${aws_cloudwatch_log_group.test-emitter-log-group.name}",
        pattern,
        metric_transformation: { namespace: "LogMonitoring", name: "ErrorCount", value: "1", unit: "Count" },
      });
    }
    expect(Object.keys(resourcesOf(json, "aws_cloudwatch_log_metric_filter"))).toHaveLength(2);
  });

  it("uses the configured metric namespace and name for the filter and the alarm", () => {
    const custom = JSON.parse(
      synthStacks(testConfig({ LOG_MONITOR_METRIC_NAMESPACE: "Acme/Logs", LOG_MONITOR_METRIC_NAME: "AppErrors" })).alerting,
    );
    for (const filter of Object.values(resourcesOf(custom, "aws_cloudwatch_log_metric_filter"))) {
      expect(filter.metric_transformation).toMatchObject({ namespace: "Acme/Logs", name: "AppErrors" });
    }
    expect(onlyResource(custom, "aws_cloudwatch_metric_alarm")).toMatchObject({ namespace: "Acme/Logs", metric_name: "AppErrors" });
  });

  it("alarms on a Sum >= 1 in one minute, treats missing data as fine, and notifies the topic on alarm and on recovery", () => {
    expect(alerting).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: "log-monitor-test-errors",
      namespace: "LogMonitoring",
      metric_name: "ErrorCount",
      statistic: "Sum",
      period: 60,
      evaluation_periods: 1,
      threshold: 1,
      comparison_operator: "GreaterThanOrEqualToThreshold",
      treat_missing_data: "notBreaching",
      alarm_actions: ["${aws_sns_topic.alert-topic.arn}"],
      ok_actions: ["${aws_sns_topic.alert-topic.arn}"],
    });
    const description: string = onlyResource(json, "aws_cloudwatch_metric_alarm").alarm_description;
    expect(description).toContain("/aws/lambda/log-monitor-test-test-emitter");
    expect(description).toContain("log-monitor-test-overview");
    expect(description.length).toBeLessThanOrEqual(1024);
  });

  it("encrypts the topic with the customer-managed key, never the AWS-managed alias/aws/sns", () => {
    expect(alerting).toHaveResourceWithProperties(SnsTopic, {
      name: "log-monitor-test-alerts",
      kms_master_key_id: "${aws_kms_key.encryption-key.arn}",
    });
    expect(alerting).not.toContain("alias/aws/sns");
    expect(alerting).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true });
  });

  it("lets CloudWatch alarms of this project use the key and publish to the topic, and nobody publish without TLS", () => {
    const keyPolicy = json.data.aws_iam_policy_document["encryption-key-policy"].statement;
    const cloudwatch = keyPolicy.find((s: { sid: string }) => s.sid === "CloudWatchAlarmsPublishToEncryptedTopic");
    expect(cloudwatch).toMatchObject({
      effect: "Allow",
      principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
      actions: ["kms:Decrypt", "kms:GenerateDataKey"],
    });

    const topicPolicy = json.data.aws_iam_policy_document["alert-topic-policy-document"].statement;
    expect(topicPolicy).toEqual([
      expect.objectContaining({
        sid: "CloudWatchAlarmsPublish",
        effect: "Allow",
        actions: ["sns:Publish"],
        resources: ["${aws_sns_topic.alert-topic.arn}"],
        condition: expect.arrayContaining([
          expect.objectContaining({
            variable: "aws:SourceArn",
            values: [
              "arn:${data.aws_partition.current-partition.partition}:cloudwatch:eu-west-1:${data.aws_caller_identity.current-account.account_id}:alarm:log-monitor-test-*",
            ],
          }),
        ]),
      }),
      expect.objectContaining({ sid: "DenyPublishWithoutTls", effect: "Deny" }),
    ]);
    expect(onlyResource(json, "aws_sns_topic_policy").policy).toBe("${data.aws_iam_policy_document.alert-topic-policy-document.json}");
  });

  it("lets the account administer the key, but encrypt and decrypt only through the project's services", () => {
    const statements: { sid: string; actions: string[]; condition?: unknown[] }[] =
      json.data.aws_iam_policy_document["encryption-key-policy"].statement;
    const admin = statements.find((s) => s.sid === "AccountAdministersKey")!;
    expect(admin.actions.filter((a) => /Encrypt|Decrypt|GenerateDataKey/.test(a))).toEqual([]);
    expect(admin.condition).toBeUndefined();
    const use = statements.find((s) => s.sid === "AccountUsesKeyThroughProjectServices")!;
    expect(use.condition).toEqual([
      {
        test: "StringEquals",
        variable: "kms:ViaService",
        values: ["dynamodb.eu-west-1.amazonaws.com", "lambda.eu-west-1.amazonaws.com", "sns.eu-west-1.amazonaws.com", "sqs.eu-west-1.amazonaws.com"],
      },
      { test: "StringEquals", variable: "kms:CallerAccount", values: ["${data.aws_caller_identity.current-account.account_id}"] },
    ]);
    expect(statements.map((s) => s.sid)).toEqual([
      "AccountAdministersKey",
      "AccountUsesKeyThroughProjectServices",
      "CloudWatchAlarmsPublishToEncryptedTopic",
      "CloudWatchLogsEncryptsProjectLogGroups",
    ]);
  });

  it("subscribes each configured address by email, with ids that do not depend on list order", () => {
    const subscriptions = resourcesOf(json, "aws_sns_topic_subscription");
    expect(Object.keys(subscriptions).sort()).toEqual([
      "alert-email-oncall-at-example-com",
      "alert-email-team-lead-alerts-at-example-org",
    ]);
    expect(alerting).toHaveResourceWithProperties(SnsTopicSubscription, {
      protocol: "email",
      endpoint: "oncall@example.com",
      topic_arn: "${aws_sns_topic.alert-topic.arn}",
    });
    expect(addressId("Team.Lead+alerts@example.org")).toBe("team-lead-alerts-at-example-org");
  });

  it("creates no subscription when LOG_MONITOR_ALERT_EMAILS is empty", () => {
    const withoutEmails = synthStacks(testConfig({ LOG_MONITOR_ALERT_EMAILS: "" })).alerting;
    expect(withoutEmails).not.toHaveResource(SnsTopicSubscription);
  });

  it("keeps state in S3 under log-monitor/<env>/alerting.tfstate, encrypted, with S3-native locking", () => {
    expect(json.terraform.backend.s3).toEqual({
      bucket: "example-terraform-state",
      key: "log-monitor/test/alerting.tfstate",
      region: "eu-west-1",
      encrypt: true,
      use_lockfile: true,
    });
    expect(json.terraform.required_version).toBe(">= 1.10.0, < 2.0.0");
  });

  it("tags every resource through the provider's default tags", () => {
    expect(json.provider.aws[0]).toEqual({
      region: "eu-west-1",
      default_tags: [{ tags: { Project: "log-monitor", Environment: "test", ManagedBy: "cdktf", Stack: "alerting" } }],
    });
  });

  it("caps the test emitter at one concurrent run", () => {
    expect(onlyResource(json, "aws_lambda_function").reserved_concurrent_executions).toBe(1);
  });

  it("adds no silence alarm unless LOG_MONITOR_SILENCE_ALARM_MINUTES is set", () => {
    expect(Object.keys(resourcesOf(json, "aws_cloudwatch_metric_alarm"))).toEqual(["error-alarm"]);
  });

  it("alarms when the monitored group receives no log event at all for the configured minutes", () => {
    const silent = JSON.parse(synthStacks(testConfig({ LOG_MONITOR_SILENCE_ALARM_MINUTES: "30" })).alerting);
    expect(resourcesOf(silent, "aws_cloudwatch_metric_alarm")["silence-alarm"]).toMatchObject({
      alarm_name: "log-monitor-test-silence",
      namespace: "AWS/Logs",
      metric_name: "IncomingLogEvents",
      dimensions: { LogGroupName: "${aws_cloudwatch_log_group.test-emitter-log-group.name}" },
      statistic: "Sum",
      period: 1800,
      evaluation_periods: 1,
      threshold: 1,
      comparison_operator: "LessThanThreshold",
      treat_missing_data: "breaching",
      alarm_actions: ["${aws_sns_topic.alert-topic.arn}"],
      ok_actions: ["${aws_sns_topic.alert-topic.arn}"],
    });
  });

  it("uses a key the user supplies instead of creating one", () => {
    const keyArn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const supplied = JSON.parse(synthStacks(testConfig({ LOG_MONITOR_KMS_KEY_ARN: keyArn })).alerting);
    expect(resourcesOf(supplied, "aws_kms_key")).toEqual({});
    expect(onlyResource(supplied, "aws_sns_topic").kms_master_key_id).toBe(keyArn);
    expect(onlyResource(supplied, "aws_cloudwatch_log_group").kms_key_id).toBe(keyArn);
  });

  it("matches the snapshot", () => {
    expect(alerting).toMatchSnapshot();
  });
});
