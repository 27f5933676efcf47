import { Construct } from "constructs";
import { CloudwatchLogMetricFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-metric-filter";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { BudgetsBudget } from "@cdktf/provider-aws/lib/budgets-budget";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { BundledFunction } from "../constructs/bundled-function";
import { ChatChannels } from "../constructs/chat-channels";
import { EncryptionKey } from "../constructs/encryption-key";
import { grantsForCalls } from "../constructs/handler-grants";
import { TEST_EMITTER_AWS_CALLS } from "../handlers/test-emitter/aws-calls";
import { ERROR_EVENTS_METRIC_PATTERNS } from "../config/filter-patterns";
import {
  emailSubscriptionIds,
  globalResourceName,
  logGroupId,
  PROJECT_NAME,
  projectAlarmNamePatterns,
  projectAlarmNames,
  projectLogGroupNames,
  resourceName,
  silenceAlarmName,
} from "../config/naming";
import { LogMonitorStack, LogMonitorStackProps } from "./log-monitor-stack";

/** Props of {@link AlertingStack}. */
export type AlertingStackProps = LogMonitorStackProps;

/**
 * Stack `alerting`: the environment's KMS key, the monitored log group with the test emitter that writes to
 * it, a metric filter counting its error events, an alarm on that count, and the SNS topic that emails people.
 */
export class AlertingStack extends LogMonitorStack {
  /** Name of the monitored log group (the test emitter's). */
  readonly logGroupName: string;
  /** ARN of the monitored log group, without the `:*` suffix. */
  readonly logGroupArn: string;
  /** ARN of the error alarm. */
  readonly alarmArn: string;
  /** ARNs of every alarm of the stack: the error alarm, and the silence alarm when configured. */
  readonly alarmArns: string[];
  /** Name of the error alarm. */
  readonly alarmName: string;
  /** ARN of the alert topic. */
  readonly alertTopicArn: string;
  /**
   * ARN of the critical topic, `log-monitor-<env>-critical`: FATAL/CRITICAL real-time alerts and every alarm
   * transition, for subscribers marked `:critical`.
   */
  readonly criticalTopicArn: string;
  /** ARN of the environment's customer-managed KMS key. */
  readonly kmsKeyArn: string;
  /** Namespace of the error-count metric. */
  readonly metricNamespace: string;
  /** Name of the error-count metric. */
  readonly metricName: string;

  constructor(scope: Construct, id: string, props: AlertingStackProps) {
    super(scope, id, props);
    const { config } = props;

    const caller = new DataAwsCallerIdentity(this, "current-account");
    const partition = new DataAwsPartition(this, "current-partition");
    const alarmName = resourceName(config, "errors");
    // The key and topic policies name the environment's alarms and log groups exactly: a wildcard such as
    // `log-monitor-prod-*` would also admit the alarms and log groups of an environment named `prod-eu`.
    const alarmArns = projectAlarmNames(config).map(
      (name) => `arn:${partition.partition}:cloudwatch:${config.region}:${caller.accountId}:alarm:${name}`,
    );
    const logGroupArns = projectLogGroupNames(config).map(
      (name) => `arn:${partition.partition}:logs:${config.region}:${caller.accountId}:log-group:${name}`,
    );
    // A budget is account-wide, and budget names are unique per account: the environment and region keep two
    // deployments that both set LOG_MONITOR_MONTHLY_BUDGET_USD from colliding.
    const budgetName = globalResourceName(config, "monthly-cost");
    const budgetArn =
      config.monthlyBudgetUsd === undefined ? undefined : `arn:${partition.partition}:budgets::${caller.accountId}:budget/${budgetName}`;

    // A user-supplied key replaces the created one; its policy must grant the same (README, Security).
    const kmsKeyArn =
      config.kmsKeyArn ??
      new EncryptionKey(this, "encryption-key", {
      aliasName: `${PROJECT_NAME}-${config.environment}`,
      description: `Encrypts the ${PROJECT_NAME} ${config.environment} alert topic, queue, incidents table and log groups`,
      region: config.region,
      accountId: caller.accountId,
      partition: partition.partition,
      logGroupArns,
      alarmArns,
      ...(budgetArn === undefined ? {} : { budgetArn }),
      ...(config.scale.transport === "kinesis" ? { kinesisStream: true } : {}),
      }).keyArn;

    const emitter = new BundledFunction(this, "test-emitter", {
      handlerName: "test-emitter",
      functionName: resourceName(config, "test-emitter"),
      roleName: globalResourceName(config, "test-emitter"),
      description: 'Writes INFO and ERROR log lines on demand to exercise the alerting chain: invoke with {"error_count": N}',
      // It writes at most a few hundred short lines: the smallest memory size is plenty, and a run that
      // takes more than 10 seconds is broken, not slow.
      memorySizeMb: 128,
      timeoutSeconds: 10,
      // No reserved concurrency: a new account (quota 10) refuses any reservation, and a test tool needs none.
      ...(config.permissionsBoundaryArn ? { permissionsBoundaryArn: config.permissionsBoundaryArn } : {}),
      logRetentionDays: config.logRetentionDays,
      logsKmsKeyArn: kmsKeyArn,
      // It only writes its own log lines: its declaration lists no AWS call, so it is granted none.
      policyStatements: grantsForCalls(TEST_EMITTER_AWS_CALLS, {}, {}, config.region),
    });

    const topic = new SnsTopic(this, "alert-topic", {
      name: resourceName(config, "alerts"),
      displayName: `${PROJECT_NAME} ${config.environment} alerts`,
      // A customer-managed key: with the AWS-managed alias/aws/sns key, CloudWatch alarm notifications are dropped.
      kmsMasterKeyId: kmsKeyArn,
    });
    // Severity routing: alarm notifications carry no message attributes, so a filter policy cannot tell them apart
    // from ERROR alerts. Pages get their own topic instead: every alarm notifies both topics, the processor publishes
    // FATAL/CRITICAL alerts to both, and `:critical` subscribers subscribe to this one only.
    const criticalTopic = new SnsTopic(this, "critical-topic", {
      name: resourceName(config, "critical"),
      displayName: `${PROJECT_NAME} ${config.environment} pages`,
      kmsMasterKeyId: kmsKeyArn,
    });

    const topicPolicyDocument = (id: string, topicArn: string, admitBudget: boolean): DataAwsIamPolicyDocument =>
      new DataAwsIamPolicyDocument(this, id, {
        statement: [
          {
            sid: "CloudWatchAlarmsPublish",
            effect: "Allow",
            principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
            actions: ["sns:Publish"],
            resources: [topicArn],
            condition: [
              { test: "StringEquals", variable: "aws:SourceAccount", values: [caller.accountId] },
              { test: "ArnLike", variable: "aws:SourceArn", values: alarmArns },
            ],
          },
          ...(budgetArn === undefined || !admitBudget
            ? []
            : [
                {
                  // Cost Management User Guide, "Creating an Amazon SNS topic for budget notifications".
                  sid: "BudgetsPublish",
                  effect: "Allow",
                  principals: [{ type: "Service", identifiers: ["budgets.amazonaws.com"] }],
                  actions: ["sns:Publish"],
                  resources: [topicArn],
                  condition: [
                    { test: "StringEquals", variable: "aws:SourceAccount", values: [caller.accountId] },
                    { test: "ArnLike", variable: "aws:SourceArn", values: [budgetArn] },
                  ],
                },
              ]),
          {
            sid: "DenyPublishWithoutTls",
            effect: "Deny",
            principals: [{ type: "*", identifiers: ["*"] }],
            actions: ["sns:Publish"],
            resources: [topicArn],
            condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
          },
        ],
      });
    const topicPolicy = topicPolicyDocument("alert-topic-policy-document", topic.arn, true);
    const topicPolicyResource = new SnsTopicPolicy(this, "alert-topic-policy", { arn: topic.arn, policy: topicPolicy.json });
    // The budget is not a page: it notifies the alert topic only.
    const criticalTopicPolicy = topicPolicyDocument("critical-topic-policy-document", criticalTopic.arn, false);
    new SnsTopicPolicy(this, "critical-topic-policy", { arn: criticalTopic.arn, policy: criticalTopicPolicy.json });

    // Ids that cannot collide, even for first.last@ and first-last@ (config/naming.ts, emailSubscriptionIds).
    const alertEmailIds = emailSubscriptionIds(config.alertEmails);
    const criticalEmailIds = emailSubscriptionIds(config.criticalAlertEmails);
    for (const email of config.alertEmails) {
      new SnsTopicSubscription(this, `alert-email-${alertEmailIds.get(email)}`, {
        topicArn: topic.arn,
        protocol: "email",
        endpoint: email,
      });
    }
    for (const email of config.criticalAlertEmails) {
      new SnsTopicSubscription(this, `critical-email-${criticalEmailIds.get(email)}`, {
        topicArn: criticalTopic.arn,
        protocol: "email",
        endpoint: email,
      });
    }
    const notifyTopics = [topic.arn, criticalTopic.arn];

    // One filter per Lambda log format, both counting into the same metric (a line is one or the other).
    const countErrors = (id: string, name: string, logGroupName: string, pattern: string) =>
      new CloudwatchLogMetricFilter(this, id, {
        name,
        logGroupName,
        pattern,
        metricTransformation: { namespace: config.metricNamespace, name: config.metricName, value: "1", unit: "Count" },
      });
    for (const [format, pattern] of Object.entries(ERROR_EVENTS_METRIC_PATTERNS)) {
      countErrors(`error-metric-filter-${format}`, resourceName(config, `error-count-${format}`), emitter.logGroupName, pattern);
    }
    // The user's own groups count into the same metric, so the one alarm covers them all. A group with its
    // own pattern gets one filter with it instead of the pair.
    for (const group of config.logGroups) {
      const id = logGroupId(group.name);
      const patterns: [string, string][] =
        group.metricPattern === undefined ? Object.entries(ERROR_EVENTS_METRIC_PATTERNS) : [["custom", group.metricPattern]];
      for (const [format, pattern] of patterns) {
        countErrors(`${id}-error-metric-filter-${format}`, resourceName(config, `error-count-${format}`), group.name, pattern);
      }
    }

    const alarm = new CloudwatchMetricAlarm(this, "error-alarm", {
      alarmName,
      alarmDescription: [
        `One or more ERROR, FATAL or CRITICAL events were logged to ${monitoredGroupsText(config)} in the last minute.`,
        `See the ${globalResourceName(config, "overview")} dashboard, or run this Logs Insights query on the log group:`,
        'fields @timestamp, @message | filter level in ["ERROR", "FATAL", "CRITICAL"] | sort @timestamp desc | limit 20.',
        "The alarm returns to OK, and notifies again, once no errors have been logged for a few minutes.",
      ].join(" "),
      namespace: config.metricNamespace,
      metricName: config.metricName,
      statistic: "Sum",
      period: 60,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      // No error events means no data points, which is the healthy state, not an unknown one.
      treatMissingData: "notBreaching",
      alarmActions: notifyTopics,
      okActions: notifyTopics,
    });

    // One silence alarm per user log group, so that one application going quiet is seen while others still log.
    // The test emitter's group is silent by design (it logs only when invoked), so it is never watched.
    const silenceMinutes = config.silenceAlarmMinutes;
    const silenceAlarms =
      silenceMinutes === undefined
        ? []
        : config.logGroups.map(
            (group) =>
              new CloudwatchMetricAlarm(this, `${logGroupId(group.name)}-silence-alarm`, {
                alarmName: silenceAlarmName(config, group.name),
                alarmDescription: truncate(
                  `No log events at all reached ${group.name} for ${silenceMinutes} minutes. A silent application is an incident too: is it running, and can it write its logs?`,
                  ALARM_DESCRIPTION_MAX_LENGTH,
                ),
                namespace: "AWS/Logs",
                metricName: "IncomingLogEvents",
                dimensions: { LogGroupName: group.name },
                statistic: "Sum",
                period: silenceMinutes * 60,
                evaluationPeriods: 1,
                threshold: 1,
                comparisonOperator: "LessThanThreshold",
                // CloudWatch publishes no data point for a group that received nothing: missing data is the silence.
                treatMissingData: "breaching",
                alarmActions: notifyTopics,
                // A recovery is not a page: the alert topic only.
                okActions: [topic.arn],
              }),
          );

    if (config.monthlyBudgetUsd !== undefined) {
      const notify = (notificationType: "ACTUAL" | "FORECASTED", threshold: number) => ({
        comparisonOperator: "GREATER_THAN",
        notificationType,
        threshold,
        thresholdType: "PERCENTAGE",
        subscriberSnsTopicArns: [topic.arn],
        ...(config.alertEmails.length === 0 ? {} : { subscriberEmailAddresses: [...config.alertEmails] }),
      });
      new BudgetsBudget(this, "monthly-cost-budget", {
        name: budgetName,
        budgetType: "COST",
        timeUnit: "MONTHLY",
        limitAmount: config.monthlyBudgetUsd.toFixed(2),
        limitUnit: "USD",
        notification: [notify("ACTUAL", 80), notify("ACTUAL", 100), notify("FORECASTED", 100)],
        // Budgets checks at creation that it may publish to the topic: the topic policy must exist first.
        dependsOn: [topicPolicyResource],
      });
    }

    if (config.chatChannels.length > 0) {
      new ChatChannels(this, "chat-channels", {
        environment: config.environment,
        region: config.region,
        channels: config.chatChannels,
        roleName: globalResourceName(config, "chat"),
        guardrailPolicyName: globalResourceName(config, "chat-guardrail"),
        alertTopicArn: topic.arn,
        criticalTopicArn: criticalTopic.arn,
        // Patterns, not every ARN: the guardrail must stay under IAM's 6,144 characters with any number of groups.
        alarmArns: projectAlarmNamePatterns(config).map(
          (name) => `arn:${partition.partition}:cloudwatch:${config.region}:${caller.accountId}:alarm:${name}`,
        ),
        accountId: caller.accountId,
        ...(config.permissionsBoundaryArn ? { permissionsBoundaryArn: config.permissionsBoundaryArn } : {}),
      });
    }

    this.alarmArns = [alarm.arn, ...silenceAlarms.map((silence) => silence.arn)];
    this.logGroupName = emitter.logGroupName;
    this.logGroupArn = emitter.logGroupArn;
    this.alarmArn = alarm.arn;
    this.alarmName = alarm.alarmName;
    this.alertTopicArn = topic.arn;
    this.criticalTopicArn = criticalTopic.arn;
    this.kmsKeyArn = kmsKeyArn;
    this.metricNamespace = config.metricNamespace;
    this.metricName = config.metricName;
  }
}

/** CloudWatch's limit on an alarm description (PutMetricAlarm: AlarmDescription, 0 to 1024 characters). */
const ALARM_DESCRIPTION_MAX_LENGTH = 1024;

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The monitored log groups, for the alarm's description (which CloudWatch caps at 1024 characters). */
function monitoredGroupsText(config: AlertingStackProps["config"]): string {
  const emitterGroup = `/aws/lambda/${resourceName(config, "test-emitter")}`;
  const others = config.logGroups.length;
  return others === 0 ? emitterGroup : `${emitterGroup} or one of ${others} monitored log group${others > 1 ? "s" : ""} (see the dashboard)`;
}

/** See config/naming.ts; kept here for existing importers. */
export { addressId } from "../config/naming";
