/**
 * Renders a simulation report as text: the chain as synthesized, a timeline in simulated time, a summary, and the
 * verdict naming the first broken link. Pure: the same report gives the same text.
 */
import { ChainProblem, firstBrokenLink } from "./chain-checks";
import type { MonitoringChain } from "./monitoring-chain";
import type { SimulationReport } from "./simulate";

/** The kinds of timeline entries, in the order entries of the same time are shown. */
export const TIMELINE_KINDS = ["emitter", "metric", "alarm", "sns", "delivery", "alert", "triage"] as const;
/** One of {@link TIMELINE_KINDS}. */
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

/** One line of the timeline. */
export interface TimelineEntry {
  readonly atMs: number;
  readonly kind: TimelineKind;
  readonly text: string;
}

/** `hh:mm:ss` (UTC). */
export function clockTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** `hh:mm` (UTC). */
function minuteLabel(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

/** Whether a run from `startMs` to `endMs` crosses midnight (UTC), so that times need their date. */
export function crossesMidnight(startMs: number, endMs: number): boolean {
  return new Date(startMs).toISOString().slice(0, 10) !== new Date(endMs).toISOString().slice(0, 10);
}

/** `hh:mm`, or `MM-DD hh:mm` when the run crosses midnight. */
function minuteText(ms: number, withDate: boolean): string {
  return withDate ? `${new Date(ms).toISOString().slice(5, 10)} ${minuteLabel(ms)}` : minuteLabel(ms);
}

/** `hh:mm:ss`, or `MM-DD hh:mm:ss` when the run crosses midnight. */
function timeLabel(ms: number, withDate: boolean): string {
  return withDate ? `${new Date(ms).toISOString().slice(5, 10)} ${clockTime(ms)}` : clockTime(ms);
}

/** Minutes up to which the summary lists every minute's count; longer runs get hourly totals. */
export const PER_MINUTE_LIMIT = 30;
/** Width at which the summary's lists wrap. */
export const SUMMARY_WIDTH = 100;

/** Joins items with " | ", wrapping before {@link SUMMARY_WIDTH}, continuation lines indented by `indent`. */
function wrapItems(items: readonly string[], indent: number): string {
  const lines: string[] = [];
  let line = "";
  for (const item of items) {
    const next = line === "" ? item : `${line} | ${item}`;
    if (line !== "" && indent + next.length + " |".length > SUMMARY_WIDTH) {
      lines.push(`${line} |`);
      line = item;
    } else {
      line = next;
    }
  }
  lines.push(line);
  return lines.join(`\n${" ".repeat(indent)}`);
}

/** The errors-per-minute row: every minute for short runs, hourly totals and peaks for long ones. */
function errorRates(report: SimulationReport, withDate: boolean, indent: number): string {
  const minutes = report.errorsPerMinute;
  const label = (ms: number): string => minuteText(ms, withDate);
  if (minutes.length <= PER_MINUTE_LIMIT) {
    return wrapItems(minutes.map((minute) => `${label(minute.minuteMs)} ${minute.value ?? "-"}`), indent);
  }
  const hours = new Map<number, number[]>();
  for (const minute of minutes) {
    const hour = minute.minuteMs - (minute.minuteMs % 3_600_000);
    hours.set(hour, [...(hours.get(hour) ?? []), minute.value ?? 0]);
  }
  const items = [...hours].map(([hour, values]) => `${label(hour)} ${values.reduce((a, b) => a + b, 0)} (peak ${Math.max(...values)}/min)`);
  return `hourly totals of ${minutes.length} minutes:\n${" ".repeat(indent)}${wrapItems(items, indent)}`;
}

function plural(count: number, word: string, words = `${word}s`): string {
  return `${count} ${count === 1 ? word : words}`;
}

/** A one-line, bounded rendering of a value for the timeline. */
function brief(value: unknown, limit = 140): string {
  const text = typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > limit ? `${flat.slice(0, limit - 3)}...` : flat;
}

const OPERATOR_SYMBOLS: Readonly<Record<string, string>> = {
  GreaterThanOrEqualToThreshold: ">=",
  GreaterThanThreshold: ">",
  LessThanThreshold: "<",
  LessThanOrEqualToThreshold: "<=",
};

/** The chain as synthesized: what the simulation runs. */
export function renderChain(chain: MonitoringChain): string {
  const name = (address: string): string => address.slice(address.indexOf("/") + 1);
  const rows: [string, string][] = [
    ["test emitter", `${chain.emitter.address}, ${chain.emitter.logFormat === "json" ? "JSON" : "text"} log format, writes to ${chain.logGroupName}`],
    ...chain.metricFilters.map((filter): [string, string] => [
      "metric filter",
      `${name(filter.address)}: ${filter.pattern}  ->  ${filter.metric.namespace}/${filter.metric.name} += ${filter.metric.value}`,
    ]),
    ...chain.alarms.map((alarm): [string, string] => [
      "alarm",
      `${alarm.alarmName}: ${alarm.statistic} ${OPERATOR_SYMBOLS[alarm.comparisonOperator] ?? alarm.comparisonOperator} ${alarm.threshold} in ${alarm.datapointsToAlarm} of ${alarm.evaluationPeriods} period(s) of ${alarm.periodSeconds} s, missing data ${alarm.treatMissingData}`,
    ]),
    ...chain.subscriptionFilters.map((filter): [string, string] => [
      "subscription filter",
      `${name(filter.address)}: ${filter.pattern}  ->  ${
        filter.kinesis === undefined
          ? ""
          : `${filter.kinesis.streamAddress} (Kinesis), read by ${filter.kinesis.mappingAddress} in batches of up to ${filter.kinesis.batchSize}  ->  `
      }${filter.destination.address}`,
    ]),
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return [
    `The chain, as synthesized (region ${chain.region}; account ${chain.accountId} is simulated):`,
    ...rows.map(([label, text]) => `  ${label.padEnd(width)}  ${text}`),
  ].join("\n");
}

/** The timeline's entries, in time order. */
export function timelineEntries(report: SimulationReport): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const destinationName = (address: string): string => address.slice(address.lastIndexOf(".") + 1);
  const withDate = crossesMidnight(report.startMs, report.evaluationEndMs);

  for (const invocation of report.invocations) {
    const lines = [`${plural(invocation.infoLines, "INFO line")}`, `${plural(invocation.errorLines, "ERROR line")}`].join(", ");
    entries.push({
      atMs: invocation.atMs,
      kind: "emitter",
      text: `invoked with ${JSON.stringify(invocation.event)}${invocation.coldStart ? " (cold start)" : ""}: ${invocation.failure === undefined ? lines : `FAILED: ${brief(invocation.failure)}`}`,
    });
  }
  const metricName = report.chain.alarms[0] === undefined ? "metric" : `${report.chain.alarms[0].namespace}/${report.chain.alarms[0].metricName}`;
  for (const minute of report.errorsPerMinute) {
    if (minute.value === undefined) continue;
    entries.push({ atMs: minute.minuteMs + 60_000, kind: "metric", text: `${metricName} = ${minute.value} for ${minuteLabel(minute.minuteMs)}` });
  }
  for (const record of report.alarms) {
    for (const transition of record.history.transitions) {
      entries.push({ atMs: transition.atMs, kind: "alarm", text: `${record.alarm.alarmName} ${transition.from} -> ${transition.to}: ${transition.reason}` });
    }
    for (const notification of record.notifications) {
      for (const target of notification.targets) {
        const to = target.recipients.length === 0 ? "no subscriptions: set LOG_MONITOR_ALERT_EMAILS" : `to ${target.recipients.join(", ")}`;
        entries.push({ atMs: notification.atMs, kind: "sns", text: `would notify ${target.arn} (${to}): ${notification.subject}` });
      }
    }
  }
  for (const delivery of report.deliveries) {
    const errorCount = delivery.eventIds.filter((id) => report.events.find((event) => event.id === id)?.error).length;
    const what =
      delivery.messageType === "CONTROL_MESSAGE" ? "CONTROL_MESSAGE" : `${plural(delivery.eventIds.length, "event")} (${errorCount} error)`;
    const answer = delivery.result.ok ? `returned ${brief(delivery.result.value)}` : `FAILED: ${brief(delivery.result.failure)}`;
    entries.push({ atMs: delivery.atMs, kind: "delivery", text: `${what} -> ${destinationName(delivery.destination)}: ${answer}` });
  }
  for (const alert of report.alerts) {
    // An alert announcing a triage transition (a resolved failure that regressed) is marked, as its attribute says.
    const triage = alert.attributes.triage;
    entries.push({
      atMs: alert.atMs,
      kind: "alert",
      text: `published ${JSON.stringify(alert.subject ?? brief(alert.message, 80))} to ${alert.topicArn}${triage === undefined ? "" : ` (triage: ${triage.toUpperCase()})`}`,
    });
  }
  for (const resolution of report.resolutions) {
    entries.push({
      atMs: resolution.atMs,
      kind: "triage",
      text: `resolved ${resolution.fingerprint} in ${resolution.logGroup} at ${timeLabel(resolution.atMs, withDate)} (by ${resolution.by}, as npm run incidents -- resolve would): its next occurrence alerts once as REGRESSED`,
    });
  }
  return entries.sort((a, b) => a.atMs - b.atMs || TIMELINE_KINDS.indexOf(a.kind) - TIMELINE_KINDS.indexOf(b.kind));
}

/** The timeline as text, one entry a line. */
export function renderTimeline(entries: readonly TimelineEntry[], withDate = false): string {
  const width = Math.max(...TIMELINE_KINDS.map((kind) => kind.length));
  return [
    `Timeline (simulated time, UTC${withDate ? "; the run crosses midnight, so times carry their date" : ""}):`,
    ...entries.map((entry) => `  ${timeLabel(entry.atMs, withDate)}  ${entry.kind.padEnd(width)}  ${entry.text}`),
  ].join("\n");
}

/** The summary: events, matches, alarm transitions, incidents, alerts. */
export function renderSummary(report: SimulationReport): string {
  const withDate = crossesMidnight(report.startMs, report.evaluationEndMs);
  const labelWidth = "subscription filter".length;
  const errorEvents = report.events.filter((event) => event.error);
  const otherEvents = report.events.filter((event) => !event.error);
  const byKind = (predicate: (event: SimulationReport["events"][number]) => boolean): number => report.events.filter(predicate).length;
  const countedErrors = errorEvents.filter((event) => (report.counted.get(event.id) ?? []).length > 0).length;
  const countedOthers = otherEvents.filter((event) => (report.counted.get(event.id) ?? []).length > 0).length;
  const countedTwice = report.events.filter((event) => (report.counted.get(event.id) ?? []).length > 1).length;
  const passedErrors = errorEvents.filter((event) => (report.passed.get(event.id) ?? []).length > 0).length;
  const passedOthers = otherEvents.filter((event) => (report.passed.get(event.id) ?? []).length > 0).length;
  const dataDeliveries = report.deliveries.filter((delivery) => delivery.messageType === "DATA_MESSAGE");
  const errorIds = new Set(errorEvents.map((event) => event.id));
  const incidentsForErrors = report.incidents.filter((incident) => errorIds.has(incident.eventId)).length;
  const severities = [...new Set(report.incidents.map((incident) => incident.severity))]
    .map((severity) => `${report.incidents.filter((incident) => incident.severity === severity).length} ${severity}`)
    .join(", ");

  const rows: [string, string][] = [
    [
      "log events",
      `${report.events.length} written to ${report.chain.logGroupName}: ${byKind((event) => event.level === "INFO")} INFO, ${byKind((event) => event.level === "ERROR" || event.level === "FATAL")} ERROR/FATAL, ${byKind((event) => event.source === "platform")} from Lambda (START, END, REPORT)`,
    ],
    [
      "metric filters",
      `counted ${countedErrors} of ${plural(errorEvents.length, "error event")}, ${countedOthers} other events, ${countedTwice} twice`,
    ],
    ["errors per minute", errorRates(report, withDate, labelWidth + 4)],
    ...report.alarms.map((record): [string, string] => [
      "alarm",
      `${record.alarm.alarmName}: ${plural(record.history.transitions.length, "transition")}${
        record.history.transitions.length === 0
          ? ""
          : ` (${record.history.transitions.map((transition) => `${transition.from}->${transition.to} ${minuteText(transition.atMs, withDate)}`).join(", ")})`
      }, ${record.history.initialState} before, ${record.history.finalState} at ${minuteText(report.evaluationEndMs, withDate)}`,
    ]),
    [
      "notifications",
      report.alarms.every((record) => record.notifications.length === 0)
        ? "none"
        : report.alarms
            .flatMap((record) => record.notifications.map((notification) => `${notification.state} to ${notification.targets.map((target) => target.arn).join(", ")}`))
            .join("; "),
    ],
    [
      "subscription filter",
      `passed ${passedErrors} of ${plural(errorEvents.length, "error event")} and ${passedOthers} other events, in ${plural(dataDeliveries.length, "delivery", "deliveries")} (plus the CONTROL_MESSAGE)`,
    ],
    [
      "incidents",
      `${report.incidents.length} recorded${severities === "" ? "" : ` (${severities})`}, for ${incidentsForErrors} of ${plural(errorEvents.length, "error event")}`,
    ],
    ["real-time alerts", realtimeAlertsSummary(report)],
    ...(report.resolveAtMs === undefined ? [] : ([["triage", triageSummary(report, withDate)]] as [string, string][])),
    ...(report.dashboard === undefined
      ? []
      : ([
          [
            "alert figures",
            Object.keys(report.dashboard.figures).length === 0
              ? "none written (the processor writes them with METRICS_NAMESPACE and ENVIRONMENT_NAME)"
              : Object.entries(report.dashboard.figures)
                  .map(([name, value]) => `${name} ${value}`)
                  .join(", "),
          ],
          [
            "top failures",
            report.dashboard.topFailures.length === 0
              ? "none"
              : report.dashboard.topFailures
                  .slice(0, 5)
                  .map((failure) => `${failure.occurrences} x ${failure.firstLine.slice(0, 60)} (${failure.fingerprint.slice(0, 8)})`)
                  .join("; "),
          ],
        ] as [string, string][])),
  ];
  const width = Math.max(labelWidth, ...rows.map(([label]) => label.length));
  return ["Summary:", ...rows.map(([label, text]) => `  ${label.padEnd(width)}  ${text}`)].join("\n");
}

/** The resolutions of `--resolve-after`, and the regressed alerts after them. */
function triageSummary(report: SimulationReport, withDate: boolean): string {
  const atMs = report.resolveAtMs as number;
  const when = `${minuteText(atMs, withDate)} (--resolve-after ${Math.round((atMs - report.startMs) / 60_000)})`;
  if (report.resolutions.length === 0) return `resolved nothing at ${when}: no failure had alerted by then`;
  const regressed = report.alerts.filter((alert) => alert.atMs > atMs && alert.attributes.triage === "regressed").length;
  return `resolved ${plural(report.resolutions.length, "failure")} at ${when}, by ${report.resolutions[0]?.by}; ${plural(regressed, "REGRESSED alert")} after it`;
}

function realtimeAlertsSummary(report: SimulationReport): string {
  const { enabled, implemented, topicArn } = report.realtimeAlerts;
  const regressed = report.alerts.filter((alert) => alert.attributes.triage === "regressed").length;
  const published = `${plural(report.alerts.length, "alert")} published${regressed === 0 ? "" : ` (${regressed} REGRESSED)`}`;
  if (!enabled) return `${published} (REALTIME_ALERTS is off)`;
  if (!implemented && report.alerts.length === 0) return `${published} (the processor bundle does not implement real-time alerts yet)`;
  return `${published}${topicArn === undefined ? "" : ` to ${topicArn}`}`;
}

/** The verdict: OK, or BROKEN naming the first broken link, with every problem. */
export function renderVerdict(problems: readonly ChainProblem[]): string {
  const link = firstBrokenLink(problems);
  if (link === undefined) return "Chain OK: every error event was counted, alarmed on, delivered and recorded.";
  return [`Chain BROKEN at the ${link}:`, ...problems.map((problem) => `  - ${problem.link}: ${problem.message}`)].join("\n");
}

/** The whole report. */
export function renderReport(report: SimulationReport): string {
  return [
    `log-monitor simulation: ${plural(report.errorsRequested, "error invocation")} over ${plural(report.minutes, "minute")}, from ${new Date(report.startMs).toISOString()} (simulated)`,
    "",
    renderChain(report.chain),
    "",
    renderTimeline(timelineEntries(report), crossesMidnight(report.startMs, report.evaluationEndMs)),
    "",
    renderSummary(report),
    "",
    renderVerdict(report.problems),
    "",
  ].join("\n");
}

/**
 * `simulate --json`: the report as one JSON document, for scripts: the verdict first (`ok`, or the first broken
 * link with every problem), then what each link did, with ISO-8601 times.
 */
export function reportJson(report: SimulationReport): Record<string, unknown> {
  const iso = (ms: number): string => new Date(ms).toISOString();
  const brokenLink = firstBrokenLink(report.problems);
  const errorEvents = report.events.filter((event) => event.error);
  return {
    verdict: brokenLink === undefined ? "ok" : "broken",
    ...(brokenLink === undefined ? {} : { brokenLink }),
    problems: report.problems,
    errorsRequested: report.errorsRequested,
    minutes: report.minutes,
    start: iso(report.startMs),
    evaluationEnd: iso(report.evaluationEndMs),
    logGroup: report.chain.logGroupName,
    events: {
      total: report.events.length,
      errors: errorEvents.length,
      errorsCounted: errorEvents.filter((event) => (report.counted.get(event.id) ?? []).length > 0).length,
      errorsPassedSubscription: errorEvents.filter((event) => (report.passed.get(event.id) ?? []).length > 0).length,
    },
    errorsPerMinute: report.errorsPerMinute.map((minute) => ({ minute: iso(minute.minuteMs), count: minute.value ?? null })),
    alarms: report.alarms.map((record) => ({
      name: record.alarm.alarmName,
      initialState: record.history.initialState,
      finalState: record.history.finalState,
      transitions: record.history.transitions.map((transition) => ({ at: iso(transition.atMs), from: transition.from, to: transition.to, reason: transition.reason })),
      notifications: record.notifications.map((notification) => ({
        at: iso(notification.atMs),
        state: notification.state,
        topics: notification.targets.map((target) => target.arn),
      })),
    })),
    deliveries: report.deliveries.map((delivery) => ({
      at: iso(delivery.atMs),
      messageType: delivery.messageType,
      events: delivery.eventIds.length,
      destination: delivery.destination,
      ok: delivery.result.ok,
      ...(delivery.result.ok ? {} : { failure: delivery.result.failure }),
      alertsPublished: delivery.alertsPublished,
    })),
    incidents: report.incidents,
    alerts: report.alerts.map((alert) => ({
      at: iso(alert.atMs),
      topicArn: alert.topicArn,
      subject: alert.subject ?? null,
      fingerprint: alert.attributes.fingerprint ?? null,
      // `regressed` (or `ignore-ended`) on an alert announcing a triage transition, as its SNS message attribute says.
      triage: alert.attributes.triage ?? null,
    })),
    ...(report.resolveAtMs === undefined ? {} : { resolveAt: iso(report.resolveAtMs) }),
    resolutions: report.resolutions.map((resolution) => ({
      at: iso(resolution.atMs),
      fingerprint: resolution.fingerprint,
      logGroup: resolution.logGroup,
      accountId: resolution.accountId ?? null,
      table: resolution.tableName,
      by: resolution.by,
    })),
    ...(report.dashboard === undefined ? {} : { figures: report.dashboard.figures, topFailures: report.dashboard.topFailures }),
  };
}
