/**
 * The widget's HTML: one table of the failures seen or triaged within the dashboard's time range, regressed first, with
 * their counts, times, releases, scope, deep links and one button per action. Pure: no SDK, no clock, no environment.
 *
 * Custom widgets return HTML that the dashboard shows without running any JavaScript in it; interactivity comes from a
 * `<cwdb-action>` element after the element it acts for: `action="call"` invokes the Lambda function named by
 * `endpoint` with the element's JSON content as parameters, and `display="widget"` replaces the widget's content with
 * the answer (CloudWatch User Guide, "Interactivity in the custom widget",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/add_custom_widget_dashboard_interactivity.html). The
 * buttons call this same function, which performs the action and answers with the table again. `btn` and
 * `btn-primary` are the dashboard's own button styles (aws-samples/cloudwatch-custom-widgets-samples, README,
 * "cwdb-action: Examples").
 *
 * Every value from the table goes through {@link escapeHtml}, every action's parameters through {@link jsonForElement}.
 */
import { failureLinks, logsInsightsUrl, windowAround } from "../log-processor/console-links";
import type { FailureSummary } from "../../lib/triage/triage-store";
import type { TriageState } from "../log-processor/suppression-schema";
import { escapeHtml, jsonForElement } from "./html";
import type { WidgetAction, WidgetView } from "./widget-event";

/** At most this many rows: a dashboard widget is a glance, `npm run incidents -- list` the whole list. */
export const MAX_ROWS = 50;

/** What the widget shows. */
export interface WidgetPage {
  /** Every failure of the table (lib/triage/triage-store.ts `listFailures`). */
  readonly failures: readonly FailureSummary[];
  readonly view: WidgetView;
  /** The region of the console links. */
  readonly region: string;
  /** The log processor's log group, where its per-failure lines carry the fingerprint. */
  readonly processorLogGroup: string;
  /** The ARN the buttons call: the function's own (the Lambda context's `invokedFunctionArn`). */
  readonly endpoint: string;
  /** A line above the table: what an action did, or why it was refused. @default none */
  readonly notice?: { readonly kind: "done" | "refused"; readonly text: string } | undefined;
}

const STATE_ORDER: Readonly<Record<TriageState, number>> = { regressed: 0, open: 1, ignored: 2, resolved: 3 };

const BUTTONS: Readonly<Record<WidgetAction, { readonly label: string; readonly primary?: boolean; readonly confirmation?: string }>> = {
  resolve: { label: "Resolve", primary: true },
  mute1h: { label: "Mute 1 h" },
  mute24h: { label: "Mute 24 h" },
  ignore: { label: "Ignore", confirmation: "Ignore this failure until 100 more occurrences?" },
  reopen: { label: "Reopen" },
};

/** The actions offered in each state: a resolved failure can only be reopened; muting it would hide its regression. */
const ACTIONS_BY_STATE: Readonly<Record<TriageState, readonly WidgetAction[]>> = {
  open: ["resolve", "mute1h", "mute24h", "ignore"],
  regressed: ["resolve", "mute1h", "mute24h", "ignore", "reopen"],
  ignored: ["resolve", "reopen"],
  resolved: ["reopen"],
};

/**
 * The failures shown for a time range: those last seen, or triaged, within it; regressed, then open, ignored and
 * resolved; most recently seen first within each.
 */
export function failuresInRange(failures: readonly FailureSummary[], view: WidgetView): FailureSummary[] {
  const { startMs, endMs } = view.timeRange;
  const within = (at: number | undefined) => at !== undefined && at >= startMs && at <= endMs;
  return failures
    .filter((failure) => within(failure.lastSeenAtMs) || within(failure.triageAtMs))
    .map((failure, index) => ({ failure, index }))
    .sort((a, b) => STATE_ORDER[a.failure.state] - STATE_ORDER[b.failure.state] || (b.failure.lastSeenAtMs ?? 0) - (a.failure.lastSeenAtMs ?? 0) || a.index - b.index)
    .map(({ failure }) => failure);
}

/** A time in the dashboard's time zone, to the minute. */
export function formatTime(atMs: number | undefined, view: WidgetView): string {
  if (atMs === undefined || !Number.isFinite(atMs)) return "—";
  const shifted = new Date(atMs + view.timezone.offsetMinutes * 60_000);
  return Number.isNaN(shifted.getTime()) ? "—" : shifted.toISOString().slice(0, 16).replace("T", " ");
}

const STYLE = `<style>
.triage-summary { margin: 0 0 6px; }
.triage-notice { margin: 0 0 6px; padding: 4px 8px; border-left: 4px solid #0972d3; background: #f2f8fd; }
.triage-notice.refused { border-left-color: #d91515; background: #fff7f7; }
table.triage { border-collapse: collapse; width: 100%; font-size: 12px; }
table.triage th, table.triage td { border-bottom: 1px solid #e9ebed; padding: 3px 6px; text-align: left; vertical-align: top; }
table.triage td.num { text-align: right; }
table.triage .fp { font-family: monospace; overflow-wrap: anywhere; }
table.triage .group { overflow-wrap: anywhere; min-width: 10em; }
table.triage .time { white-space: nowrap; }
table.triage td.actions { min-width: 15em; }
table.triage small { color: #5f6b7a; }
.state { font-weight: bold; }
.state-regressed { color: #d91515; }
.state-open { color: #8d6605; }
.state-ignored, .state-resolved { color: #037f0c; }
table.triage .btn { margin: 1px 2px; }
cwdb-action { display: none; }
</style>`;

function cell(content: string, className?: string): string {
  return className === undefined ? `<td>${content}</td>` : `<td class="${className}">${content}</td>`;
}

function small(text: string): string {
  return `<br><small>${escapeHtml(text)}</small>`;
}

