import { Construct } from "constructs";
import { OverviewDashboard, OverviewDashboardProps } from "../constructs/overview-dashboard";
import { globalResourceName } from "../config/naming";
import { LogMonitorStack, LogMonitorStackProps } from "./log-monitor-stack";

/** The dashboard's Logs Insights queries (tests read them). */
export { RECENT_ERRORS_QUERY, TOP_FAILURES_QUERY } from "../constructs/overview-dashboard";

/** Props of {@link DashboardStack}: what the dashboard shows, from the other stacks (see {@link OverviewDashboardProps}). */
export interface DashboardStackProps
  extends LogMonitorStackProps,
    Omit<OverviewDashboardProps, "dashboardName" | "region" | "environment"> {}

/**
 * Stack `dashboard`: one CloudWatch dashboard with the error count, the most recent errors, the alarm's
 * state, and the health of the processing pipeline itself.
 */
export class DashboardStack extends LogMonitorStack {
  /** Name of the dashboard. */
  readonly dashboardName: string;

  constructor(scope: Construct, id: string, props: DashboardStackProps) {
    super(scope, id, props);
    const { config, ...shown } = props;
    const dashboard = new OverviewDashboard(this, "overview", {
      ...shown,
      // Dashboards are global to the account ("All dashboards in your account are global, not region-specific",
      // CloudWatch API Reference, PutDashboard): the name carries the region, as IAM names do.
      dashboardName: globalResourceName(config, "overview"),
      region: config.region,
      environment: config.environment,
    });
    this.dashboardName = dashboard.dashboardName;
  }
}
