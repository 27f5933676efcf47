import { LOG_PROCESSOR_SUBSCRIPTION_PATTERN } from "../../config/filter-patterns";
import { matchesFilterPattern } from "../../lib/filter-pattern";
import { onlyResource, resourcesOf, synthStacks, testConfig, TerraformJson } from "./synth-helpers";

const KEY_ARN = "${data.terraform_remote_state.cross-stack-reference-input-alerting.outputs.cross-stack-output-aws_kms_keyencryption-keyarn}";
const STREAM_ARN = "${aws_kinesis_stream.log-stream.arn}";
const DELIVERY_ROLE_ARN = "${aws_iam_role.log-stream-delivery-role.arn}";

type Statement = { sid: string; actions: string[]; resources: string[]; condition?: { test: string; variable: string; values: string[] }[] };
const statements = (json: TerraformJson, document: string): Statement[] => json.data.aws_iam_policy_document[document].statement;
const statement = (json: TerraformJson, document: string, sid: string): Statement | undefined =>
  statements(json, document).find((s) => s.sid === sid);

describe("Kinesis transport (LOG_MONITOR_TRANSPORT=kinesis)", () => {
  const synthesized = synthStacks(testConfig({ LOG_MONITOR_TRANSPORT: "kinesis", LOG_MONITOR_LOG_GROUPS: "/ecs/payments" }));
  const processing: TerraformJson = JSON.parse(synthesized.processing);
  const alerting: TerraformJson = JSON.parse(synthesized.alerting);

  it("creates an on-demand stream encrypted with the environment's customer-managed key", () => {
    expect(onlyResource(processing, "aws_kinesis_stream")).toEqual({
      name: "log-monitor-test-logs",
      stream_mode_details: { stream_mode: "ON_DEMAND" },
      retention_period: 24,
      encryption_type: "KMS",
      kms_key_id: KEY_ARN,
    });
  });

  // CloudWatch Logs User Guide, "Subscription filters with Amazon Kinesis Data Streams": the role trusts
  // logs.amazonaws.com, limited by aws:SourceArn, and allows kinesis:PutRecord on the stream
  // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html#DestinationKinesisExample).
  it("lets CloudWatch Logs of this account and region, and nothing else, assume a role that may only put records", () => {
    const trust = statements(processing, "log-stream-delivery-assume-role-policy");
    expect(trust).toEqual([
      {
        sid: "CloudWatchLogsAssumesRole",
        effect: "Allow",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["logs.amazonaws.com"] }],
        condition: [
          { test: "StringLike", variable: "aws:SourceArn", values: ["arn:${data.aws_partition.current-partition.partition}:logs:eu-west-1:${data.aws_caller_identity.current-account.account_id}:*"] },
          { test: "StringEquals", variable: "aws:SourceAccount", values: ["${data.aws_caller_identity.current-account.account_id}"] },
        ],
      },
    ]);
    expect(statements(processing, "log-stream-delivery-policy").map((s) => [s.sid, s.actions, s.resources])).toEqual([
      ["PutDeliveriesIntoStream", ["kinesis:PutRecord"], [STREAM_ARN]],
      ["EncryptDeliveries", ["kms:GenerateDataKey"], [KEY_ARN]],
    ]);
    expect(statement(processing, "log-stream-delivery-policy", "EncryptDeliveries")?.condition).toEqual([
      { test: "StringEquals", variable: "kms:ViaService", values: ["kinesis.eu-west-1.amazonaws.com"] },
    ]);
    expect(resourcesOf(processing, "aws_iam_role")["log-stream-delivery-role"].name).toBe("log-monitor-test-logs-delivery-eu-west-1");
  });

  it("points every subscription filter at the stream through the role, spread randomly over shards, and grants no invoke", () => {
    const filters = Object.values(resourcesOf(processing, "aws_cloudwatch_log_subscription_filter"));
    expect(filters).toHaveLength(2);
    for (const filter of filters) {
      expect(filter).toMatchObject({ destination_arn: STREAM_ARN, role_arn: DELIVERY_ROLE_ARN, distribution: "Random" });
      expect(filter.depends_on).toEqual(["aws_iam_role_policy.log-stream-delivery-role-policy"]);
    }
    expect(resourcesOf(processing, "aws_lambda_permission")).toEqual({});
  });

  // Lambda Developer Guide, "Using AWS Lambda with Amazon Kinesis" and "Configuring partial batch response with
  // Kinesis Data Streams and Lambda": ReportBatchItemFailures must be listed in FunctionResponseTypes or the response
  // is ignored; without a retry bound a poison record blocks its shard until it expires.
  it("reads the stream with an event source mapping: batching window, bisect, bounded retries, partial failures, DLQ", () => {
    expect(onlyResource(processing, "aws_lambda_event_source_mapping")).toEqual({
      function_name: "${aws_lambda_function.log-processor.function_name}",
      event_source_arn: STREAM_ARN,
      starting_position: "TRIM_HORIZON",
      batch_size: 100,
      maximum_batching_window_in_seconds: 5,
      bisect_batch_on_function_error: true,
      maximum_retry_attempts: 3,
      // -1: as long as the stream keeps the record (24 h), as the alarms say (botocore lambda/2015-03-31,
      // MaximumRecordAgeInSeconds: -1 to 604,800).
      maximum_record_age_in_seconds: -1,
      function_response_types: ["ReportBatchItemFailures"],
      destination_config: { on_failure: { destination_arn: "${aws_sqs_queue.dead-letter-queue.arn}" } },
    });
  });

  it("takes the batch size and window from configuration", () => {
    const tuned = JSON.parse(
      synthStacks(testConfig({ LOG_MONITOR_TRANSPORT: "kinesis", LOG_MONITOR_KINESIS_BATCH_SIZE: "1000", LOG_MONITOR_KINESIS_BATCHING_WINDOW_SECONDS: "0" })).processing,
    );
    expect(onlyResource(tuned, "aws_lambda_event_source_mapping")).toMatchObject({ batch_size: 1000, maximum_batching_window_in_seconds: 0 });
  });

  it("lets the processor read the stream and decrypt it only through Kinesis, and nothing more on the stream", () => {
    expect(statement(processing, "log-processor-policy", "ReadLogStream")).toEqual({
      sid: "ReadLogStream",
      effect: "Allow",
      actions: ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"],
      resources: [STREAM_ARN],
    });
    expect(statement(processing, "log-processor-policy", "DecryptLogStream")).toMatchObject({
      actions: ["kms:Decrypt"],
      resources: [KEY_ARN],
      condition: [{ test: "StringEquals", variable: "kms:ViaService", values: ["kinesis.eu-west-1.amazonaws.com"] }],
    });
  });

  it("admits Kinesis among the services the key policy lets the account use the key through", () => {
    const key = alerting.data.aws_iam_policy_document["encryption-key-policy"].statement.find(
      (s: Statement) => s.sid === "AccountUsesKeyThroughProjectServices",
    );
    expect(key.condition[0].values).toEqual([
      "dynamodb.eu-west-1.amazonaws.com",
      "kinesis.eu-west-1.amazonaws.com",
      "lambda.eu-west-1.amazonaws.com",
      "sns.eu-west-1.amazonaws.com",
      "sqs.eu-west-1.amazonaws.com",
    ]);
  });

  it("alarms when the processor falls more than 5 minutes behind the stream, and names that alarm in the key policy", () => {
    expect(resourcesOf(processing, "aws_cloudwatch_metric_alarm")["processor-iterator-age-alarm"]).toMatchObject({
      alarm_name: "log-monitor-test-processor-iterator-age",
      namespace: "AWS/Lambda",
      metric_name: "IteratorAge",
      statistic: "Maximum",
      threshold: 300000,
      evaluation_periods: 3,
      dimensions: { FunctionName: "log-monitor-test-log-processor" },
    });
    expect(alerting.data.aws_iam_policy_document["encryption-key-policy"].statement.find((s: Statement) => s.sid === "CloudWatchAlarmsPublishToEncryptedTopic").condition[1].values).toContain(
      "arn:${data.aws_partition.current-partition.partition}:cloudwatch:eu-west-1:${data.aws_caller_identity.current-account.account_id}:alarm:log-monitor-test-processor-iterator-age",
    );
  });

  it("leaves the direct transport's output without any of it", () => {
    const direct = JSON.parse(synthStacks().processing);
    expect(resourcesOf(direct, "aws_kinesis_stream")).toEqual({});
    expect(resourcesOf(direct, "aws_lambda_event_source_mapping")).toEqual({});
    expect(resourcesOf(direct, "aws_cloudwatch_log_account_policy")).toEqual({});
    expect(statement(direct, "log-processor-policy", "ReadLogStream")).toBeUndefined();
  });
});