function link(url: string, label: string, title: string): string {
  return `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer" title="${escapeHtml(title)}">${escapeHtml(label)}</a>`;
}

function button(endpoint: string, failure: FailureSummary, action: WidgetAction): string {
  const spec = BUTTONS[action];
  const params = { action, logGroup: failure.logGroup, fingerprint: failure.fingerprint, ...(failure.accountId === undefined ? {} : { accountId: failure.accountId }) };
  const confirmation = spec.confirmation === undefined ? "" : ` confirmation="${escapeHtml(spec.confirmation)}"`;
  return (
    `<a class="btn${spec.primary === true ? " btn-primary" : ""}">${escapeHtml(spec.label)}</a>` +
    `<cwdb-action action="call" endpoint="${escapeHtml(endpoint)}" display="widget"${confirmation}>${jsonForElement(params)}</cwdb-action>`
  );
}

function row(failure: FailureSummary, page: WidgetPage): string {
  const { view } = page;
  const seenFrom = failure.firstSeenAtMs ?? failure.lastSeenAtMs;
  const seenTo = failure.lastSeenAtMs ?? failure.firstSeenAtMs;
  const links = failureLinks({
    region: page.region,
    logGroup: failure.logGroup,
    fingerprint: failure.fingerprint,
    accountId: failure.accountId,
    // The failure's text, when a claim kept it: the same query an alert links to, filtered on the error's first line.
    ...(failure.text === undefined ? {} : { message: failure.text, text: failure.text }),
    ...(seenTo === undefined ? {} : { window: windowAround(seenTo) }),
  });
  // The processor logs one line per failure and delivery with its fingerprint: a query for the fingerprint there finds
  // every delivery of this failure, with its first line and log group, from first to last seen.
  const occurrences = logsInsightsUrl({
    region: page.region,
    logGroups: [page.processorLogGroup],
    window: seenFrom === undefined || seenTo === undefined ? { lastSeconds: 86_400 } : windowAround(seenFrom, seenTo),
    event: { message: failure.fingerprint, text: failure.fingerprint },
  });
  const state = `<span class="state state-${failure.state}">${escapeHtml(failure.state)}</span>${failure.mutedUntilMs === undefined ? "" : small(`muted until ${formatTime(failure.mutedUntilMs, view)}`)}`;
  const releases =
    failure.firstRelease === undefined && failure.lastRelease === undefined
      ? "—"
      : `${escapeHtml(failure.firstRelease ?? "—")} → ${escapeHtml(failure.lastRelease ?? "—")}`;
  const triage =
    failure.triageBy === undefined && failure.note === undefined
      ? "—"
      : [
          escapeHtml(failure.triageBy ?? ""),
          ...(failure.triageAtMs === undefined ? [] : [small(formatTime(failure.triageAtMs, view))]),
          ...(failure.note === undefined ? [] : [small(failure.note)]),
          ...(failure.resolvedInRelease === undefined ? [] : [small(`resolved in ${failure.resolvedInRelease}`)]),
        ].join("");
  const actions = ACTIONS_BY_STATE[failure.state].map((action) => button(page.endpoint, failure, action)).join("");
  return (
    "<tr>" +
    cell(state) +
    cell(`<span class="fp" title="${escapeHtml(links.command)}">${escapeHtml(failure.fingerprint)}</span>`) +
    cell(escapeHtml(failure.logGroup), "group") +
    cell(escapeHtml(failure.accountId ?? "—")) +
    cell(String(failure.seenTotal), "num") +
    cell(formatTime(failure.firstSeenAtMs, view), "time") +
    cell(formatTime(failure.lastSeenAtMs, view), "time") +
    cell(releases) +
    cell(triage) +
    cell(
      [
        link(occurrences.url, "Occurrences", "Logs Insights: the log processor's lines for this fingerprint, first to last seen"),
        link(links.insights.url, "Log lines", failure.text === undefined ? "Logs Insights: the log group around the last occurrence" : "Logs Insights: this failure's lines in its log group around the last occurrence"),
        link(links.group, "Log group", "The log group in the CloudWatch console"),
      ].join("<br>"),
    ) +
    cell(actions, "actions") +
    "</tr>"
  );
}

/** The widget's whole HTML. */
export function renderWidget(page: WidgetPage): string {
  const { view } = page;
  const shown = failuresInRange(page.failures, view);
  const counts = (["regressed", "open", "ignored", "resolved"] as const).map((state) => `${shown.filter((f) => f.state === state).length} ${state}`).join(" · ");
  const range = `${formatTime(view.timeRange.startMs, view)} to ${formatTime(view.timeRange.endMs, view)} (${escapeHtml(view.timezone.label)})`;
  const parts = [
    STYLE,
    `<p class="triage-summary"><b>${counts}</b> — failures seen or triaged from ${range}.</p>`,
  ];
  if (page.notice !== undefined) parts.push(`<p class="triage-notice ${page.notice.kind}">${escapeHtml(page.notice.text)}</p>`);
  if (shown.length === 0) {
    parts.push("<p>No failure was seen or triaged in this time range.</p>");
    return parts.join("\n");
  }
  const header = ["State", "Fingerprint", "Log group", "Account", "Seen", "First seen", "Last seen", "Releases (first → last)", "Triaged", "Links", "Actions"]
    .map((name) => `<th>${name}</th>`)
    .join("");
  parts.push(`<table class="triage"><thead><tr>${header}</tr></thead><tbody>`);
  for (const failure of shown.slice(0, MAX_ROWS)) parts.push(row(failure, page));
  parts.push("</tbody></table>");
  if (shown.length > MAX_ROWS) parts.push(`<p><small>${shown.length - MAX_ROWS} more not shown: npm run incidents -- list</small></p>`);
  return parts.join("\n");
}
