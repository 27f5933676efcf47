/**
 * Typed CloudWatch dashboard widgets, so that the dashboard body is built from checked objects rather than
 * hand-written JSON. Shapes follow "Dashboard Body Structure and Syntax" (Amazon CloudWatch API Reference).
 */

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

/** Any widget this project puts on a dashboard. */
export type DashboardWidget = MetricWidget | LogWidget | AlarmWidget;

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

/**
 * The query over the given groups, split into as few queries as keep each within {@link INSIGHTS_QUERY_MAX_LENGTH}
 * (groups in order, each query over consecutive groups). One query when it fits, as before.
 * @throws Error when one group alone does not fit (a log group name has at most 512 characters, so it always does).
 */
export function insightsQueries(logGroupNames: readonly string[], query: string, maxLength: number = INSIGHTS_QUERY_MAX_LENGTH): string[] {
  const queries: string[] = [];
  let chunk: string[] = [];
  for (const name of logGroupNames) {
    if (insightsQuery([name], query).length > maxLength) throw new Error(`the query over ${name} alone exceeds ${maxLength} characters`);
    if (chunk.length > 0 && insightsQuery([...chunk, name], query).length > maxLength) {
      queries.push(insightsQuery(chunk, query));
      chunk = [];
    }
    chunk.push(name);
  }
  if (chunk.length > 0 || queries.length === 0) queries.push(insightsQuery(chunk, query));
  return queries;
}
