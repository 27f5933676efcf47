import { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { AlertTopics, AlertTopicsProps } from "../constructs/alert-topics";
import { ChatChannels } from "../constructs/chat-channels";
import { EncryptionKey } from "../constructs/encryption-key";
import { ErrorCountAlarm } from "../constructs/error-count-alarm";
import { MonthlyBudget } from "../constructs/monthly-budget";
import { SilenceAlarms } from "../constructs/silence-alarms";
import { TestEmitter } from "../constructs/test-emitter";
import {
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

/** The email subscriptions' construct ids (their tests derive them too). */
export { addressId } from "../config/naming";

/** Props of {@link AlertingStack}. */
export type AlertingStackProps = LogMonitorStackProps;

/**
 * Stack `alerting`: the environment's KMS key, the monitored log group with the test emitter that writes to
 * it, a metric filter counting its error events, an alarm on that count, and the SNS topic that emails people.
 *
 * The constructs below create their resources in this stack's scope, under the ids the stack used before they were
 * extracted, so that no Terraform address changed (see constructs/flat-construct.ts).
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
  /**
   * ARN of the pager topic, `log-monitor-<env>-pager` (`LOG_MONITOR_PAGER_ENDPOINT_PARAMETER`): every alarm's
   * transitions, ALARM and OK, for the one HTTPS subscriber (PagerDuty or a webhook). @default none
   */
  readonly pagerTopicArn?: string;
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
    // A budget is account-wide, and budget names are unique per account: the environment and region keep two
    // deployments that both set LOG_MONITOR_MONTHLY_BUDGET_USD from colliding.
    const budgetName = globalResourceName(config, "monthly-cost");
    const { alarmArns, logGroupArns, budgetArn } = environmentArns(config, partition.partition, caller.accountId, budgetName);

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

    const emitter = new TestEmitter(this, "test-emitter-function", {
      functionName: resourceName(config, "test-emitter"),
      roleName: globalResourceName(config, "test-emitter"),
      region: config.region,
      logRetentionDays: config.logRetentionDays,
      logsKmsKeyArn: kmsKeyArn,
      ...(config.permissionsBoundaryArn ? { permissionsBoundaryArn: config.permissionsBoundaryArn } : {}),
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
      ...pagerOf(config),
    });

    // The user's own groups count into the same metric as the test emitter's, so the one alarm covers them all.
    const alarm = new ErrorCountAlarm(this, "error-count-alarm", {
      alarmName: resourceName(config, "errors"),
      alarmDescription: errorAlarmDescription(config),
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
      notifyTopicArns: topics.alarmTopicArns,
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
            notifyTopicArns: topics.alarmTopicArns,
            recoveryTopicArns: topics.recoveryTopicArns,
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
        // Patterns, not every ARN: the guardrail must stay under IAM's 6,144 characters with any number of groups.
        alarmArns: projectAlarmNamePatterns(config).map(
          (name) => `arn:${partition.partition}:cloudwatch:${config.region}:${caller.accountId}:alarm:${name}`,
        ),
        accountId: caller.accountId,
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
    if (topics.pagerTopicArn !== undefined) this.pagerTopicArn = topics.pagerTopicArn;
    this.kmsKeyArn = kmsKeyArn;
    this.metricNamespace = config.metricNamespace;
    this.metricName = config.metricName;
  }
}

/**
 * The environment's alarms and log groups (and budget, if any) by exact ARN, for the key and topic policies: a
 * wildcard such as `log-monitor-prod-*` would also admit the alarms and log groups of an environment named `prod-eu`.
 */
function environmentArns(config: AlertingStackProps["config"], partition: string, accountId: string, budgetName: string) {
  return {
    alarmArns: projectAlarmNames(config).map((name) => `arn:${partition}:cloudwatch:${config.region}:${accountId}:alarm:${name}`),
    logGroupArns: projectLogGroupNames(config).map((name) => `arn:${partition}:logs:${config.region}:${accountId}:log-group:${name}`),
    budgetArn: config.monthlyBudgetUsd === undefined ? undefined : `arn:${partition}:budgets::${accountId}:budget/${budgetName}`,
  };
}

/** The pager topic and its endpoint's parameter (LOG_MONITOR_PAGER_ENDPOINT_PARAMETER), when paging is configured. */
function pagerOf(config: AlertingStackProps["config"]): Pick<AlertTopicsProps, "pager"> {
  const endpointParameterName = config.pagerEndpointParameter;
  return endpointParameterName === undefined ? {} : { pager: { topicName: resourceName(config, "pager"), endpointParameterName } };
}

/** What the error alarm says: where the errors were logged and where to look (CloudWatch caps it at 1024 characters). */
function errorAlarmDescription(config: AlertingStackProps["config"]): string {
  const emitterGroup = `/aws/lambda/${resourceName(config, "test-emitter")}`;
  const others = config.logGroups.length;
  const groups = others === 0 ? emitterGroup : `${emitterGroup} or one of ${others} monitored log group${others > 1 ? "s" : ""} (see the dashboard)`;
  return [
    `One or more ERROR, FATAL or CRITICAL events were logged to ${groups} in the last minute.`,
    `See the ${globalResourceName(config, "overview")} dashboard, or run this Logs Insights query on the log group:`,
    'fields @timestamp, @message | filter level in ["ERROR", "FATAL", "CRITICAL"] | sort @timestamp desc | limit 20.',
    "The alarm returns to OK, and notifies again, once no errors have been logged for a few minutes.",
  ].join(" ");
}
