/**
 * What the dashboard sends a custom widget's Lambda function, and what the widget accepts from it.
 *
 * Every call carries `widgetContext` (CloudWatch User Guide, "Details about custom widgets in CloudWatch",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/add_custom_widget_dashboard_about.html): the
 * dashboard's name, the account, the time range (`timeRange.start`/`end` in epoch ms, and `zoom.start`/`end` when a
 * graph is zoomed), the time zone, the widget's size, its `params` and the values of its `forms`. A call made by a
 * `<cwdb-action action="call">` element also carries that element's JSON parameters at the top level of the event
 * (aws-samples/cloudwatch-custom-widgets-samples, `samples/ec2Table/ec2Table.js`: `event.action === 'Reboot'`).
 *
 * Neither carries who is looking: the context has the account, not the user, and the console invokes the function with
 * the viewer's own credentials (see docs/operations.md, "Triage widget"). So the widget records the dashboard as the
 * actor, `cloudwatch-dashboard:<dashboard name>`; CloudTrail's Lambda Invoke data events, where enabled, name the person.
 */
import type { FailureScope } from "../log-processor/suppression-schema";

/** The widget's actions, as `<cwdb-action>` parameters name them. */
export const WIDGET_ACTIONS = ["resolve", "mute1h", "mute24h", "ignore", "reopen"] as const;
export type WidgetAction = (typeof WIDGET_ACTIONS)[number];

/** The time range the widget shows (epoch ms, inclusive). */
export interface TimeRange {
  readonly startMs: number;
  readonly endMs: number;
}

/** The dashboard's time zone: how the times in the table are written. */
export interface DashboardTimezone {
  readonly label: string;
  readonly offsetMinutes: number;
}

/** What the widget reads from `widgetContext`. */
export interface WidgetView {
  readonly timeRange: TimeRange;
  readonly timezone: DashboardTimezone;
  /** The dashboard's name, when the call came from one. */
  readonly dashboardName?: string | undefined;
}

/** One request of the widget: show the table, perhaps after an action on one failure. */
export type WidgetRequest =
  | { readonly kind: "describe" }
  | { readonly kind: "render"; readonly view: WidgetView }
  | { readonly kind: "action"; readonly view: WidgetView; readonly action: WidgetAction; readonly scope: FailureScope; readonly by: string }
  | { readonly kind: "refused"; readonly view: WidgetView; readonly reason: string };

/** How far back the widget looks when a call carries no time range (a test invocation from the Lambda console). */
export const DEFAULT_LOOKBACK_MS = 24 * 3_600_000;

/** PutDashboard: a dashboard's name has only alphanumerics, `-` and `_`, at most 255 characters (CloudWatch API Reference). */
const DASHBOARD_NAME = /^[A-Za-z0-9_-]{1,255}$/;
/** CreateLogGroup: `[\.\-_/#A-Za-z0-9]+`, 1 to 512 characters (CloudWatch Logs API Reference, LogGroupName). */
const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
/** A fingerprint: 32 lower-case hex characters (handlers/log-processor/fingerprint.ts). */
const FINGERPRINT = /^[0-9a-f]{32}$/;
const ACCOUNT_ID = /^\d{12}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function finiteNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** The time range of `widgetContext`: the zoomed range when a graph is zoomed, else the dashboard's; else the last day. */
export function viewOf(widgetContext: unknown, nowMs: number): WidgetView {
  const context = isRecord(widgetContext) ? widgetContext : {};
  const range = isRecord(context.timeRange) ? context.timeRange : {};
  const zoom = isRecord(range.zoom) ? range.zoom : {};
  const pick = (from: Record<string, unknown>): TimeRange | undefined => {
    const start = finiteNumber(from.start);
    const end = finiteNumber(from.end);
    return start !== undefined && end !== undefined && start <= end ? { startMs: start, endMs: end } : undefined;
  };
  const timeRange = pick(zoom) ?? pick(range) ?? { startMs: nowMs - DEFAULT_LOOKBACK_MS, endMs: nowMs };
  const zone = isRecord(context.timezone) ? context.timezone : {};
  const offset = finiteNumber(zone.offsetInMinutes);
  const timezone: DashboardTimezone =
    offset !== undefined && Math.abs(offset) <= 14 * 60
      ? { label: typeof zone.offsetISO === "string" && /^[+-]\d{2}:\d{2}$/.test(zone.offsetISO) ? `UTC${zone.offsetISO}` : "UTC", offsetMinutes: Math.trunc(offset) }
      : { label: "UTC", offsetMinutes: 0 };
  const name = context.dashboardName;
  return { timeRange, timezone, ...(typeof name === "string" && DASHBOARD_NAME.test(name) ? { dashboardName: name } : {}) };
}

/** Who the widget records for a change made from a dashboard. */
export function actorOf(dashboardName: string): string {
  return `cloudwatch-dashboard:${dashboardName}`;
}

/** A value as a refusal quotes it: JSON, at most 60 characters. */
function quoted(value: unknown): string {
  const text = value === undefined ? "nothing" : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * The request an event makes. An event without `action` shows the table; with one, it must name a known action and a
 * well-formed failure (its log group, fingerprint and, when it has one, account) and come from a dashboard; anything
 * else is refused with one line saying what was wrong, and the table is shown unchanged.
 */
export function parseWidgetEvent(event: unknown, nowMs: number): WidgetRequest {
  const body = isRecord(event) ? event : {};
  if (body.describe === true) return { kind: "describe" };
  const view = viewOf(body.widgetContext, nowMs);
  if (!("action" in body)) return { kind: "render", view };
  const refuse = (reason: string): WidgetRequest => ({ kind: "refused", view, reason: `Refused: ${reason}` });
  const action = body.action;
  if (typeof action !== "string" || !(WIDGET_ACTIONS as readonly string[]).includes(action)) {
    return refuse(`"action" must be one of ${WIDGET_ACTIONS.join(", ")}; got ${quoted(action)}`);
  }
  if (typeof body.logGroup !== "string" || !LOG_GROUP_NAME.test(body.logGroup)) {
    return refuse(`"logGroup" must be a log group name (1 to 512 of A-Z a-z 0-9 . - _ / #); got ${quoted(body.logGroup)}`);
  }
  if (typeof body.fingerprint !== "string" || !FINGERPRINT.test(body.fingerprint)) {
    return refuse(`"fingerprint" must be 32 lower-case hex characters; got ${quoted(body.fingerprint)}`);
  }
  if (body.accountId !== undefined && (typeof body.accountId !== "string" || !ACCOUNT_ID.test(body.accountId))) {
    return refuse(`"accountId" must be a 12-digit account id when given; got ${quoted(body.accountId)}`);
  }
  if (view.dashboardName === undefined) {
    return refuse(`actions are taken from a CloudWatch dashboard, and this call names none (widgetContext.dashboardName: ${quoted(isRecord(body.widgetContext) ? body.widgetContext.dashboardName : undefined)})`);
  }
  const scope: FailureScope = { logGroup: body.logGroup, fingerprint: body.fingerprint, ...(body.accountId === undefined ? {} : { accountId: body.accountId }) };
  return { kind: "action", view, action: action as WidgetAction, scope, by: actorOf(view.dashboardName) };
}
