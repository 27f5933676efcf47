import { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { AccountSubscriptionPolicy } from "../constructs/account-subscription-policy";
import { DeadLetterQueue } from "../constructs/dead-letter-queue";
import { IncidentTables } from "../constructs/incident-tables";
import { CrossAccountDestinationProps, KinesisTransport } from "../constructs/kinesis-transport";
import { LogGroupSubscription, SubscriptionDestination } from "../constructs/log-group-subscription";
import { KINESIS_ITERATOR_AGE_ALARM_MS, LogProcessor, LogProcessorSettings } from "../constructs/log-processor";
import { PipelineAlarms } from "../constructs/pipeline-alarms";
import { QuietNoticeSweeper } from "../constructs/quiet-notice-sweeper";
import { MonitorConfig } from "../config/config";
import { LOG_PROCESSOR_SUBSCRIPTION_PATTERN } from "../config/filter-patterns";
import {
  globalResourceName,
  LOGS_DELIVERY_ROLE_SUFFIX,
  LOGS_RECEIVER_ROLE_SUFFIX,
  logGroupId,
  PROJECT_NAME,
  projectLogGroupNames,
  resourceName,
} from "../config/naming";
import { destinationNameOf } from "../config/cross-account";
import { LogMonitorStack, LogMonitorStackProps } from "./log-monitor-stack";

/** Props of {@link ProcessingStack}. */
export interface ProcessingStackProps extends LogMonitorStackProps {
  /** Name of the log group whose error events are streamed to the processor. */
  readonly logGroupName: string;
  /** ARN of that log group, without the `:*` suffix. */
  readonly logGroupArn: string;
  /** ARN of the environment's KMS key (queue, tables and the processor's log group are encrypted with it). */
  readonly kmsKeyArn: string;
  /** ARN of the alert topic the processor publishes real-time alerts to. */
  readonly alertTopicArn: string;
  /**
   * ARN of the critical topic: the processor publishes FATAL/CRITICAL alerts there too, and the pipeline alarms
   * notify it. @default none (pages go to the alert topic only)
   */
  readonly criticalTopicArn?: string;
  /** ARN of the pager topic: the pipeline alarms notify it on alarm and on recovery. @default none */
  readonly pagerTopicArn?: string;
}

/**
 * Stack `processing`: a subscription filter streams error candidates from the monitored log group to the
 * log-processor Lambda, which records each error as an incident in DynamoDB. Invocations that fail every
 * retry are kept in an encrypted dead-letter queue.
 *
 * The constructs below create their resources in this stack's scope, under the ids the stack used before they were
 * extracted, so that no Terraform address changed (see constructs/flat-construct.ts).
 */
export class ProcessingStack extends LogMonitorStack {
  /** Name of the log-processor function. */
  readonly processorFunctionName: string;
  /** Name of the processor's dead-letter queue. */
  readonly deadLetterQueueName: string;
  /** Name of the incidents table. */
  readonly incidentsTableName: string;
  /** ARNs of the alarms on the pipeline itself. */
  readonly pipelineAlarmArns: string[];
  /** Name of the alert-suppression table. */
  readonly suppressionTableName: string;

  constructor(scope: Construct, id: string, props: ProcessingStackProps) {
    super(scope, id, props);
    const { config } = props;
    const { scale } = config;
    const caller = new DataAwsCallerIdentity(this, "current-account");
    const functionName = resourceName(config, "log-processor");
    const kinesis = scale.transport === "kinesis";
    const partition = kinesis || scale.accountWide ? new DataAwsPartition(this, "current-partition") : undefined;
    const boundary = config.permissionsBoundaryArn ? { permissionsBoundaryArn: config.permissionsBoundaryArn } : {};

    const tables = new IncidentTables(this, "incident-tables", {
      incidentsTableName: resourceName(config, "incidents"),
      suppressionTableName: resourceName(config, "alert-suppression"),
      kmsKeyArn: props.kmsKeyArn,
      deletionProtection: config.deletionProtection,
    });

    const deadLetterQueue = new DeadLetterQueue(this, "processor-dead-letters", {
      queueName: resourceName(config, "log-processor-dlq"),
      kmsKeyArn: props.kmsKeyArn,
    });

    // Before the processor, whose role reads the stream. Configuration refuses cross-account without Kinesis.
    const transport = kinesis
      ? new KinesisTransport(this, "kinesis-transport", {
          streamName: resourceName(config, "logs"),
          deliveryRoleName: globalResourceName(config, LOGS_DELIVERY_ROLE_SUFFIX),
          kmsKeyArn: props.kmsKeyArn,
          region: config.region,
          accountId: caller.accountId,
          partition: partition?.partition ?? "aws",
          ...crossAccountDestination(config),
          ...boundary,
        })
      : undefined;

    const processor = new LogProcessor(this, "log-processor-function", {
      functionName,
      roleName: globalResourceName(config, "log-processor"),
      settings: processorSettings(config),
      tables: tables.refs,
      alertTopicArn: props.alertTopicArn,
      ...(props.criticalTopicArn === undefined ? {} : { criticalTopicArn: props.criticalTopicArn }),
      kmsKeyArn: props.kmsKeyArn,
      region: config.region,
      deadLetterQueueArn: deadLetterQueue.queueArn,
      logRetentionDays: config.logRetentionDays,
      ...(config.processorReservedConcurrency === undefined ? {} : { reservedConcurrency: config.processorReservedConcurrency }),
      ...boundary,
      ...(transport === undefined ? {} : { kinesisSource: { streamArn: transport.streamArn, ...scale.kinesis } }),
    });

    // The test emitter's group (from the alerting stack) and each of the user's groups deliver into the stream, or
    // invoke the processor directly.
    const destination: SubscriptionDestination = transport?.subscriptionDestination ?? processor.invokedByLogsOf(caller.accountId);
    new LogGroupSubscription(this, "test-emitter-subscription", {
      idPrefix: "",
      filterName: functionName,
      logGroupName: props.logGroupName,
      logGroupArn: props.logGroupArn,
      filterPattern: LOG_PROCESSOR_SUBSCRIPTION_PATTERN,
      destination,
    });
    for (const group of config.logGroups) {
      new LogGroupSubscription(this, `${logGroupId(group.name)}-log-group-subscription`, {
        idPrefix: `${logGroupId(group.name)}-`,
        filterName: functionName,
        logGroupName: group.name,
        filterPattern: group.subscriptionPattern ?? LOG_PROCESSOR_SUBSCRIPTION_PATTERN,
        destination,
      });
    }

    if (scale.accountWide) {
      // Not the project's own groups (the processor's would feed its own summary lines back: a loop), nor those of
      // LOG_MONITOR_LOG_GROUPS (their own filters already deliver), nor the user's exclusions.
      new AccountSubscriptionPolicy(this, "account-wide-subscription", {
        policyName: resourceName(config, "errors"),
        excludedLogGroupNames: [...projectLogGroupNames(config), ...config.logGroups.map((group) => group.name), ...scale.excludeLogGroups.names],
        filterPattern: LOG_PROCESSOR_SUBSCRIPTION_PATTERN,
        destination,
        region: config.region,
        partition: partition?.partition ?? "aws",
      });
    }

    const alarms = new PipelineAlarms(this, "pipeline-alarms", {
      namePrefix: `${PROJECT_NAME}-${config.environment}`,
      functionName,
      timeoutSeconds: processor.timeoutSeconds,
      deadLetterQueueName: resourceName(config, "log-processor-dlq"),
      alarmTopicArn: props.alertTopicArn,
      ...(props.criticalTopicArn === undefined ? {} : { criticalTopicArn: props.criticalTopicArn }),
      ...(props.pagerTopicArn === undefined ? {} : { pagerTopicArn: props.pagerTopicArn }),
      ...(kinesis ? { iteratorAgeThresholdMs: KINESIS_ITERATOR_AGE_ALARM_MS, streamName: resourceName(config, "logs") } : {}),
    });

    // Quiet-again notices (LOG_MONITOR_QUIET_NOTICES): a scheduled sweep of the suppression table's episodes.
    if (config.quietNotices) {
      new QuietNoticeSweeper(this, "quiet-notice-sweeper", {
        functionName: resourceName(config, "quiet-notices"),
        roleName: globalResourceName(config, "quiet-notices"),
        schedulerRoleName: globalResourceName(config, "quiet-invoker"),
        scheduleName: resourceName(config, "quiet-notices"),
        accountId: caller.accountId,
        region: config.region,
        tables: tables.refs,
        alertTopicArn: props.alertTopicArn,
        suppressionMinutes: config.suppressionMinutes,
        kmsKeyArn: props.kmsKeyArn,
        logRetentionDays: config.logRetentionDays,
        ...boundary,
      });
    }

    this.processorFunctionName = processor.functionName;
    this.pipelineAlarmArns = alarms.alarmArns;
    this.deadLetterQueueName = deadLetterQueue.queueName;
    this.incidentsTableName = tables.refs.incidentsTableName;
    this.suppressionTableName = tables.refs.suppressionTableName;
  }
}

/** The processor's settings from the configuration. */
function processorSettings(config: MonitorConfig): LogProcessorSettings {
  return {
    incidentTtlDays: config.incidentTtlDays,
    realtimeAlerts: config.realtimeAlerts,
    suppressionMinutes: config.suppressionMinutes,
    maxAlertsPerDelivery: config.maxAlertsPerDelivery,
    metricNamespace: config.metricNamespace,
    environmentName: config.environment,
    excludedLogGroupPrefixes: config.scale.excludeLogGroups.prefixes,
  };
}

/** The cross-account destination in front of the stream, when source accounts or an organization are configured. */
function crossAccountDestination(config: MonitorConfig): { crossAccount?: CrossAccountDestinationProps } {
  const cross = config.crossAccount;
  if (cross === undefined) return {};
  return {
    crossAccount: {
      destinationName: destinationNameOf(config.environment),
      roleName: globalResourceName(config, LOGS_RECEIVER_ROLE_SUFFIX),
      centralAccountId: cross.centralAccountId,
      sources: cross.sources,
    },
  };
}
