import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogSubscriptionFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-subscription-filter";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaFunctionEventInvokeConfig } from "@cdktf/provider-aws/lib/lambda-function-event-invoke-config";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { LOG_PROCESSOR_SUBSCRIPTION_PATTERN } from "../../config/filter-patterns";
import { onlyResource, synthStacks, testConfig } from "./synth-helpers";

const REMOTE = "data.terraform_remote_state.cross-stack-reference-input-alerting.outputs";

describe("processing stack", () => {
  const processing = synthStacks().processing;
  const json = JSON.parse(processing);
  const KMS_KEY_ARN = `\${${REMOTE}.cross-stack-output-aws_kms_keyencryption-keyarn}`;
  const LOG_GROUP_ARN = `\${${REMOTE}.cross-stack-output-aws_cloudwatch_log_grouptest-emitter-log-grouparn}`;
  const ALERT_TOPIC_ARN = `\${${REMOTE}.cross-stack-output-aws_sns_topicalert-topicarn}`;
  const CRITICAL_TOPIC_ARN = `\${${REMOTE}.cross-stack-output-aws_sns_topiccritical-topicarn}`;
  const LOG_GROUP_NAME = `\${${REMOTE}.cross-stack-output-aws_cloudwatch_log_grouptest-emitter-log-groupname}`;

  it("stores incidents in an on-demand table with point-in-time recovery, KMS encryption and a TTL", () => {
    expect(processing).toHaveResourceWithProperties(DynamodbTable, {
      name: "log-monitor-test-incidents",
      billing_mode: "PAY_PER_REQUEST",
      hash_key: "incident_id",
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true, kms_key_arn: KMS_KEY_ARN },
      ttl: { attribute_name: "expires_at", enabled: true },
      deletion_protection_enabled: true,
    });
  });

  // Both index partition keys are write-sharded (handlers/log-processor/incident-schema.ts): one noisy group or one
  // repeating failure spreads over 10 or 16 index partitions instead of saturating one (1,000 write units a second).
  // The index keeps its name, so changing its key is an in-place update of the table (docs/operations.md, "Upgrading").
  it("indexes incidents by log group and by fingerprint, both sharded, newest first, so no query needs a scan", () => {
    const table = json.resource.aws_dynamodb_table["incidents-table"];
    expect(table.global_secondary_index).toEqual([
      { name: "by-log-group", hash_key: "log_group_shard", range_key: "occurred_at", projection_type: "ALL" },
      { name: "by-fingerprint", hash_key: "fingerprint_shard", range_key: "occurred_at", projection_type: "ALL" },
    ]);
    expect(table.attribute).toEqual([
      { name: "incident_id", type: "S" },
      { name: "log_group_shard", type: "S" },
      { name: "occurred_at", type: "S" },
      { name: "fingerprint_shard", type: "S" },
    ]);
  });

  it("keeps each failure's alert state (account, log group, fingerprint) in its own encrypted table, expired by TTL", () => {
    expect(processing).toHaveResourceWithProperties(DynamodbTable, {
      name: "log-monitor-test-alert-suppression",
      billing_mode: "PAY_PER_REQUEST",
      hash_key: "failure_key",
      attribute: [{ name: "failure_key", type: "S" }],
      server_side_encryption: { enabled: true, kms_key_arn: KMS_KEY_ARN },
      ttl: { attribute_name: "expires_at", enabled: true },
    });
  });

  it("grants no SNS and no suppression-table permission when real-time alerts are switched off", () => {
    const quiet = JSON.parse(synthStacks(testConfig({ LOG_MONITOR_REALTIME_ALERTS: "false" })).processing);
    const sids = quiet.data.aws_iam_policy_document["log-processor-policy"].statement.map((s: { sid: string }) => s.sid);
    // The declaration says these calls are skipped with REALTIME_ALERTS=false, so nothing grants them.
    expect(sids).toEqual(["WriteOwnLogs", "WriteTraces", "WriteIncidents", "UseKeyForEncryptedTables", "ParkFailedEvents", "EncryptParkedEvents"]);
    expect(onlyResource(quiet, "aws_lambda_function").environment.variables.REALTIME_ALERTS).toBe("false");
  });

  it("leaves deletion protection off in dev, so that a sandbox can be destroyed", () => {
    const dev = JSON.parse(synthStacks(testConfig({ LOG_MONITOR_ENV: "dev" })).processing);
    expect(dev.resource.aws_dynamodb_table["incidents-table"].deletion_protection_enabled).toBe(false);
  });

  it("runs the bundled processor with the table name and TTL from configuration, and a dead-letter queue", () => {
    expect(processing).toHaveResourceWithProperties(LambdaFunction, {
      function_name: "log-monitor-test-log-processor",
      runtime: "nodejs24.x",
      architectures: ["arm64"],
      handler: "index.handler",
      environment: {
        variables: {
          INCIDENTS_TABLE_NAME: "${aws_dynamodb_table.incidents-table.name}",
          INCIDENT_TTL_DAYS: "30",
          REALTIME_ALERTS: "true",
          ALERT_TOPIC_ARN,
          CRITICAL_TOPIC_ARN,
          SUPPRESSION_TABLE_NAME: "${aws_dynamodb_table.alert-suppression-table.name}",
          SUPPRESSION_MINUTES: "15",
          METRICS_NAMESPACE: "LogMonitoring/test",
          ENVIRONMENT_NAME: "test",
          MAX_ALERTS_PER_DELIVERY: "10",
        },
      },
      dead_letter_config: { target_arn: "${aws_sqs_queue.dead-letter-queue.arn}" },
      source_code_hash: "${data.archive_file.log-processor-archive.output_base64sha256}",
    });
    expect(processing).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: "/aws/lambda/log-monitor-test-log-processor",
      retention_in_days: 30,
      kms_key_id: KMS_KEY_ARN,
    });
  });

  it("bounds asynchronous retries and event age, and keeps what fails in an encrypted queue for 14 days", () => {
    expect(processing).toHaveResourceWithProperties(LambdaFunctionEventInvokeConfig, {
      function_name: "${aws_lambda_function.log-processor.function_name}",
      maximum_retry_attempts: 2,
      maximum_event_age_in_seconds: 3600,
    });
    expect(processing).toHaveResourceWithProperties(SqsQueue, {
      name: "log-monitor-test-log-processor-dlq",
      kms_master_key_id: KMS_KEY_ARN,
      message_retention_seconds: 1209600,
    });
  });

  it("lets only CloudWatch Logs, from the monitored log group in this account, invoke the processor", () => {
    expect(processing).toHaveResourceWithProperties(LambdaPermission, {
      action: "lambda:InvokeFunction",
      function_name: "${aws_lambda_function.log-processor.function_name}",
      principal: "logs.amazonaws.com",
      source_arn: `${LOG_GROUP_ARN}:*`,
      source_account: "${data.aws_caller_identity.current-account.account_id}",
    });
  });

  it("subscribes the processor to the alerting stack's log group, after the invoke permission exists", () => {
    expect(processing).toHaveResourceWithProperties(CloudwatchLogSubscriptionFilter, {
      name: "log-monitor-test-log-processor",
      log_group_name: LOG_GROUP_NAME,
      filter_pattern: LOG_PROCESSOR_SUBSCRIPTION_PATTERN,
      destination_arn: "${aws_lambda_function.log-processor.arn}",
      depends_on: ["aws_lambda_permission.logs-invoke-permission"],
    });
  });

  it("grants the processor exactly the actions its declaration lists, each on its resource, and the key for each encrypted one", () => {
    const statements = json.data.aws_iam_policy_document["log-processor-policy"].statement;
    expect(statements).toEqual([
      {
        sid: "WriteOwnLogs",
        effect: "Allow",
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: ["${aws_cloudwatch_log_group.log-processor-log-group.arn}:*"],
      },
      { sid: "WriteTraces", effect: "Allow", actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], resources: ["*"] },
      {
        sid: "WriteIncidents",
        effect: "Allow",
        actions: ["dynamodb:BatchWriteItem"],
        resources: ["${aws_dynamodb_table.incidents-table.arn}"],
      },
      {
        sid: "TrackAlertSuppression",
        effect: "Allow",
        // Conditional updates only: no whole-item write or delete that could erase a mute (docs/alert-state-machine.md);
        // and a read of the failures a storm's digest would name (neither muted nor alerted).
        actions: ["dynamodb:UpdateItem", "dynamodb:BatchGetItem"],
        resources: ["${aws_dynamodb_table.alert-suppression-table.arn}"],
      },
      { sid: "PublishRealtimeAlerts", effect: "Allow", actions: ["sns:Publish"], resources: [ALERT_TOPIC_ARN, CRITICAL_TOPIC_ARN] },
      {
        // Both tables are encrypted with the environment's key and DynamoDB uses it on the caller's behalf: the
        // caller's own policy must allow it (AWS KMS Developer Guide, "How Amazon DynamoDB uses AWS KMS",
        // Authorizing use of your KMS key). The set is the AWS CDK's grantReadWriteData key grant, named in full.
        sid: "UseKeyForEncryptedTables",
        effect: "Allow",
        actions: [
          "kms:Decrypt",
          "kms:DescribeKey",
          "kms:Encrypt",
          "kms:GenerateDataKey",
          "kms:GenerateDataKeyWithoutPlaintext",
          "kms:ReEncryptFrom",
          "kms:ReEncryptTo",
        ],
        resources: [KMS_KEY_ARN],
        condition: [{ test: "StringEquals", variable: "kms:ViaService", values: ["dynamodb.eu-west-1.amazonaws.com"] }],
      },
      {
        sid: "EncryptRealtimeAlerts",
        effect: "Allow",
        actions: ["kms:GenerateDataKey", "kms:Decrypt"],
        resources: [KMS_KEY_ARN],
        condition: [{ test: "StringEquals", variable: "kms:ViaService", values: ["sns.eu-west-1.amazonaws.com"] }],
      },
      { sid: "ParkFailedEvents", effect: "Allow", actions: ["sqs:SendMessage"], resources: ["${aws_sqs_queue.dead-letter-queue.arn}"] },
      {
        sid: "EncryptParkedEvents",
        effect: "Allow",
        actions: ["kms:GenerateDataKey", "kms:Decrypt"],
        resources: [KMS_KEY_ARN],
        condition: [{ test: "StringEquals", variable: "kms:ViaService", values: ["sqs.eu-west-1.amazonaws.com"] }],
      },
    ]);
    expect(onlyResource(json, "aws_iam_role_policy").policy).toBe("${data.aws_iam_policy_document.log-processor-policy.json}");
  });

  it("keeps state in S3 under log-monitor/<region>/<env>/processing.tfstate and reads the alerting stack's state from there", () => {
    expect(json.terraform.backend.s3).toMatchObject({ key: "log-monitor/eu-west-1/test/processing.tfstate", use_lockfile: true, encrypt: true });
    expect(json.data.terraform_remote_state["cross-stack-reference-input-alerting"]).toMatchObject({
      backend: "s3",
      config: { bucket: "example-terraform-state", key: "log-monitor/eu-west-1/test/alerting.tfstate", region: "eu-west-1" },
    });
  });

  it("names the execution role with the region, since IAM names are global to the account", () => {
    expect(onlyResource(json, "aws_iam_role").name).toBe("log-monitor-test-log-processor-eu-west-1");
    expect(onlyResource(json, "aws_lambda_function").function_name).toBe("log-monitor-test-log-processor");
  });

  it("reserves concurrency for the processor only when LOG_MONITOR_RESERVED_CONCURRENCY is set", () => {
    // Lambda Developer Guide, "Configuring reserved concurrency": Lambda keeps at least 10 concurrent executions
    // unreserved, so a new account (quota 10) refuses any reservation ("UnreservedConcurrentExecution below its
    // minimum value of [10]").
    expect(onlyResource(json, "aws_lambda_function")).not.toHaveProperty("reserved_concurrent_executions");
    const custom = JSON.parse(synthStacks(testConfig({ LOG_MONITOR_RESERVED_CONCURRENCY: "50" })).processing);
    expect(onlyResource(custom, "aws_lambda_function").reserved_concurrent_executions).toBe(50);
  });

  it("attaches the configured permissions boundary to the processor's role, and none by default", () => {
    expect(onlyResource(json, "aws_iam_role").permissions_boundary).toBeUndefined();
    const boundary = "arn:aws:iam::123456789012:policy/DeveloperBoundary";
    const bounded = JSON.parse(synthStacks(testConfig({ LOG_MONITOR_PERMISSIONS_BOUNDARY: boundary })).processing);
    expect(onlyResource(bounded, "aws_iam_role").permissions_boundary).toBe(boundary);
  });

  it("alarms on the pipeline itself: processor errors, throttles, duration near the timeout, and a non-empty dead-letter queue", () => {
    const alarms = json.resource.aws_cloudwatch_metric_alarm;
    // Firing pages the critical topic; recovering does not (the alert topic only).
    const actions = { alarm_actions: [ALERT_TOPIC_ARN, CRITICAL_TOPIC_ARN], ok_actions: [ALERT_TOPIC_ARN] };
    expect(alarms["processor-errors-alarm"]).toMatchObject({
      alarm_name: "log-monitor-test-processor-errors",
      namespace: "AWS/Lambda",
      metric_name: "Errors",
      dimensions: { FunctionName: "log-monitor-test-log-processor" },
      statistic: "Sum",
      threshold: 1,
      comparison_operator: "GreaterThanOrEqualToThreshold",
      ...actions,
    });
    expect(alarms["processor-throttles-alarm"]).toMatchObject({ metric_name: "Throttles", threshold: 1, ...actions });
    expect(alarms["processor-duration-alarm"]).toMatchObject({ metric_name: "Duration", statistic: "Maximum", threshold: 48000, ...actions });
    expect(alarms["dead-letter-queue-not-empty-alarm"]).toMatchObject({
      namespace: "AWS/SQS",
      metric_name: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: "log-monitor-test-log-processor-dlq" },
      threshold: 1,
      comparison_operator: "GreaterThanOrEqualToThreshold",
      ...actions,
    });
    expect(Object.keys(alarms)).toHaveLength(4);
  });

  it("matches the snapshot", () => {
    expect(processing).toMatchSnapshot();
  });
});
