import { Construct } from "constructs";
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { DELIVERY_METRICS, ENVIRONMENT_DIMENSION, FAILURE_RECORD } from "../handlers/log-processor/delivery-records";
import { dashboardBody, DashboardWidget, insightsQueries, insightsQuery } from "./dashboard-widgets";
import { FlatConstruct } from "./flat-construct";

/**
 * Logs Insights query for the most recent errors: lines in Lambda's JSON log format by their level, and
 * lines in text formats by their level word or a Lambda platform failure.
 */
export const RECENT_ERRORS_QUERY = [
  "fields @timestamp, @logStream, @message",
  'filter level in ["ERROR", "FATAL", "CRITICAL"] or (not ispresent(level) and @message like /ERROR|FATAL|CRITICAL|Task timed out|Runtime exited with error/)',
  "sort @timestamp desc",
  "limit 20",
].join(" | ");

/**
 * Logs Insights query for the most frequent failures: the processor's one JSON line per failure and delivery
 * (handlers/log-processor/delivery-records.ts), summed by fingerprint over the dashboard's time range.
 */
export const TOP_FAILURES_QUERY = [
  `filter record = "${FAILURE_RECORD}"`,
  "stats sum(count) as occurrences, latest(severity) as severity, latest(error_type) as error_type, latest(first_line) as first_line, latest(log_group) as log_group by fingerprint",
  "sort occurrences desc",
  "limit 20",
].join(" | ");

/** Props of {@link OverviewDashboard}. */
export interface OverviewDashboardProps {
  /** The dashboard's name, e.g. `log-monitor-prod-overview`. */
  readonly dashboardName: string;
  /** The region of the metrics and log groups shown. */
  readonly region: string;
  /** The environment's name, the delivery metrics' `Environment` dimension. */
  readonly environment: string;
  /** Names of the monitored log groups (the test emitter's first). */
  readonly logGroupNames: readonly string[];
  /** ARNs of the alarms to show: the error alarm first, then the pipeline's own. */
  readonly alarmArns: readonly string[];
  /** Namespace of the error-count metric (and of the processor's delivery metrics). */
  readonly metricNamespace: string;
  /** Name of the error-count metric. */
  readonly metricName: string;
  /** Name of the log-processor function. */
  readonly processorFunctionName: string;
  /** Name of the processor's dead-letter queue. */
  readonly deadLetterQueueName: string;
  /** ARN of the triage widget's function (constructs/triage-widget-function.ts). @default no triage widget */
  readonly triageWidgetFunctionArn?: string;
}

/**
 * The overview dashboard (`overview-dashboard`): the error count, the alarms, the most recent errors, the health of
 * the processing pipeline itself, the top failures and the real-time alerts. Created in the parent's scope (see
 * {@link FlatConstruct}).
 */
export class OverviewDashboard extends FlatConstruct {
  /** The dashboard's name. */
  readonly dashboardName: string;