describe("account-wide monitoring (LOG_MONITOR_ACCOUNT_WIDE=true)", () => {
  const direct: TerraformJson = JSON.parse(
    synthStacks(testConfig({ LOG_MONITOR_ACCOUNT_WIDE: "true", LOG_MONITOR_LOG_GROUPS: "/ecs/payments", LOG_MONITOR_EXCLUDE_LOG_GROUPS: "/ecs/chatty,/aws/lambda/noisy-*" }))
      .processing,
  );
  const viaKinesis: TerraformJson = JSON.parse(
    synthStacks(testConfig({ LOG_MONITOR_ACCOUNT_WIDE: "true", LOG_MONITOR_TRANSPORT: "kinesis" })).processing,
  );

  // PutAccountPolicy (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutAccountPolicy.html):
  // policy type SUBSCRIPTION_FILTER_POLICY, scope ALL, document with DestinationArn, RoleArn (not for Lambda),
  // FilterPattern, Distribution (Kinesis only); selection criteria only `LogGroupName NOT IN [...]`.
  it("creates one account-level subscription filter policy excluding the project's functions' groups, the listed groups and the exclusions", () => {
    const policy = onlyResource(direct, "aws_cloudwatch_log_account_policy");
    expect(policy).toMatchObject({
      policy_name: "log-monitor-test-errors",
      policy_type: "SUBSCRIPTION_FILTER_POLICY",
      scope: "ALL",
      selection_criteria:
        'LogGroupName NOT IN ["/aws/lambda/log-monitor-test-log-processor", "/aws/lambda/log-monitor-test-test-emitter", "/aws/lambda/log-monitor-test-triage-widget", "/ecs/chatty", "/ecs/payments"]',
      depends_on: ["aws_lambda_permission.account-logs-invoke-permission"],
    });
    expect(JSON.parse(policy.policy_document)).toEqual({
      DestinationArn: "${aws_lambda_function.log-processor.arn}",
      FilterPattern: LOG_PROCESSOR_SUBSCRIPTION_PATTERN,
    });
  });

  it("never lets the processor's own log group feed it (no feedback loop), even though its lines mention errors", () => {
    const policy = onlyResource(direct, "aws_cloudwatch_log_account_policy");
    // The processor's summary line of a failed delivery passes the pre-filter: only the exclusion stops the loop.
    expect(matchesFilterPattern(JSON.parse(policy.policy_document).FilterPattern, '{"summary":"kinesis record failed","error":"Malformed CloudWatch Logs event"}')).toBe(true);
    expect(policy.selection_criteria).toContain('"/aws/lambda/log-monitor-test-log-processor"');
  });

  it("lets CloudWatch Logs invoke the processor for any log group of this account and region, and no other account", () => {
    expect(resourcesOf(direct, "aws_lambda_permission")["account-logs-invoke-permission"]).toEqual({
      statement_id: "CloudWatchLogsInvokeAccountWide",
      action: "lambda:InvokeFunction",
      function_name: "${aws_lambda_function.log-processor.function_name}",
      principal: "logs.amazonaws.com",
      source_arn: "arn:${data.aws_partition.current-partition.partition}:logs:eu-west-1:${data.aws_caller_identity.current-account.account_id}:log-group:*",
      source_account: "${data.aws_caller_identity.current-account.account_id}",
    });
  });

  it("keeps the per-group filters of the emitter and the listed groups, which the policy excludes, so nothing is delivered twice", () => {
    const filters = Object.keys(resourcesOf(direct, "aws_cloudwatch_log_subscription_filter")).sort();
    expect(filters).toEqual(["ecs-payments-log-processor-subscription", "log-processor-subscription"]);
  });

  it("passes exclusion prefixes, which the criteria cannot express, to the processor", () => {
    expect(onlyResource(direct, "aws_lambda_function").environment.variables.EXCLUDED_LOG_GROUP_PREFIXES).toBe('["/aws/lambda/noisy-"]');
  });

  it("sends to the stream through the delivery role, randomly distributed, with the Kinesis transport", () => {
    const policy = onlyResource(viaKinesis, "aws_cloudwatch_log_account_policy");
    expect(JSON.parse(policy.policy_document)).toEqual({
      DestinationArn: STREAM_ARN,
      RoleArn: DELIVERY_ROLE_ARN,
      FilterPattern: LOG_PROCESSOR_SUBSCRIPTION_PATTERN,
      Distribution: "Random",
    });
    expect(policy.depends_on).toEqual(["aws_iam_role_policy.log-stream-delivery-role-policy"]);
    expect(resourcesOf(viaKinesis, "aws_lambda_permission")).toEqual({});
  });
});

