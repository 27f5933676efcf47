import { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { OverviewDashboard, OverviewDashboardProps } from "../constructs/overview-dashboard";
import { TriageWidgetFunction } from "../constructs/triage-widget-function";
import { globalResourceName, resourceName } from "../config/naming";
import { LogMonitorStack, LogMonitorStackProps } from "./log-monitor-stack";

/** The dashboard's Logs Insights queries (tests read them). */
export { RECENT_ERRORS_QUERY, TOP_FAILURES_QUERY } from "../constructs/overview-dashboard";

/** Props of {@link DashboardStack}: what the dashboard shows, from the other stacks (see {@link OverviewDashboardProps}). */
export interface DashboardStackProps
  extends LogMonitorStackProps,
    Omit<OverviewDashboardProps, "dashboardName" | "region" | "environment" | "triageWidgetFunctionArn"> {
  /** ARN of the environment's KMS key: it encrypts the alert-suppression table and the triage widget's log group. */
  readonly kmsKeyArn: string;
}

/**
 * Stack `dashboard`: one CloudWatch dashboard with the error count, the most recent errors, the alarm's
 * state, the health of the processing pipeline itself, and the triage widget with its function.
 */
export class DashboardStack extends LogMonitorStack {
  /** Name of the dashboard. */
  readonly dashboardName: string;

  constructor(scope: Construct, id: string, props: DashboardStackProps) {
    super(scope, id, props);
    const { config, kmsKeyArn, ...shown } = props;
    // The suppression table's name is deterministic (the processing stack names it the same way), and its ARN is built
    // from this account and partition: no new cross-stack output, and the processing stack is deployed first anyway
    // (the dashboard reads its outputs).
    const caller = new DataAwsCallerIdentity(this, "current-account");
    const partition = new DataAwsPartition(this, "current-partition");
    const suppressionTableName = resourceName(config, "alert-suppression");
    const triage = new TriageWidgetFunction(this, "triage-widget-function", {
      functionName: resourceName(config, "triage-widget"),
      roleName: globalResourceName(config, "triage-widget"),
      region: config.region,
      suppressionTableName,
      suppressionTableArn: `arn:${partition.partition}:dynamodb:${config.region}:${caller.accountId}:table/${suppressionTableName}`,
      processorLogGroupName: `/aws/lambda/${props.processorFunctionName}`,
      kmsKeyArn,
      logRetentionDays: config.logRetentionDays,
      ...(config.permissionsBoundaryArn ? { permissionsBoundaryArn: config.permissionsBoundaryArn } : {}),
    });
    const dashboard = new OverviewDashboard(this, "overview", {
      ...shown,
      triageWidgetFunctionArn: triage.functionArn,
      // Dashboards are global to the account ("All dashboards in your account are global, not region-specific",
      // CloudWatch API Reference, PutDashboard): the name carries the region, as IAM names do.
      dashboardName: globalResourceName(config, "overview"),
      region: config.region,
      environment: config.environment,
    });
    this.dashboardName = dashboard.dashboardName;
  }
}
