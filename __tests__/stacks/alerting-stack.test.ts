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

  it("deploys the bundled test emitter on nodejs24.x arm64, logging in Lambda's JSON format to its own group", () => {
    expect(alerting).toHaveResourceWithProperties(LambdaFunction, {
      function_name: "log-monitor-test-test-emitter",
      runtime: "nodejs24.x",
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
        metric_transformation: { namespace: "LogMonitoring/test", name: "ErrorCount", value: "1", unit: "Count" },
      });
    }
    expect(Object.keys(resourcesOf(json, "aws_cloudwatch_log_metric_filter"))).toHaveLength(2);
  });

  it("uses the configured metric namespace, qualified by the environment, and name for the filter and the alarm", () => {
    const custom = JSON.parse(
      synthStacks(testConfig({ LOG_MONITOR_METRIC_NAMESPACE: "Acme/Logs", LOG_MONITOR_METRIC_NAME: "AppErrors" })).alerting,
    );
    for (const filter of Object.values(resourcesOf(custom, "aws_cloudwatch_log_metric_filter"))) {
      expect(filter.metric_transformation).toMatchObject({ namespace: "Acme/Logs/test", name: "AppErrors" });
    }
    expect(onlyResource(custom, "aws_cloudwatch_metric_alarm")).toMatchObject({ namespace: "Acme/Logs/test", metric_name: "AppErrors" });
  });

  it("alarms on a Sum >= 1 in one minute, treats missing data as fine, and notifies the topic on alarm and on recovery", () => {
    expect(alerting).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: "log-monitor-test-errors",
      namespace: "LogMonitoring/test",
      metric_name: "ErrorCount",
      statistic: "Sum",
      period: 60,
      evaluation_periods: 1,
      threshold: 1,
      comparison_operator: "GreaterThanOrEqualToThreshold",
      treat_missing_data: "notBreaching",
      alarm_actions: ["${aws_sns_topic.alert-topic.arn}", "${aws_sns_topic.critical-topic.arn}"],
      ok_actions: ["${aws_sns_topic.alert-topic.arn}", "${aws_sns_topic.critical-topic.arn}"],
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
            // Every alarm of the environment by its exact name: a wildcard (log-monitor-test-*) would also admit
            // the alarms of an environment named test-eu.
            values: [
              "errors",
              "processor-errors",
              "processor-throttles",
              "processor-duration",
              "dead-letter-queue-not-empty",
            ].map(
              (suffix) =>
                `arn:\${data.aws_partition.current-partition.partition}:cloudwatch:eu-west-1:\${data.aws_caller_identity.current-account.account_id}:alarm:log-monitor-test-${suffix}`,
            ),
          }),
        ]),
      }),
      expect.objectContaining({ sid: "DenyPublishWithoutTls", effect: "Deny" }),
    ]);
    expect(resourcesOf(json, "aws_sns_topic_policy")["alert-topic-policy"]?.policy).toBe("${data.aws_iam_policy_document.alert-topic-policy-document.json}");
    // The critical topic admits exactly the same alarms, and nobody without TLS.
    const criticalPolicy = json.data.aws_iam_policy_document["critical-topic-policy-document"].statement;
    expect(criticalPolicy).toEqual(
      topicPolicy.map((statement: { resources: string[] }) => ({ ...statement, resources: ["${aws_sns_topic.critical-topic.arn}"] })),
    );
    expect(resourcesOf(json, "aws_sns_topic_policy")["critical-topic-policy"]?.policy).toBe(
      "${data.aws_iam_policy_document.critical-topic-policy-document.json}",
    );
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

  it("keeps state in S3 under log-monitor/<region>/<env>/alerting.tfstate, encrypted, with S3-native locking", () => {
    expect(json.terraform.backend.s3).toEqual({
      bucket: "example-terraform-state",
      key: "log-monitor/eu-west-1/test/alerting.tfstate",
      region: "eu-west-1",
      encrypt: true,
      use_lockfile: true,
    });
    // S3-native locking (use_lockfile) is generally available from Terraform 1.11 (experimental in 1.10).
    expect(json.terraform.required_version).toBe(">= 1.11.0, < 2.0.0");
  });

  it("tags every resource through the provider's default tags", () => {
    expect(json.provider.aws[0]).toEqual({
      region: "eu-west-1",
      default_tags: [{ tags: { Project: "log-monitor", Environment: "test", ManagedBy: "cdktf", Stack: "alerting" } }],
    });
  });

  it("reserves no concurrency for the test emitter, which a new account's quota of 10 would refuse", () => {
    // Lambda Developer Guide, "Configuring reserved concurrency": Lambda keeps 10 concurrent executions unreserved.
    expect(onlyResource(json, "aws_lambda_function")).not.toHaveProperty("reserved_concurrent_executions");
    const withReservation = JSON.parse(synthStacks(testConfig({ LOG_MONITOR_RESERVED_CONCURRENCY: "20" })).alerting);
    expect(onlyResource(withReservation, "aws_lambda_function")).not.toHaveProperty("reserved_concurrent_executions");
  });

  it("names the execution role with the region, since IAM names are global to the account", () => {
    expect(onlyResource(json, "aws_iam_role").name).toBe("log-monitor-test-test-emitter-eu-west-1");
    expect(onlyResource(json, "aws_iam_role_policy").name).toBe("log-monitor-test-test-emitter-eu-west-1-permissions");
  });

  it("adds no silence alarm unless LOG_MONITOR_SILENCE_ALARM_MINUTES is set", () => {
    expect(Object.keys(resourcesOf(json, "aws_cloudwatch_metric_alarm"))).toEqual(["error-alarm"]);
  });

  it("alarms when one of the user's groups receives no log event at all for the configured minutes, one alarm per group", () => {
    const silent = JSON.parse(
      synthStacks(testConfig({ LOG_MONITOR_SILENCE_ALARM_MINUTES: "30", LOG_MONITOR_LOG_GROUPS: "/ecs/orders,/aws/lambda/payments" })).alerting,
    );
    const alarms = resourcesOf(silent, "aws_cloudwatch_metric_alarm");
    expect(Object.keys(alarms).sort()).toEqual(["aws-lambda-payments-silence-alarm", "ecs-orders-silence-alarm", "error-alarm"]);
    expect(alarms["ecs-orders-silence-alarm"]).toMatchObject({
      alarm_name: "log-monitor-test-silence-ecs-orders",
      namespace: "AWS/Logs",
      metric_name: "IncomingLogEvents",
      dimensions: { LogGroupName: "/ecs/orders" },
      statistic: "Sum",
      period: 1800,
      evaluation_periods: 1,
      threshold: 1,
      comparison_operator: "LessThanThreshold",
      treat_missing_data: "breaching",
      alarm_actions: ["${aws_sns_topic.alert-topic.arn}", "${aws_sns_topic.critical-topic.arn}"],
      // A recovery is not a page: the critical topic hears of the silence, not of its end.
      ok_actions: ["${aws_sns_topic.alert-topic.arn}"],
    });
    // The test emitter's group logs only when invoked: watching it would alarm forever.
    const watched = Object.values(alarms).filter((a) => a.namespace === "AWS/Logs").map((a) => a.dimensions.LogGroupName);
    expect(watched.sort()).toEqual(["/aws/lambda/payments", "/ecs/orders"]);
    // The silence alarms may publish to the topic, by their exact names.
    const topicPolicy = silent.data.aws_iam_policy_document["alert-topic-policy-document"].statement[0];
    expect(JSON.stringify(topicPolicy)).toContain(":alarm:log-monitor-test-silence-ecs-orders");
  });

  it("shortens a silence alarm's name to CloudWatch's 255 characters for a log group name of 512", () => {
    // CloudWatch API Reference, PutMetricAlarm: AlarmName, 1 to 255 characters; CloudWatch Logs API Reference,
    // CreateLogGroup: logGroupName, 1 to 512 characters.
    const longGroup = `/${"a".repeat(511)}`;
    const silent = JSON.parse(synthStacks(testConfig({ LOG_MONITOR_SILENCE_ALARM_MINUTES: "30", LOG_MONITOR_LOG_GROUPS: longGroup })).alerting);
    const alarm = Object.values(resourcesOf(silent, "aws_cloudwatch_metric_alarm")).find((a) => a.namespace === "AWS/Logs")!;
    expect(alarm.alarm_name).toHaveLength(255);
    expect(alarm.alarm_name).toMatch(/^log-monitor-test-silence-a+-[0-9a-f]{8}$/);
    expect(alarm.dimensions).toEqual({ LogGroupName: longGroup });
  });

  it("creates a monthly cost budget that notifies the topic and the emails at 80% and 100% actual and 100% forecast", () => {
    const budgeted = JSON.parse(synthStacks(testConfig({ LOG_MONITOR_MONTHLY_BUDGET_USD: "25" })).alerting);
    const budget = onlyResource(budgeted, "aws_budgets_budget");
    const subscribers = {
      subscriber_sns_topic_arns: ["${aws_sns_topic.alert-topic.arn}"],
      subscriber_email_addresses: ["oncall@example.com", "Team.Lead+alerts@example.org"],
    };
    expect(budget).toMatchObject({
      name: "log-monitor-test-monthly-cost-eu-west-1",
      budget_type: "COST",
      time_unit: "MONTHLY",
      limit_amount: "25.00",
      limit_unit: "USD",
      depends_on: ["aws_sns_topic_policy.alert-topic-policy"],
      notification: [
        { notification_type: "ACTUAL", comparison_operator: "GREATER_THAN", threshold: 80, threshold_type: "PERCENTAGE", ...subscribers },
        { notification_type: "ACTUAL", comparison_operator: "GREATER_THAN", threshold: 100, threshold_type: "PERCENTAGE", ...subscribers },
        { notification_type: "FORECASTED", comparison_operator: "GREATER_THAN", threshold: 100, threshold_type: "PERCENTAGE", ...subscribers },
      ],
    });
    // Budgets may publish to the topic and use its key, for this budget only (Cost Management User Guide,
    // "Creating an Amazon SNS topic for budget notifications").
    const budgetArn =
      "arn:${data.aws_partition.current-partition.partition}:budgets::${data.aws_caller_identity.current-account.account_id}:budget/log-monitor-test-monthly-cost-eu-west-1";
    for (const document of ["alert-topic-policy-document", "encryption-key-policy"]) {
      const statement = budgeted.data.aws_iam_policy_document[document].statement.find(
        (s: { principals?: { identifiers: string[] }[] }) => s.principals?.[0]?.identifiers[0] === "budgets.amazonaws.com",
      );
      expect(statement.condition).toEqual([
        { test: "StringEquals", variable: "aws:SourceAccount", values: ["${data.aws_caller_identity.current-account.account_id}"] },
        { test: "ArnLike", variable: "aws:SourceArn", values: [budgetArn] },
      ]);
    }
    expect(resourcesOf(json, "aws_budgets_budget")).toEqual({});
    expect(JSON.stringify(json)).not.toContain("budgets.amazonaws.com");
  });

  it("uses a key the user supplies instead of creating one", () => {
    const keyArn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const supplied = JSON.parse(synthStacks(testConfig({ LOG_MONITOR_KMS_KEY_ARN: keyArn })).alerting);
    expect(resourcesOf(supplied, "aws_kms_key")).toEqual({});
    for (const topic of Object.values(resourcesOf(supplied, "aws_sns_topic"))) expect(topic.kms_master_key_id).toBe(keyArn);
    expect(onlyResource(supplied, "aws_cloudwatch_log_group").kms_key_id).toBe(keyArn);
  });

  it("matches the snapshot", () => {
    expect(alerting).toMatchSnapshot();
  });
});

describe("alerting stack: email addresses that map to one resource name", () => {
  it("subscribes first.last@ and first-last@ both, with construct ids that cannot collide, and keeps a lone address's id", () => {
    const json = JSON.parse(synthStacks(testConfig({ LOG_MONITOR_ALERT_EMAILS: "first.last@corp.com,first-last@corp.com,oncall@example.com" })).alerting);
    const subscriptions = resourcesOf(json, "aws_sns_topic_subscription");
    expect(Object.values(subscriptions).map((s) => s.endpoint).sort()).toEqual(["first-last@corp.com", "first.last@corp.com", "oncall@example.com"]);
    expect(Object.keys(subscriptions)).toContain("alert-email-oncall-at-example-com");
    expect(Object.keys(subscriptions).filter((id) => /^alert-email-first-last-at-corp-com_[0-9a-f]{8}$/.test(id))).toHaveLength(2);
  });
});