  constructor(scope: Construct, id: string, props: OverviewDashboardProps) {
    super(scope, id);
    const region = props.region;
    const lambdaMetric = (name: string, stat: string, label: string) =>
      ["AWS/Lambda", name, "FunctionName", props.processorFunctionName, { stat, label }] as const;

    // StartQuery takes at most 10,000 characters: many long group names need more than one query (and widget); the
    // first keeps its place, the others go below everything else.
    const recentErrorsQueries = insightsQueries(props.logGroupNames, RECENT_ERRORS_QUERY);
    const recentErrorsWidget = (index: number, y: number): DashboardWidget => ({
      type: "log",
      x: 0,
      y,
      width: 24,
      height: 8,
      properties: {
        title: recentErrorsQueries.length === 1 ? "20 most recent errors" : `20 most recent errors (part ${index + 1} of ${recentErrorsQueries.length})`,
        region,
        view: "table",
        query: recentErrorsQueries[index] as string,
      },
    });
    const widgets: DashboardWidget[] = [
      {
        type: "metric",
        x: 0,
        y: 0,
        width: 12,
        height: 6,
        properties: {
          title: "Error events per minute",
          region,
          view: "timeSeries",
          stat: "Sum",
          period: 60,
          metrics: [[props.metricNamespace, props.metricName, { stat: "Sum", label: "Error events" }]],
          annotations: { horizontal: [{ label: "Alarm threshold", value: 1 }] },
        },
      },
      {
        type: "alarm",
        x: 12,
        y: 0,
        width: 12,
        height: 6,
        properties: { title: "Alarms", alarms: props.alarmArns },
      },
      recentErrorsWidget(0, 6),
      {
        type: "metric",
        x: 0,
        y: 14,
        width: 8,
        height: 6,
        properties: {
          title: "Log processor: invocations, errors, throttles",
          region,
          view: "timeSeries",
          stat: "Sum",
          period: 60,
          metrics: [
            lambdaMetric("Invocations", "Sum", "Invocations"),
            lambdaMetric("Errors", "Sum", "Errors"),
            lambdaMetric("Throttles", "Sum", "Throttles"),
          ],
        },
      },
      {
        type: "metric",
        x: 8,
        y: 14,
        width: 8,
        height: 6,
        properties: {
          title: "Log processor: duration (ms)",
          region,
          view: "timeSeries",
          stat: "Maximum",
          period: 60,
          metrics: [lambdaMetric("Duration", "p99", "p99"), lambdaMetric("Duration", "Maximum", "Maximum")],
        },
      },
      {
        type: "metric",
        x: 16,
        y: 14,
        width: 8,
        height: 6,
        properties: {
          title: "Dead-letter queue: parked events",
          region,
          view: "timeSeries",
          stat: "Maximum",
          period: 60,
          metrics: [
            [
              "AWS/SQS",
              "ApproximateNumberOfMessagesVisible",
              "QueueName",
              props.deadLetterQueueName,
              { stat: "Maximum", label: "Messages waiting for redrive" },
            ],
          ],
        },
      },
      {
        type: "log",
        x: 0,
        y: 20,
        width: 16,
        height: 8,
        properties: {
          title: "Top failures (occurrences by fingerprint)",
          region,
          view: "table",
          query: insightsQuery([`/aws/lambda/${props.processorFunctionName}`], TOP_FAILURES_QUERY),
        },
      },
      {
        type: "metric",
        x: 16,
        y: 20,
        width: 8,
        height: 8,
        properties: {
          title: "Real-time alerts: incidents, published, suppressed, muted",
          region,
          view: "timeSeries",
          stat: "Sum",
          period: 300,
          metrics: (
            [
              [DELIVERY_METRICS.incidentsWritten, "Incidents written"],
              [DELIVERY_METRICS.alertsPublished, "Alerts published"],
              [DELIVERY_METRICS.alertsSuppressed, "Suppressed (window open)"],
              [DELIVERY_METRICS.alertsMuted, "Muted"],
            ] as const
          ).map(([name, label]) => [props.metricNamespace, name, ENVIRONMENT_DIMENSION, props.environment, { stat: "Sum", label }] as const),
        },
      },
    ];
    // The triage widget below the top failures, whole width: a table of up to 50 failures with buttons.
    const triageHeight = props.triageWidgetFunctionArn === undefined ? 0 : 10;
    if (props.triageWidgetFunctionArn !== undefined) {
      widgets.push({
        type: "custom",
        x: 0,
        y: 28,
        width: 24,
        height: triageHeight,
        properties: {
          title: "Failure triage: regressed, open, ignored and resolved failures in the time range",
          endpoint: props.triageWidgetFunctionArn,
          updateOn: { refresh: true, resize: false, timeRange: true },
        },
      });
    }
    for (let index = 1; index < recentErrorsQueries.length; index++) widgets.push(recentErrorsWidget(index, 28 + triageHeight + 8 * (index - 1)));

    const dashboard = new CloudwatchDashboard(this.resourceScope, "overview-dashboard", {
      dashboardName: props.dashboardName,
      dashboardBody: dashboardBody(widgets),
    });
    this.dashboardName = dashboard.dashboardName;
  }
}
