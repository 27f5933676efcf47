/**
 * AWS's request constraints on every API field a synthesized Terraform argument reaches, as data. Taken from AWS's
 * published API models, the service models of the public boto/botocore repository
 * (`botocore/data/<service>/<version>/service-2.json`, botocore 1.43.67, commit
 * 0e6e2404b85dc336dd2889814e089bde7d1a4c55), shape by shape: `min`, `max`, `pattern`, `enum`. Where a model leaves a
 * field open (SNS, SQS and S3 model names as plain strings; DynamoDB's TableName shape also takes ARNs), the
 * constraint comes from the API reference page named in `source`.
 *
 * Patterns are applied to the whole value (`^(?:pattern)$`), as the services validate them. One pattern is adapted to
 * JavaScript, as noted beside it.
 */

/** A constraint on one field of one request. */
export interface FieldConstraint {
  /** Least length of a string or list, or least value of a number. */
  readonly min?: number;
  /** Greatest length of a string or list, or greatest value of a number. */
  readonly max?: number;
  /** The pattern a string must match whole. */
  readonly pattern?: string;
  /** The values allowed. */
  readonly enum?: readonly (string | number)[];
  /** Where the constraint is written: model file and shape, or documentation page. */
  readonly source: string;
}

/** One synthesized argument and the API field it reaches. */
export interface ArgumentRule {
  /** The Terraform resource type, e.g. `aws_lambda_permission`. */
  readonly resource: string;
  /** The argument's path in the resource's JSON: `name`, `metric_transformation.namespace`, `alarm_actions[]`. */
  readonly argument: string;
  /** The API field: `<service>.<Operation>.<Member>`. */
  readonly apiField: string;
  /** What the value is: a string, a number, a list (its length; members checked by an `[]` rule), a map's values. */
  readonly kind: "string" | "number" | "list";
  readonly constraint: FieldConstraint;
}

const BOTOCORE = "botocore 1.43.67";
const model = (file: string, shape: string) => `${BOTOCORE} ${file} service-2.json, shape ${shape}`;
const CHATBOT = "chatbot/2017-10-11";
const CLOUDWATCH = "cloudwatch/2010-08-01";
const LOGS = "logs/2014-03-28";
const LAMBDA = "lambda/2015-03-31";
const IAM = "iam/2010-05-08";
const DYNAMODB = "dynamodb/2012-08-10";
const KINESIS = "kinesis/2013-12-02";
const KMS = "kms/2014-11-01";
const BUDGETS = "budgets/2016-10-20";
const SCHEDULER = "scheduler/2021-06-30";

const CONFIGURATION_NAME = { min: 1, max: 128, pattern: "[A-Za-z0-9-_]+", source: model(CHATBOT, "ConfigurationName") };
const LOGGING_LEVEL = { min: 4, max: 5, pattern: "(ERROR|INFO|NONE)", source: model(CHATBOT, "CustomerCwLogLevel") };
const LOG_GROUP_NAME = { min: 1, max: 512, pattern: "[\\.\\-_/#A-Za-z0-9]+", source: model(LOGS, "LogGroupName") };
const FILTER_NAME = { min: 1, max: 512, pattern: "[^:*]*", source: model(LOGS, "FilterName") };
const FILTER_PATTERN = { min: 0, max: 1024, source: model(LOGS, "FilterPattern") };
const ALARM_ACTIONS = { max: 5, source: model(CLOUDWATCH, "ResourceList") };
const ACTION_ARN = { min: 1, max: 1024, source: model(CLOUDWATCH, "ResourceName") };
const ROLE_NAME = { min: 1, max: 64, pattern: "[\\w+=,.@-]+", source: model(IAM, "roleNameType") };
const POLICY_NAME = { min: 1, max: 128, pattern: "[\\w+=,.@-]+", source: model(IAM, "policyNameType") };
const STANDARD_UNITS = [
  "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits",
  "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second",
  "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second",
  "Terabits/Second", "Count/Second", "None",
];

