/**
 * Typed CloudWatch dashboard widgets, so that the dashboard body is built from checked objects rather than
 * hand-written JSON. Shapes follow "Dashboard Body Structure and Syntax" (Amazon CloudWatch API Reference).
 */
import { Token } from "cdktf";

/** Where a widget sits on the 24-column grid. */
export interface WidgetPosition {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * One metric line: namespace, metric name, then dimension name/value pairs, optionally followed by
 * rendering options (stat, label, period...).
 */
export type MetricLine = readonly [string, string, ...(string | MetricOptions)[]];

/** Per-line rendering options of a metric widget. */
export interface MetricOptions {
  readonly stat?: string;
  readonly label?: string;
  readonly period?: number;
  readonly color?: string;
}

/** A metric widget: time series of one or more metrics. */
export interface MetricWidget extends WidgetPosition {
  readonly type: "metric";
  readonly properties: {
    readonly title: string;
    readonly region: string;
    readonly view: "timeSeries" | "singleValue";
    readonly stacked?: boolean;
    readonly stat: string;
    readonly period: number;
    readonly metrics: readonly MetricLine[];
    readonly annotations?: { readonly horizontal: readonly { readonly label: string; readonly value: number }[] };
  };
}

/** A Logs Insights widget: the result of a query over one or more log groups. */
export interface LogWidget extends WidgetPosition {
  readonly type: "log";
  readonly properties: {
    readonly title: string;
    readonly region: string;
    readonly view: "table";
    /** `SOURCE '<group>' | <query>`, as dashboards require. */
    readonly query: string;
  };
}

/** An alarm status widget. */
export interface AlarmWidget extends WidgetPosition {
  readonly type: "alarm";
  readonly properties: {
    readonly title: string;
    readonly alarms: readonly string[];
  };
}

/**
 * A custom widget: the dashboard calls a Lambda function and shows the HTML it returns ("Dashboard Body Structure and
 * Syntax"; aws-samples/cloudwatch-custom-widgets-samples, `samples/ec2Table/dashboard.json`; the AWS CDK's `CustomWidget`).
 */
export interface CustomWidget extends WidgetPosition {
  readonly type: "custom";
  readonly properties: {
    readonly title: string;
    /** The function's ARN. */
    readonly endpoint: string;
    /** Parameters passed to every call. @default none */
    readonly params?: Readonly<Record<string, unknown>>;
    /** When the dashboard calls the function again: on refresh, on resize, on a change of time range (or zoom). */
    readonly updateOn: { readonly refresh: boolean; readonly resize: boolean; readonly timeRange: boolean };
  };
}

/** Any widget this project puts on a dashboard. */
export type DashboardWidget = MetricWidget | LogWidget | AlarmWidget | CustomWidget;

/** The dashboard body, serialised as PutDashboard expects. */
export function dashboardBody(widgets: readonly DashboardWidget[]): string {
  return JSON.stringify({ widgets });
}

/** A Logs Insights query over the given log groups, in the `SOURCE '<group>' | ...` form dashboards use. */
export function insightsQuery(logGroupNames: readonly string[], query: string): string {
  return [...logGroupNames.map((name) => `SOURCE '${name}'`), query].join(" | ");
}

/**
 * Logs Insights StartQuery's limit on a query string: 10,000 characters (botocore logs/2014-03-28 service-2.json,
 * shape QueryString, max 10000, botocore 1.43.67); a dashboard's log widget runs its query through it.
 */
export const INSIGHTS_QUERY_MAX_LENGTH = 10_000;

/** CreateLogGroup: a log group name has at most 512 characters (botocore logs/2014-03-28, shape LogGroupName). */
const LOG_GROUP_NAME_MAX_LENGTH = 512;

/**
 * The query over the given groups, split into as few queries as keep each within {@link INSIGHTS_QUERY_MAX_LENGTH}
 * (groups in order, each query over consecutive groups). One query when it fits, as before. A name that is still a
 * token at synthesis (another stack's output) counts as the longest a log group name can be.
 */
export function insightsQueries(logGroupNames: readonly string[], query: string, maxLength: number = INSIGHTS_QUERY_MAX_LENGTH): string[] {
  const clauseLength = (name: string) => `SOURCE '' | `.length + (Token.isUnresolved(name) ? LOG_GROUP_NAME_MAX_LENGTH : name.length);
  const queries: string[] = [];
  let chunk: string[] = [];
  let length = query.length;
  for (const name of logGroupNames) {
    if (query.length + clauseLength(name) > maxLength) throw new Error(`the query over ${name} alone exceeds ${maxLength} characters`);
    if (chunk.length > 0 && length + clauseLength(name) > maxLength) {
      queries.push(insightsQuery(chunk, query));
      chunk = [];
      length = query.length;
    }
    chunk.push(name);
    length += clauseLength(name);
  }
  if (chunk.length > 0 || queries.length === 0) queries.push(insightsQuery(chunk, query));
  return queries;
}
