import { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { AlertTopics } from "../constructs/alert-topics";
import { BundledFunction } from "../constructs/bundled-function";
import { ChatChannels } from "../constructs/chat-channels";
import { EncryptionKey } from "../constructs/encryption-key";
import { ErrorCountAlarm } from "../constructs/error-count-alarm";
import { grantsForCalls } from "../constructs/handler-grants";
import { MonthlyBudget } from "../constructs/monthly-budget";
import { SilenceAlarms } from "../constructs/silence-alarms";
import { TEST_EMITTER_AWS_CALLS } from "../handlers/test-emitter/aws-calls";
import {
  globalResourceName,
  logGroupId,
  PROJECT_NAME,
  projectAlarmNames,
  projectLogGroupNames,
  resourceName,
  silenceAlarmName,
} from "../config/naming";
import { LogMonitorStack, LogMonitorStackProps } from "./log-monitor-stack";

/** Constructs ids of the email subscriptions (tests and tools derive them too). */
export { addressId } from "../constructs/alert-topics";

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

    const topics = new AlertTopics(this, "alert-topics", {
      alertTopicName: resourceName(config, "alerts"),
      criticalTopicName: resourceName(config, "critical"),
      displayNamePrefix: `${PROJECT_NAME} ${config.environment}`,
      kmsKeyArn,
      accountId: caller.accountId,
      alarmArns,
      ...(budgetArn === undefined ? {} : { budgetArn }),
      alertEmails: config.alertEmails,
      criticalEmails: config.criticalAlertEmails,
    });
    const notifyTopicArns = [topics.alertTopicArn, topics.criticalTopicArn];

    // The user's own groups count into the same metric as the test emitter's, so the one alarm covers them all.
    const alarm = new ErrorCountAlarm(this, "error-count-alarm", {
      alarmName,
      alarmDescription: [
        `One or more ERROR, FATAL or CRITICAL events were logged to ${monitoredGroupsText(config)} in the last minute.`,
        `See the ${resourceName(config, "overview")} dashboard, or run this Logs Insights query on the log group:`,
        'fields @timestamp, @message | filter level in ["ERROR", "FATAL", "CRITICAL"] | sort @timestamp desc | limit 20.',
        "The alarm returns to OK, and notifies again, once no errors have been logged for a few minutes.",
      ].join(" "),
      metricNamespace: config.metricNamespace,
      metricName: config.metricName,
      filterNamePrefix: resourceName(config, "error-count-"),
      logGroups: [
        { logGroupName: emitter.logGroupName, idPrefix: "" },
        ...config.logGroups.map((group) => ({
          logGroupName: group.name,
          idPrefix: `${logGroupId(group.name)}-`,
          ...(group.metricPattern === undefined ? {} : { metricPattern: group.metricPattern }),
        })),
      ],
      notifyTopicArns,
    });

    // The test emitter's group is silent by design (it logs only when invoked), so it is never watched.
    const silence =
      config.silenceAlarmMinutes === undefined
        ? undefined
        : new SilenceAlarms(this, "silence-alarms", {
            logGroups: config.logGroups.map((group) => ({
              logGroupName: group.name,
              alarmName: silenceAlarmName(config, group.name),
              alarmId: `${logGroupId(group.name)}-silence-alarm`,
            })),
            silenceMinutes: config.silenceAlarmMinutes,
            notifyTopicArns,
          });

    // The budget is not a page: it notifies the alert topic only.
    if (config.monthlyBudgetUsd !== undefined) {
      new MonthlyBudget(this, "monthly-budget", {
        budgetName,
        limitUsd: config.monthlyBudgetUsd,
        topicArn: topics.alertTopicArn,
        topicPolicy: topics.alertTopicPolicy,
        emails: config.alertEmails,
      });
    }

    if (config.chatChannels.length > 0) {
      new ChatChannels(this, "chat-channels", {
        environment: config.environment,
        region: config.region,
        channels: config.chatChannels,
        roleName: globalResourceName(config, "chat"),
        guardrailPolicyName: globalResourceName(config, "chat-guardrail"),
        alertTopicArn: topics.alertTopicArn,
        criticalTopicArn: topics.criticalTopicArn,
        alarmArns,
        ...(config.permissionsBoundaryArn ? { permissionsBoundaryArn: config.permissionsBoundaryArn } : {}),
      });
    }

    this.alarmArns = [alarm.alarmArn, ...(silence?.alarmArns ?? [])];
    this.logGroupName = emitter.logGroupName;
    this.logGroupArn = emitter.logGroupArn;
    this.alarmArn = alarm.alarmArn;
    this.alarmName = alarm.alarmName;
    this.alertTopicArn = topics.alertTopicArn;
    this.criticalTopicArn = topics.criticalTopicArn;
    this.kmsKeyArn = kmsKeyArn;
    this.metricNamespace = config.metricNamespace;
    this.metricName = config.metricName;
  }
}

/** The monitored log groups, for the alarm's description (which CloudWatch caps at 1024 characters). */
function monitoredGroupsText(config: AlertingStackProps["config"]): string {
  const emitterGroup = `/aws/lambda/${resourceName(config, "test-emitter")}`;
  const others = config.logGroups.length;
  return others === 0 ? emitterGroup : `${emitterGroup} or one of ${others} monitored log group${others > 1 ? "s" : ""} (see the dashboard)`;
}