/** Every argument rule. A test checks that every synthesized configuration meets them all. */
export const ARGUMENT_RULES: readonly ArgumentRule[] = [
  // AWS Chatbot: CreateSlackChannelConfiguration, CreateMicrosoftTeamsChannelConfiguration.
  { resource: "aws_chatbot_slack_channel_configuration", argument: "configuration_name", apiField: "chatbot.CreateSlackChannelConfiguration.ConfigurationName", kind: "string", constraint: CONFIGURATION_NAME },
  { resource: "aws_chatbot_slack_channel_configuration", argument: "slack_team_id", apiField: "chatbot.CreateSlackChannelConfiguration.SlackTeamId", kind: "string", constraint: { min: 1, max: 255, pattern: "[0-9A-Z]{1,255}", source: model(CHATBOT, "SlackTeamId") } },
  { resource: "aws_chatbot_slack_channel_configuration", argument: "slack_channel_id", apiField: "chatbot.CreateSlackChannelConfiguration.SlackChannelId", kind: "string", constraint: { min: 1, max: 255, pattern: "[A-Za-z0-9]+", source: model(CHATBOT, "SlackChannelId") } },
  { resource: "aws_chatbot_slack_channel_configuration", argument: "logging_level", apiField: "chatbot.CreateSlackChannelConfiguration.LoggingLevel", kind: "string", constraint: LOGGING_LEVEL },
  { resource: "aws_chatbot_slack_channel_configuration", argument: "guardrail_policy_arns", apiField: "chatbot.CreateSlackChannelConfiguration.GuardrailPolicyArns", kind: "list", constraint: { min: 1, source: "Chatbot API Reference, CreateSlackChannelConfiguration, GuardrailPolicyArns: AdministratorAccess applies when unset (project rule: never unset)" } },
  { resource: "aws_chatbot_slack_channel_configuration", argument: "sns_topic_arns[]", apiField: "chatbot.CreateSlackChannelConfiguration.SnsTopicArns", kind: "string", constraint: { min: 12, max: 1224, pattern: "arn:aws:[A-Za-z0-9][A-Za-z0-9_/.-]{0,62}:[A-Za-z0-9_/.-]{0,63}:[A-Za-z0-9_/.-]{0,63}:[A-Za-z0-9][A-Za-z0-9:_/+=,@.-]{0,1023}", source: model(CHATBOT, "Arn") } },
  { resource: "aws_chatbot_slack_channel_configuration", argument: "iam_role_arn", apiField: "chatbot.CreateSlackChannelConfiguration.IamRoleArn", kind: "string", constraint: { min: 12, max: 1224, pattern: "arn:aws:[A-Za-z0-9][A-Za-z0-9_/.-]{0,62}:[A-Za-z0-9_/.-]{0,63}:[A-Za-z0-9_/.-]{0,63}:[A-Za-z0-9][A-Za-z0-9:_/+=,@.-]{0,1023}", source: model(CHATBOT, "Arn") } },
  { resource: "aws_chatbot_teams_channel_configuration", argument: "configuration_name", apiField: "chatbot.CreateMicrosoftTeamsChannelConfiguration.ConfigurationName", kind: "string", constraint: CONFIGURATION_NAME },
  { resource: "aws_chatbot_teams_channel_configuration", argument: "channel_id", apiField: "chatbot.CreateMicrosoftTeamsChannelConfiguration.ChannelId", kind: "string", constraint: { min: 1, max: 255, pattern: "([a-zA-Z0-9-_=+\\/.,])*%3[aA]([a-zA-Z0-9-_=+\\/.,])*%40([a-zA-Z0-9-_=+\\/.,])*", source: model(CHATBOT, "TeamsChannelId") } },
  { resource: "aws_chatbot_teams_channel_configuration", argument: "team_id", apiField: "chatbot.CreateMicrosoftTeamsChannelConfiguration.TeamId", kind: "string", constraint: { min: 36, max: 36, pattern: "[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}", source: model(CHATBOT, "UUID") } },
  { resource: "aws_chatbot_teams_channel_configuration", argument: "tenant_id", apiField: "chatbot.CreateMicrosoftTeamsChannelConfiguration.TenantId", kind: "string", constraint: { min: 36, max: 36, pattern: "[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}", source: model(CHATBOT, "UUID") } },
  { resource: "aws_chatbot_teams_channel_configuration", argument: "logging_level", apiField: "chatbot.CreateMicrosoftTeamsChannelConfiguration.LoggingLevel", kind: "string", constraint: LOGGING_LEVEL },
  { resource: "aws_chatbot_teams_channel_configuration", argument: "sns_topic_arns[]", apiField: "chatbot.CreateMicrosoftTeamsChannelConfiguration.SnsTopicArns", kind: "string", constraint: { min: 12, max: 1224, pattern: "arn:aws:[A-Za-z0-9][A-Za-z0-9_/.-]{0,62}:[A-Za-z0-9_/.-]{0,63}:[A-Za-z0-9_/.-]{0,63}:[A-Za-z0-9][A-Za-z0-9:_/+=,@.-]{0,1023}", source: model(CHATBOT, "Arn") } },

  // CloudWatch: PutMetricAlarm, PutDashboard.
  { resource: "aws_cloudwatch_metric_alarm", argument: "alarm_name", apiField: "cloudwatch.PutMetricAlarm.AlarmName", kind: "string", constraint: { min: 1, max: 255, source: model(CLOUDWATCH, "AlarmName") } },
  { resource: "aws_cloudwatch_metric_alarm", argument: "alarm_description", apiField: "cloudwatch.PutMetricAlarm.AlarmDescription", kind: "string", constraint: { min: 0, max: 1024, source: model(CLOUDWATCH, "AlarmDescription") } },
  { resource: "aws_cloudwatch_metric_alarm", argument: "metric_name", apiField: "cloudwatch.PutMetricAlarm.MetricName", kind: "string", constraint: { min: 1, max: 255, source: model(CLOUDWATCH, "MetricName") } },
  { resource: "aws_cloudwatch_metric_alarm", argument: "namespace", apiField: "cloudwatch.PutMetricAlarm.Namespace", kind: "string", constraint: { min: 1, max: 255, pattern: "[^:].*", source: model(CLOUDWATCH, "Namespace") } },
  { resource: "aws_cloudwatch_metric_alarm", argument: "statistic", apiField: "cloudwatch.PutMetricAlarm.Statistic", kind: "string", constraint: { enum: ["SampleCount", "Average", "Sum", "Minimum", "Maximum"], source: model(CLOUDWATCH, "Statistic") } },
  { resource: "aws_cloudwatch_metric_alarm", argument: "comparison_operator", apiField: "cloudwatch.PutMetricAlarm.ComparisonOperator", kind: "string", constraint: { enum: ["GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold", "LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold", "GreaterThanUpperThreshold"], source: model(CLOUDWATCH, "ComparisonOperator") } },
  { resource: "aws_cloudwatch_metric_alarm", argument: "period", apiField: "cloudwatch.PutMetricAlarm.Period", kind: "number", constraint: { min: 1, source: model(CLOUDWATCH, "Period") } },
  { resource: "aws_cloudwatch_metric_alarm", argument: "evaluation_periods", apiField: "cloudwatch.PutMetricAlarm.EvaluationPeriods", kind: "number", constraint: { min: 1, source: model(CLOUDWATCH, "EvaluationPeriods") } },
  // The model says 1 to 255; the values are documented in the PutMetricAlarm reference, TreatMissingData.
  { resource: "aws_cloudwatch_metric_alarm", argument: "treat_missing_data", apiField: "cloudwatch.PutMetricAlarm.TreatMissingData", kind: "string", constraint: { enum: ["breaching", "notBreaching", "ignore", "missing"], source: `${model(CLOUDWATCH, "TreatMissingData")} (1-255); values: CloudWatch API Reference, PutMetricAlarm, TreatMissingData` } },
  { resource: "aws_cloudwatch_metric_alarm", argument: "alarm_actions", apiField: "cloudwatch.PutMetricAlarm.AlarmActions", kind: "list", constraint: ALARM_ACTIONS },
  { resource: "aws_cloudwatch_metric_alarm", argument: "ok_actions", apiField: "cloudwatch.PutMetricAlarm.OKActions", kind: "list", constraint: ALARM_ACTIONS },
  { resource: "aws_cloudwatch_metric_alarm", argument: "alarm_actions[]", apiField: "cloudwatch.PutMetricAlarm.AlarmActions", kind: "string", constraint: ACTION_ARN },
  { resource: "aws_cloudwatch_metric_alarm", argument: "ok_actions[]", apiField: "cloudwatch.PutMetricAlarm.OKActions", kind: "string", constraint: ACTION_ARN },
  { resource: "aws_cloudwatch_metric_alarm", argument: "dimensions{}", apiField: "cloudwatch.PutMetricAlarm.Dimensions.Value", kind: "string", constraint: { min: 1, max: 1024, source: model(CLOUDWATCH, "DimensionValue") } },
  // The model leaves DashboardName open; PutDashboard's reference: "The maximum length is 255, and valid characters are
  // A-Z, a-z, 0-9, "-", and "_"."
  { resource: "aws_cloudwatch_dashboard", argument: "dashboard_name", apiField: "cloudwatch.PutDashboard.DashboardName", kind: "string", constraint: { min: 1, max: 255, pattern: "[A-Za-z0-9_-]+", source: "CloudWatch API Reference, PutDashboard, DashboardName" } },

  // CloudWatch Logs.
  { resource: "aws_cloudwatch_log_metric_filter", argument: "name", apiField: "logs.PutMetricFilter.filterName", kind: "string", constraint: FILTER_NAME },
  { resource: "aws_cloudwatch_log_metric_filter", argument: "log_group_name", apiField: "logs.PutMetricFilter.logGroupName", kind: "string", constraint: LOG_GROUP_NAME },
  { resource: "aws_cloudwatch_log_metric_filter", argument: "pattern", apiField: "logs.PutMetricFilter.filterPattern", kind: "string", constraint: FILTER_PATTERN },
  { resource: "aws_cloudwatch_log_metric_filter", argument: "metric_transformation.name", apiField: "logs.PutMetricFilter.metricTransformations.metricName", kind: "string", constraint: { max: 255, pattern: "[^:*$]*", source: model(LOGS, "MetricName") } },
  { resource: "aws_cloudwatch_log_metric_filter", argument: "metric_transformation.namespace", apiField: "logs.PutMetricFilter.metricTransformations.metricNamespace", kind: "string", constraint: { max: 255, pattern: "[^:*$]*", source: model(LOGS, "MetricNamespace") } },
  { resource: "aws_cloudwatch_log_metric_filter", argument: "metric_transformation.value", apiField: "logs.PutMetricFilter.metricTransformations.metricValue", kind: "string", constraint: { max: 100, source: model(LOGS, "MetricValue") } },
  { resource: "aws_cloudwatch_log_metric_filter", argument: "metric_transformation.unit", apiField: "logs.PutMetricFilter.metricTransformations.unit", kind: "string", constraint: { enum: STANDARD_UNITS, source: model(LOGS, "StandardUnit") } },
  { resource: "aws_cloudwatch_log_subscription_filter", argument: "name", apiField: "logs.PutSubscriptionFilter.filterName", kind: "string", constraint: FILTER_NAME },
  { resource: "aws_cloudwatch_log_subscription_filter", argument: "log_group_name", apiField: "logs.PutSubscriptionFilter.logGroupName", kind: "string", constraint: LOG_GROUP_NAME },
  { resource: "aws_cloudwatch_log_subscription_filter", argument: "filter_pattern", apiField: "logs.PutSubscriptionFilter.filterPattern", kind: "string", constraint: FILTER_PATTERN },
  { resource: "aws_cloudwatch_log_subscription_filter", argument: "distribution", apiField: "logs.PutSubscriptionFilter.distribution", kind: "string", constraint: { enum: ["Random", "ByLogStream"], source: model(LOGS, "Distribution") } },
  { resource: "aws_cloudwatch_log_group", argument: "name", apiField: "logs.CreateLogGroup.logGroupName", kind: "string", constraint: LOG_GROUP_NAME },
  { resource: "aws_cloudwatch_log_group", argument: "kms_key_id", apiField: "logs.CreateLogGroup.kmsKeyId", kind: "string", constraint: { max: 256, source: model(LOGS, "KmsKeyId") } },
  // The model says integer; the values are listed in the PutRetentionPolicy reference, retentionInDays.
  { resource: "aws_cloudwatch_log_group", argument: "retention_in_days", apiField: "logs.PutRetentionPolicy.retentionInDays", kind: "number", constraint: { enum: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], source: "CloudWatch Logs API Reference, PutRetentionPolicy, retentionInDays" } },
  { resource: "aws_cloudwatch_log_destination", argument: "name", apiField: "logs.PutDestination.destinationName", kind: "string", constraint: { min: 1, max: 512, pattern: "[^:*]*", source: model(LOGS, "DestinationName") } },
  { resource: "aws_cloudwatch_log_account_policy", argument: "policy_type", apiField: "logs.PutAccountPolicy.policyType", kind: "string", constraint: { enum: ["DATA_PROTECTION_POLICY", "SUBSCRIPTION_FILTER_POLICY", "FIELD_INDEX_POLICY", "TRANSFORMER_POLICY", "METRIC_EXTRACTION_POLICY"], source: model(LOGS, "PolicyType") } },
  { resource: "aws_cloudwatch_log_account_policy", argument: "scope", apiField: "logs.PutAccountPolicy.scope", kind: "string", constraint: { enum: ["ALL"], source: model(LOGS, "Scope") } },

  // Lambda.
  { resource: "aws_lambda_permission", argument: "statement_id", apiField: "lambda.AddPermission.StatementId", kind: "string", constraint: { min: 1, max: 100, pattern: "([a-zA-Z0-9-_]+)", source: model(LAMBDA, "StatementId") } },
  { resource: "aws_lambda_permission", argument: "action", apiField: "lambda.AddPermission.Action", kind: "string", constraint: { pattern: "(lambda:[*]|lambda:[a-zA-Z]+|[*])", source: model(LAMBDA, "Action") } },
  { resource: "aws_lambda_permission", argument: "principal", apiField: "lambda.AddPermission.Principal", kind: "string", constraint: { max: 2048, pattern: "[^\\s]+", source: model(LAMBDA, "Principal") } },
  { resource: "aws_lambda_permission", argument: "source_arn", apiField: "lambda.AddPermission.SourceArn", kind: "string", constraint: { max: 10000, pattern: "arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)", source: model(LAMBDA, "Arn") } },
  { resource: "aws_lambda_permission", argument: "source_account", apiField: "lambda.AddPermission.SourceAccount", kind: "string", constraint: { max: 12, pattern: "\\d{12}", source: model(LAMBDA, "SourceOwner") } },
  // The model's FunctionName takes ARNs (140); a bare name is "limited to 64 characters" (CreateFunction reference).
  { resource: "aws_lambda_function", argument: "function_name", apiField: "lambda.CreateFunction.FunctionName", kind: "string", constraint: { min: 1, max: 64, pattern: "[a-zA-Z0-9-_]+", source: `${model(LAMBDA, "FunctionName")}; 64 for a name: Lambda API Reference, CreateFunction` } },
  { resource: "aws_lambda_function", argument: "description", apiField: "lambda.CreateFunction.Description", kind: "string", constraint: { min: 0, max: 256, source: model(LAMBDA, "Description") } },
  { resource: "aws_lambda_function", argument: "handler", apiField: "lambda.CreateFunction.Handler", kind: "string", constraint: { max: 128, pattern: "[^\\s]+", source: model(LAMBDA, "Handler") } },
  // The model allows 5,400 s and 32,768 MB (Lambda Managed Instances); a function has at most 900 s and 10,240 MB
  // (Lambda Developer Guide, "Lambda quotas").
  { resource: "aws_lambda_function", argument: "timeout", apiField: "lambda.CreateFunction.Timeout", kind: "number", constraint: { min: 1, max: 900, source: `${model(LAMBDA, "Timeout")}; 900 s: Lambda quotas, "Function timeout"` } },
  { resource: "aws_lambda_function", argument: "memory_size", apiField: "lambda.CreateFunction.MemorySize", kind: "number", constraint: { min: 128, max: 10240, source: `${model(LAMBDA, "MemorySize")}; 10,240 MB: Lambda quotas, "Function memory allocation"` } },
  { resource: "aws_lambda_function", argument: "reserved_concurrent_executions", apiField: "lambda.PutFunctionConcurrency.ReservedConcurrentExecutions", kind: "number", constraint: { min: 0, max: 900, source: `${model(LAMBDA, "ReservedConcurrentExecutions")} (min 0); 900: default quota 1,000 less 100 unreserved (PutFunctionConcurrency; Lambda quotas)` } },
  { resource: "aws_lambda_function", argument: "architectures[]", apiField: "lambda.CreateFunction.Architectures", kind: "string", constraint: { enum: ["x86_64", "arm64"], source: model(LAMBDA, "Architecture") } },
  { resource: "aws_lambda_event_source_mapping", argument: "batch_size", apiField: "lambda.CreateEventSourceMapping.BatchSize", kind: "number", constraint: { min: 1, max: 10000, source: model(LAMBDA, "BatchSize") } },
  { resource: "aws_lambda_event_source_mapping", argument: "maximum_batching_window_in_seconds", apiField: "lambda.CreateEventSourceMapping.MaximumBatchingWindowInSeconds", kind: "number", constraint: { min: 0, max: 300, source: model(LAMBDA, "MaximumBatchingWindowInSeconds") } },
  { resource: "aws_lambda_event_source_mapping", argument: "maximum_record_age_in_seconds", apiField: "lambda.CreateEventSourceMapping.MaximumRecordAgeInSeconds", kind: "number", constraint: { min: -1, max: 604800, source: model(LAMBDA, "MaximumRecordAgeInSeconds") } },
  { resource: "aws_lambda_event_source_mapping", argument: "maximum_retry_attempts", apiField: "lambda.CreateEventSourceMapping.MaximumRetryAttempts", kind: "number", constraint: { min: -1, max: 10000, source: model(LAMBDA, "MaximumRetryAttemptsEventSourceMapping") } },
  { resource: "aws_lambda_event_source_mapping", argument: "starting_position", apiField: "lambda.CreateEventSourceMapping.StartingPosition", kind: "string", constraint: { enum: ["TRIM_HORIZON", "LATEST", "AT_TIMESTAMP"], source: model(LAMBDA, "EventSourcePosition") } },
  { resource: "aws_lambda_event_source_mapping", argument: "function_response_types", apiField: "lambda.CreateEventSourceMapping.FunctionResponseTypes", kind: "list", constraint: { min: 0, max: 1, source: model(LAMBDA, "FunctionResponseTypeList") } },
  { resource: "aws_lambda_event_source_mapping", argument: "function_response_types[]", apiField: "lambda.CreateEventSourceMapping.FunctionResponseTypes", kind: "string", constraint: { enum: ["ReportBatchItemFailures"], source: model(LAMBDA, "FunctionResponseType") } },
  { resource: "aws_lambda_function_event_invoke_config", argument: "maximum_retry_attempts", apiField: "lambda.PutFunctionEventInvokeConfig.MaximumRetryAttempts", kind: "number", constraint: { min: 0, max: 2, source: model(LAMBDA, "MaximumRetryAttempts") } },
  { resource: "aws_lambda_function_event_invoke_config", argument: "maximum_event_age_in_seconds", apiField: "lambda.PutFunctionEventInvokeConfig.MaximumEventAgeInSeconds", kind: "number", constraint: { min: 60, max: 21600, source: model(LAMBDA, "MaximumEventAgeInSeconds") } },

  // IAM.
  { resource: "aws_iam_role", argument: "name", apiField: "iam.CreateRole.RoleName", kind: "string", constraint: ROLE_NAME },
  { resource: "aws_iam_role", argument: "description", apiField: "iam.CreateRole.Description", kind: "string", constraint: { max: 1000, pattern: "[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*", source: model(IAM, "roleDescriptionType") } },
  { resource: "aws_iam_role", argument: "permissions_boundary", apiField: "iam.CreateRole.PermissionsBoundary", kind: "string", constraint: { min: 20, max: 2048, source: model(IAM, "arnType") } },
  { resource: "aws_iam_policy", argument: "name", apiField: "iam.CreatePolicy.PolicyName", kind: "string", constraint: POLICY_NAME },
  { resource: "aws_iam_policy", argument: "description", apiField: "iam.CreatePolicy.Description", kind: "string", constraint: { max: 1000, source: model(IAM, "policyDescriptionType") } },
  { resource: "aws_iam_role_policy", argument: "name", apiField: "iam.PutRolePolicy.PolicyName", kind: "string", constraint: POLICY_NAME },

  // SNS: the model leaves Name open; CreateTopic's reference: "Topic names must be made up of only uppercase and
  // lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long."
  { resource: "aws_sns_topic", argument: "name", apiField: "sns.CreateTopic.Name", kind: "string", constraint: { min: 1, max: 256, pattern: "[A-Za-z0-9_-]+", source: "Amazon SNS API Reference, CreateTopic, Name" } },
  { resource: "aws_sns_topic_subscription", argument: "protocol", apiField: "sns.Subscribe.Protocol", kind: "string", constraint: { enum: ["http", "https", "email", "email-json", "sms", "sqs", "application", "lambda", "firehose"], source: "Amazon SNS API Reference, Subscribe, Protocol" } },

  // SQS: CreateQueue's reference: "A queue name can have up to 80 characters. Valid values: alphanumeric characters,
  // hyphens (-), and underscores (_)"; MessageRetentionPeriod 60 to 1,209,600; KmsDataKeyReusePeriodSeconds 60 to 86,400.
  { resource: "aws_sqs_queue", argument: "name", apiField: "sqs.CreateQueue.QueueName", kind: "string", constraint: { min: 1, max: 80, pattern: "[A-Za-z0-9_-]+", source: "Amazon SQS API Reference, CreateQueue, QueueName" } },
  { resource: "aws_sqs_queue", argument: "message_retention_seconds", apiField: "sqs.CreateQueue.Attributes.MessageRetentionPeriod", kind: "number", constraint: { min: 60, max: 1209600, source: "Amazon SQS API Reference, CreateQueue, MessageRetentionPeriod" } },
  { resource: "aws_sqs_queue", argument: "kms_data_key_reuse_period_seconds", apiField: "sqs.CreateQueue.Attributes.KmsDataKeyReusePeriodSeconds", kind: "number", constraint: { min: 60, max: 86400, source: "Amazon SQS API Reference, CreateQueue, KmsDataKeyReusePeriodSeconds" } },

  // DynamoDB: the model's TableName shape also takes an ARN (1-1024); a name is 3 to 255 of [a-zA-Z0-9_.-]
  // (DynamoDB Developer Guide, "Naming rules").
  { resource: "aws_dynamodb_table", argument: "name", apiField: "dynamodb.CreateTable.TableName", kind: "string", constraint: { min: 3, max: 255, pattern: "[a-zA-Z0-9_.-]+", source: `${model(DYNAMODB, "TableArn")}; name: DynamoDB Developer Guide, "Naming rules"` } },
  { resource: "aws_dynamodb_table", argument: "billing_mode", apiField: "dynamodb.CreateTable.BillingMode", kind: "string", constraint: { enum: ["PROVISIONED", "PAY_PER_REQUEST"], source: model(DYNAMODB, "BillingMode") } },
  { resource: "aws_dynamodb_table", argument: "attribute[].name", apiField: "dynamodb.CreateTable.AttributeDefinitions.AttributeName", kind: "string", constraint: { min: 1, max: 255, source: model(DYNAMODB, "KeySchemaAttributeName") } },
  { resource: "aws_dynamodb_table", argument: "attribute[].type", apiField: "dynamodb.CreateTable.AttributeDefinitions.AttributeType", kind: "string", constraint: { enum: ["S", "N", "B"], source: model(DYNAMODB, "ScalarAttributeType") } },
  { resource: "aws_dynamodb_table", argument: "global_secondary_index[].name", apiField: "dynamodb.CreateTable.GlobalSecondaryIndexes.IndexName", kind: "string", constraint: { min: 3, max: 255, pattern: "[a-zA-Z0-9_.-]+", source: model(DYNAMODB, "IndexName") } },
  { resource: "aws_dynamodb_table", argument: "ttl.attribute_name", apiField: "dynamodb.UpdateTimeToLive.TimeToLiveSpecification.AttributeName", kind: "string", constraint: { min: 1, max: 255, source: model(DYNAMODB, "TimeToLiveAttributeName") } },

  // Kinesis.
  { resource: "aws_kinesis_stream", argument: "name", apiField: "kinesis.CreateStream.StreamName", kind: "string", constraint: { min: 1, max: 128, pattern: "[a-zA-Z0-9_.-]+", source: model(KINESIS, "StreamName") } },
  { resource: "aws_kinesis_stream", argument: "encryption_type", apiField: "kinesis.StartStreamEncryption.EncryptionType", kind: "string", constraint: { enum: ["NONE", "KMS"], source: model(KINESIS, "EncryptionType") } },
  // The model says integer; 24 to 8,760 hours (Kinesis Data Streams API Reference, IncreaseStreamRetentionPeriod).
  { resource: "aws_kinesis_stream", argument: "retention_period", apiField: "kinesis.IncreaseStreamRetentionPeriod.RetentionPeriodHours", kind: "number", constraint: { min: 24, max: 8760, source: "Kinesis Data Streams API Reference, IncreaseStreamRetentionPeriod" } },

  // KMS.
  { resource: "aws_kms_alias", argument: "name", apiField: "kms.CreateAlias.AliasName", kind: "string", constraint: { min: 1, max: 256, pattern: "alias/[a-zA-Z0-9:/_-]+", source: `${model(KMS, "AliasNameType")}; the alias/ prefix: KMS API Reference, CreateAlias` } },
  { resource: "aws_kms_key", argument: "description", apiField: "kms.CreateKey.Description", kind: "string", constraint: { min: 0, max: 8192, source: model(KMS, "DescriptionType") } },
  // The model allows 1 to 365; the key's waiting period is 7 to 30 days (KMS API Reference, ScheduleKeyDeletion).
  { resource: "aws_kms_key", argument: "deletion_window_in_days", apiField: "kms.ScheduleKeyDeletion.PendingWindowInDays", kind: "number", constraint: { min: 7, max: 30, source: `${model(KMS, "PendingWindowInDaysType")}; 7-30: KMS API Reference, ScheduleKeyDeletion` } },

  // AWS Budgets. The model's pattern is ^(?![^:\\]*/action/|(?i).*<script>.*</script>.*)[^:\\]+$; JavaScript has no
  // inline (?i), so the script test is written case-insensitively by hand.
  { resource: "aws_budgets_budget", argument: "name", apiField: "budgets.CreateBudget.Budget.BudgetName", kind: "string", constraint: { min: 1, max: 100, pattern: "(?![^:\\\\]*/action/|.*<[sS][cC][rR][iI][pP][tT]>.*</[sS][cC][rR][iI][pP][tT]>.*)[^:\\\\]+", source: model(BUDGETS, "BudgetName") } },
  { resource: "aws_budgets_budget", argument: "budget_type", apiField: "budgets.CreateBudget.Budget.BudgetType", kind: "string", constraint: { enum: ["USAGE", "COST", "RI_UTILIZATION", "RI_COVERAGE", "SAVINGS_PLANS_UTILIZATION", "SAVINGS_PLANS_COVERAGE"], source: model(BUDGETS, "BudgetType") } },
  { resource: "aws_budgets_budget", argument: "time_unit", apiField: "budgets.CreateBudget.Budget.TimeUnit", kind: "string", constraint: { enum: ["DAILY", "MONTHLY", "QUARTERLY", "ANNUALLY", "CUSTOM"], source: model(BUDGETS, "TimeUnit") } },
  { resource: "aws_budgets_budget", argument: "notification[].notification_type", apiField: "budgets.CreateBudget.NotificationsWithSubscribers.Notification.NotificationType", kind: "string", constraint: { enum: ["ACTUAL", "FORECASTED"], source: model(BUDGETS, "NotificationType") } },
  { resource: "aws_budgets_budget", argument: "notification[].comparison_operator", apiField: "budgets.CreateBudget.NotificationsWithSubscribers.Notification.ComparisonOperator", kind: "string", constraint: { enum: ["GREATER_THAN", "LESS_THAN", "EQUAL_TO"], source: model(BUDGETS, "ComparisonOperator") } },
  { resource: "aws_budgets_budget", argument: "notification[].threshold_type", apiField: "budgets.CreateBudget.NotificationsWithSubscribers.Notification.ThresholdType", kind: "string", constraint: { enum: ["PERCENTAGE", "ABSOLUTE_VALUE"], source: model(BUDGETS, "ThresholdType") } },
  // "AWS Budgets quotas": 10 email subscribers per notification (project figure, config.ts).
  { resource: "aws_budgets_budget", argument: "notification[].subscriber_email_addresses", apiField: "budgets.CreateBudget.NotificationsWithSubscribers.Subscribers", kind: "list", constraint: { max: 10, source: "Cost Management User Guide, AWS Budgets quotas: 10 email subscribers per notification" } },

  // EventBridge Scheduler.
  { resource: "aws_scheduler_schedule", argument: "name", apiField: "scheduler.CreateSchedule.Name", kind: "string", constraint: { min: 1, max: 64, pattern: "^[0-9a-zA-Z-_.]+$", source: model(SCHEDULER, "Name") } },
  { resource: "aws_scheduler_schedule", argument: "description", apiField: "scheduler.CreateSchedule.Description", kind: "string", constraint: { min: 0, max: 512, source: model(SCHEDULER, "Description") } },
  { resource: "aws_scheduler_schedule", argument: "schedule_expression", apiField: "scheduler.CreateSchedule.ScheduleExpression", kind: "string", constraint: { min: 1, max: 256, source: model(SCHEDULER, "ScheduleExpression") } },
  { resource: "aws_scheduler_schedule", argument: "flexible_time_window.mode", apiField: "scheduler.CreateSchedule.FlexibleTimeWindow.Mode", kind: "string", constraint: { enum: ["OFF", "FLEXIBLE"], source: model(SCHEDULER, "FlexibleTimeWindowMode") } },
  { resource: "aws_scheduler_schedule", argument: "target.retry_policy.maximum_retry_attempts", apiField: "scheduler.CreateSchedule.Target.RetryPolicy.MaximumRetryAttempts", kind: "number", constraint: { min: 0, max: 185, source: model(SCHEDULER, "MaximumRetryAttempts") } },
  { resource: "aws_scheduler_schedule", argument: "target.input", apiField: "scheduler.CreateSchedule.Target.Input", kind: "string", constraint: { min: 1, source: model(SCHEDULER, "TargetInput") } },

  // S3: the model leaves Bucket open; "General purpose bucket naming rules" (S3 User Guide): 3 to 63 lower-case
  // letters, digits, dots and hyphens, starting and ending with a letter or digit.
  { resource: "aws_s3_bucket", argument: "bucket", apiField: "s3.CreateBucket.Bucket", kind: "string", constraint: { min: 3, max: 63, pattern: "[a-z0-9][a-z0-9.-]*[a-z0-9]", source: "S3 User Guide, General purpose bucket naming rules" } },
];