/**
 * A group-list change and the account policy. In terraform-provider-aws (internal/service/logs/account_policy.go,
 * resourceAccountPolicy) `policy_name`, `policy_type` and `selection_criteria` are ForceNew and `policy_document` is
 * updated in place (Update = PutAccountPolicy). PutAccountPolicy: "Each account can have one account-level subscription
 * filter policy per Region. If you are updating an existing filter, you must specify the correct name in PolicyName"
 * (CloudWatch Logs API Reference, PutAccountPolicy). So a change of LOG_MONITOR_LOG_GROUPS or of the exclusions, which
 * changes the selection criteria only, replaces the policy: Terraform deletes it, then puts the new one (a gap of those
 * two calls, docs/scale-and-cross-account.md "Changing the group list"). create_before_destroy would be worse: with the
 * same name the create overwrites the policy and the destroy then deletes it (no policy at all); with another name the
 * create fails on the one-per-region quota. These tests hold the resource to the shape the documented procedure needs.
 */
describe("account-wide policy across a group-list change", () => {
  const before = onlyResource(JSON.parse(synthStacks(testConfig({ LOG_MONITOR_ACCOUNT_WIDE: "true", LOG_MONITOR_LOG_GROUPS: "/ecs/payments" })).processing), "aws_cloudwatch_log_account_policy");
  const after = onlyResource(
    JSON.parse(synthStacks(testConfig({ LOG_MONITOR_ACCOUNT_WIDE: "true", LOG_MONITOR_LOG_GROUPS: "/ecs/payments,/ecs/orders" })).processing),
    "aws_cloudwatch_log_account_policy",
  );

  it("changes the selection criteria only: same name, type, scope and document", () => {
    expect(after.policy_name).toBe(before.policy_name);
    expect(after.policy_type).toBe(before.policy_type);
    expect(after.scope).toBe(before.scope);
    expect(after.policy_document).toBe(before.policy_document);
    expect(after.selection_criteria).not.toBe(before.selection_criteria);
    expect(after.selection_criteria).toBe(
      'LogGroupName NOT IN ["/aws/lambda/log-monitor-test-log-processor", "/aws/lambda/log-monitor-test-test-emitter", "/aws/lambda/log-monitor-test-triage-widget", "/ecs/orders", "/ecs/payments"]',
    );
  });

  it("is never created before it is destroyed (same name: the destroy would delete the new policy; another name: the quota of one)", () => {
    expect(after.lifecycle?.create_before_destroy).toBeUndefined();
    expect(before.lifecycle?.create_before_destroy).toBeUndefined();
  });

  it("keeps its criteria in the form AWS's own example uses, so a same-name put-account-policy matches what Terraform plans", () => {
    // CloudWatch Logs User Guide, "Step 3: Create an account-level subscription filter policy":
    // --selection-criteria 'LogGroupName NOT IN ["LogGroupToExclude1", "LogGroupToExclude2"]'
    expect(after.selection_criteria).toMatch(/^LogGroupName NOT IN \[("[^"]+")(, "[^"]+")*\]$/);
  });
});

describe("Kinesis transport: an alarm when nothing reads the stream", () => {
  it("alarms when the stream is not read for 5 minutes, missing data breaching (a stopped mapping publishes nothing)", () => {
    const processing = JSON.parse(synthStacks(testConfig({ LOG_MONITOR_TRANSPORT: "kinesis" })).processing);
    expect(resourcesOf(processing, "aws_cloudwatch_metric_alarm")["processor-stream-not-read-alarm"]).toMatchObject({
      alarm_name: "log-monitor-test-processor-stream-not-read",
      namespace: "AWS/Kinesis",
      metric_name: "GetRecords.Success",
      dimensions: { StreamName: "log-monitor-test-logs" },
      statistic: "Sum",
      comparison_operator: "LessThanThreshold",
      threshold: 1,
      period: 300,
      treat_missing_data: "breaching",
    });
  });
});
