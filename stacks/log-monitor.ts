import { App } from "cdktf";
import { MonitorConfig } from "../config/config";
import { AlertingStack } from "./alerting-stack";
import { DashboardStack } from "./dashboard-stack";
import { ProcessingStack } from "./processing-stack";
import { SOURCE_STACK_ID, SourceStack } from "./source-stack";
import { StateStack } from "./state-stack";

/** The stacks of one environment, as wired together. */
export interface LogMonitorStacks {
  readonly state: StateStack;
  readonly alerting: AlertingStack;
  readonly processing: ProcessingStack;
  readonly dashboard: DashboardStack;
  /** The stack for one source account of a cross-account setup, when `LOG_MONITOR_SOURCE_ACCOUNT_ID` names it. */
  readonly source?: SourceStack;
}

/**
 * Creates the stacks `state`, `alerting`, `processing` and `dashboard` and wires them with typed props. Values that
 * cross stacks become CDKTF cross-stack references (an output in the producer, `terraform_remote_state`
 * in the consumer), which also orders `cdktf deploy alerting processing dashboard`.
 */
export function createLogMonitorStacks(app: App, config: MonitorConfig): LogMonitorStacks {
  // Deployed once, on its own (`cdktf deploy state`): the bucket the other stacks' S3 backend uses.
  const state = new StateStack(app, "state", { config });

  const alerting = new AlertingStack(app, "alerting", { config });

  const processing = new ProcessingStack(app, "processing", {
    config,
    logGroupName: alerting.logGroupName,
    logGroupArn: alerting.logGroupArn,
    kmsKeyArn: alerting.kmsKeyArn,
    alertTopicArn: alerting.alertTopicArn,
    criticalTopicArn: alerting.criticalTopicArn,
    ...(alerting.pagerTopicArn === undefined ? {} : { pagerTopicArn: alerting.pagerTopicArn }),
  });

  const dashboard = new DashboardStack(app, "dashboard", {
    config,
    logGroupNames: [alerting.logGroupName, ...config.logGroups.map((group) => group.name)],
    alarmArns: [...alerting.alarmArns, ...processing.pipelineAlarmArns],
    metricNamespace: alerting.metricNamespace,
    metricName: alerting.metricName,
    processorFunctionName: processing.processorFunctionName,
    deadLetterQueueName: processing.deadLetterQueueName,
    kmsKeyArn: alerting.kmsKeyArn,
  });

  // Cross-account: the stack for the source account named by LOG_MONITOR_SOURCE_ACCOUNT_ID, deployed with that
  // account's credentials (`cdktf deploy source`). It shares no reference with the other stacks: those are in the
  // central account, whose state it cannot read.
  const cross = config.crossAccount;
  if (cross?.sourceAccountId !== undefined) {
    const source = new SourceStack(app, SOURCE_STACK_ID, {
      config,
      sourceAccountId: cross.sourceAccountId,
      centralAccountId: cross.centralAccountId,
      organizationAccess: cross.sources.kind === "organization",
    });
    return { state, alerting, processing, dashboard, source };
  }
  return { state, alerting, processing, dashboard };
}
