import { ChatNotification, chatNotificationForAlert, chatNotificationForDigest } from "./chat-notification";
import { failureLinks, FailureLinks, incidentsCommand, InsightsWindow, logGroupUrl, logsInsightsUrl, windowAround } from "./console-links";
import { Incident } from "./incident";
import { firstLine, parseLogLine } from "./log-line";
import { maxSeverity, Severity } from "./severity";
import type { TriageTransition } from "./suppression-schema";
import { cutCodePoints } from "./well-formed";

/** What one real-time alert says: about one failure (fingerprint) seen in one delivery. */
export interface AlertFacts {
  /** The log group the failure was logged to. */
  readonly logGroup: string;
  /** The account the log group is in, when the delivery names it (cross-account deliveries do). */
  readonly accountId?: string | undefined;
  /** The log stream of the incident the alert shows. */
  readonly logStream: string;
  /** How bad it is. */
  readonly severity: Severity;
  /** The whole log line of the incident the alert shows. */
  readonly message: string;
  /** Id of that incident in the incidents table. */
  readonly incidentId: string;
  /** When it happened (ISO-8601). */
  readonly occurredAt: string;
  /** The failure's fingerprint. */
  readonly fingerprint: string;
  /** Times the failure was seen in the current suppression window so far. */
  readonly seenCount: number;
  /** Length of the suppression window in minutes. */
  readonly windowMinutes: number;
  /** The function's region, which is the log group's. */
  readonly region: string;
  /** A triage transition this alert announces: the failure regressed, or its ignore ended (and why). */
  readonly transition?: TriageTransition | undefined;
  /** The release of the occurrences, where the logs carry one (release.ts). */
  readonly release?: string | undefined;
  /** Set on the failure's first alert ever when its first occurrence carried a release: "new in release 42". */
  readonly newInRelease?: string | undefined;
}

/** An alert ready to publish to SNS. */
export interface AlertMessage {
  /** The e-mail subject: printable ASCII, no line breaks, at most {@link MAX_SUBJECT_LENGTH} characters. */
  readonly subject: string;
  /** The plain-text body. */
  readonly body: string;
  /** SNS message attributes, so that subscriptions can filter (for example, only FATAL to a pager). */
  readonly attributes: {
    readonly severity: Severity;
    readonly log_group: string;
    readonly fingerprint: string;
    readonly account_id?: string;
    /** `regressed` or `ignore-ended` on an alert announcing a triage transition (subscriptions may filter on it). */
    readonly triage?: string;
  };
  /**
   * The body for chat channels (AWS Chatbot's custom-notification JSON), published as the `https` body.
   * @default none: chat channels receive the plain text
   */
  readonly chat?: ChatNotification;
}

/**
 * SNS rejects a subject of 100 characters or more: "Subjects must be UTF-8 text with no line breaks or control
 * characters, and less than 100 characters long" (SNS API reference, Publish, `Subject`).
 */
export const MAX_SUBJECT_LENGTH = 99;

/**
 * The error's first line in the body is cut here: a log event can be 256 KB on one line, and the line is there
 * to recognise the failure, not to read the payload (the incident keeps the whole message).
 */
export const MAX_BODY_LINE_LENGTH = 1000;

/**
 * The error's own first line: the application's text without Lambda's timestamp, request id and level, first
 * non-blank line only (`TypeError: Cannot read properties of undefined (reading 'id')`).
 */
export function errorFirstLine(message: string): string {
  const line = firstLine(parseLogLine(message).text);
  return line === "" ? firstLine(message) : line;
}

/**
 * Formats a real-time alert. Pure: the same facts always give the same text.
 *
 * Subject: `[SEVERITY] <first line of the error> (<log group>)`, reduced to printable ASCII on one line and cut
 * to {@link MAX_SUBJECT_LENGTH} characters (the error text is shortened first, so the log group stays visible
 * whenever it fits). Body: log group, severity, the error's first line, how often it was seen in the window,
 * the incident id, the fingerprint, and deep links (console-links.ts): the log group, the Logs Insights query that
 * finds this event (its text, 15 minutes either side of it), the log stream at the event's time, and the
 * `npm run incidents` command for this failure in this log group.
 */
export function formatAlert(facts: AlertFacts): AlertMessage {
  const line = errorFirstLine(facts.message);
  const links = alertLinks(facts);
  const times = facts.seenCount === 1 ? "time" : "times";
  const minutes = facts.windowMinutes === 1 ? "minute" : "minutes";
  const news = alertNews(facts);
  const body = [
    `${facts.severity} in ${facts.logGroup}`,
    ...(news === undefined ? [] : ["", news]),
    "",
    cutCodePoints(line, MAX_BODY_LINE_LENGTH),
    "",
    `This failure was seen about ${facts.seenCount} ${times} in the last ${facts.windowMinutes} ${minutes} (replays and retries may count twice).`,
    "",
    `Log group:   ${facts.logGroup}`,
    ...(facts.accountId === undefined ? [] : [`Account:     ${facts.accountId}`]),
    `Log stream:  ${facts.logStream}`,
    `Severity:    ${facts.severity}`,
    `Occurred at: ${facts.occurredAt}`,
    ...(facts.release === undefined ? [] : [`Release:     ${facts.release}`]),
    `Incident id: ${facts.incidentId}`,
    `Fingerprint: ${facts.fingerprint}`,
    `Console:     ${links.group}`,
    `Insights:    ${links.insights.url}`,
    ...(links.stream === undefined ? [] : [`At event:    ${links.stream}`]),
    `Incidents:   ${links.command}`,
    "",
    `Further occurrences of this failure are counted, not alerted, until ${facts.windowMinutes} ${minutes} after this alert.`,
    `Every occurrence is an incident: npm run incidents -- --fingerprint ${facts.fingerprint}`,
  ].join("\n");
  const tag = facts.transition === undefined ? undefined : `[${facts.severity} ${facts.transition.kind === "regressed" ? "REGRESSED" : "UNIGNORED"}]`;
  return {
    subject: alertSubject(facts.severity, line, facts.logGroup, tag),
    body,
    attributes: {
      severity: facts.severity,
      log_group: facts.logGroup,
      fingerprint: facts.fingerprint,
      ...(facts.accountId === undefined ? {} : { account_id: facts.accountId }),
      ...(facts.transition === undefined ? {} : { triage: facts.transition.kind }),
    },
    chat: chatNotificationForAlert(facts),
  };
}

/**
 * The line that says what is new about this alert, if anything: a regression (resolved by whom, when, in which
 * release), the end of an ignore (and why), or a failure first seen in a release.
 */
export function alertNews(facts: Pick<AlertFacts, "transition" | "release" | "newInRelease">): string | undefined {
  const transition = facts.transition;
  if (transition?.kind === "regressed") {
    const when = transition.resolvedAtMs === undefined ? "" : ` at ${new Date(transition.resolvedAtMs).toISOString()}`;
    const by = transition.resolvedBy === undefined ? "" : ` by ${transition.resolvedBy}`;
    const inRelease = transition.resolvedInRelease === undefined ? "" : ` in release ${transition.resolvedInRelease}`;
    // "$LATEST" (a Lambda function's unpublished code) names no release worth saying.
    const now = facts.release === undefined || facts.release === "$LATEST" ? "" : `, and occurred again in release ${facts.release}`;
    return `REGRESSED: this failure was resolved${inRelease}${by}${when}${now}. It alerts at once, once per regression.`;
  }
  if (transition?.kind === "ignore-ended") return `NO LONGER IGNORED: it was ${transition.why}.`;
  if (facts.newInRelease !== undefined) return `New in release ${facts.newInRelease}: the first time this failure was seen.`;
  return undefined;
}

/** The deep links of an alert: its event's query, stream and log group, and the incidents command (console-links.ts). */
export function alertLinks(facts: AlertFacts): FailureLinks {
  return failureLinks({
    region: facts.region,
    logGroup: facts.logGroup,
    fingerprint: facts.fingerprint,
    accountId: facts.accountId,
    message: facts.message,
    text: errorFirstLine(facts.message),
    logStream: facts.logStream,
    atMs: Date.parse(facts.occurredAt),
  });
}

/** The alert facts for the incident chosen to represent a failure in a delivery. */
export function alertFactsOf(
  incident: Incident,
  context: {
    readonly seenCount: number;
    readonly windowMinutes: number;
    readonly region: string;
    readonly transition?: TriageTransition;
    readonly release?: string;
    readonly newInRelease?: string;
  },
): AlertFacts {
  return {
    logGroup: incident.logGroup,
    ...(incident.accountId === undefined ? {} : { accountId: incident.accountId }),
    logStream: incident.logStream,
    severity: incident.severity,
    message: incident.message,
    incidentId: incident.incidentId,
    occurredAt: incident.occurredAt,
    fingerprint: incident.fingerprint,
    ...context,
  };
}

/**
 * `[SEVERITY] <error> (<log group>)` within {@link MAX_SUBJECT_LENGTH} printable ASCII characters: the error is
 * shortened first; when even a short error and the whole group do not fit, the group is cut too. `tag` replaces
 * `[SEVERITY]` (quiet-again notices say `[RESOLVED]`).
 */
export function alertSubject(severity: Severity, errorLine: string, logGroup: string, tag = `[${severity}]`): string {
  // The tag is part of the subject from the start (never swapped in after the cut), so the limit holds with any tag.
  const prefix = `${toSubjectText(tag)} `;
  const group = toSubjectText(logGroup);
  const error = toSubjectText(errorLine) || "error";
  const whole = `${prefix}${error} (${group})`;
  if (whole.length <= MAX_SUBJECT_LENGTH) return whole;

  // Keep at least this much of the error before giving up characters of the log group.
  const minimumError = 40;
  const roomForError = MAX_SUBJECT_LENGTH - prefix.length - ` (${group})`.length;
  if (roomForError >= minimumError) return `${prefix}${cutCodePoints(error, roomForError)} (${group})`;
  return cutCodePoints(`${prefix}${cutCodePoints(error, minimumError)} (${group})`, MAX_SUBJECT_LENGTH);
}

/**
 * Link to the log group in the CloudWatch console of the region's partition. The console's `#logsV2:` fragment takes
 * the group name URI-encoded twice with `%` written as `$`, so `/aws/lambda/x` becomes `$252Faws$252Flambda$252Fx`
 * (console-links.ts says where each part comes from).
 */
export function logGroupConsoleUrl(region: string, logGroup: string): string {
  return logGroupUrl(region, logGroup);
}

/**
 * The window a digest's or summary's queries look at: from 15 minutes before the earliest of its events to 15 minutes
 * after the latest; the last hour when none has a time.
 */
export function windowOfEvents(timesMs: readonly number[]): InsightsWindow {
  let first = Infinity;
  let last = -Infinity;
  for (const ms of timesMs) {
    if (!Number.isFinite(ms)) continue;
    first = Math.min(first, ms);
    last = Math.max(last, ms);
  }
  return first === Infinity ? { lastSeconds: 3600 } : windowAround(first, last);
}

/** Logs Insights on a log group over a window, with no text filter: every event of the group in that time. */
export function logGroupInsightsUrl(region: string, logGroup: string, window: InsightsWindow): string {
  return logsInsightsUrl({ region, logGroups: [logGroup], window }).url;
}

/** One failure in a digest: how often it occurred in the delivery and the incident that represents it. */
export interface DigestEntry {
  /** The failure's fingerprint. */
  readonly fingerprint: string;
  /** Occurrences in the delivery. */
  readonly count: number;
  /** The incident the entry shows. */
  readonly representative: Incident;
  /** What is new about it (a triage transition), shown before its line. */
  readonly note?: string;
}

/** Failures a digest lists by name; the rest are counted and left to `npm run incidents`. */
export const MAX_DIGEST_ENTRIES = 25;

/**
 * A log group's storm in a digest: the failures an invocation counted without claiming each (realtime-alerts.ts,
 * "Storms"), and those of them it may name (read as neither muted nor alerted within their window).
 */
export interface DigestStorm {
  readonly accountId?: string | undefined;
  readonly logGroup: string;
  /** Distinct failures counted. */
  readonly failures: number;
  /** Their occurrences in the invocation. */
  readonly occurrences: number;
  /** The most severe of them. */
  readonly severity: Severity;
  /** Failures of the storm the digest names, most occurrences first. */
  readonly named: readonly DigestEntry[];
}

/** The line that opens a storm's part of a digest (tests parse it: `Storm: <n> distinct failures (<m> occurrences) in <group>[, account <id>]`). */
export function stormLine(storm: Pick<DigestStorm, "failures" | "occurrences" | "logGroup" | "accountId">): string {
  return `Storm: ${storm.failures} distinct failures (${storm.occurrences} occurrences) in ${storm.logGroup}${storm.accountId === undefined ? "" : `, account ${storm.accountId}`}`;
}

/**
 * The one message that stands for every failure of an invocation beyond the per-invocation alert limit. Lists the
 * top {@link MAX_DIGEST_ENTRIES} claimed failures by occurrences (ties in delivery order); then, for each log group in a
 * storm, how many failures were counted and the ones it may name; and gives the `npm run incidents` command that lists
 * every failure of the log group by count.
 */
export function formatDigest(
  entries: readonly DigestEntry[],
  context: { readonly maxAlerts: number; readonly windowMinutes: number; readonly region: string },
  storms: readonly DigestStorm[] = [],
): AlertMessage {
  const sorted = [...entries].sort((a, b) => b.count - a.count);
  const first = sorted[0];
  const firstStorm = storms[0];
  if (first === undefined && firstStorm === undefined) throw new RangeError("a digest needs at least one failure");
  const severities: Severity[] = [...entries.map((entry) => entry.representative.severity), ...storms.map((storm) => storm.severity)];
  const severity = severities.reduce<Severity>((worst, next) => maxSeverity(worst, next) ?? worst, severities[0] as Severity);
  const groups = [...new Set([...entries.map((entry) => entry.representative.logGroup), ...storms.map((storm) => storm.logGroup)])];
  const logGroup = first?.representative.logGroup ?? (firstStorm as DigestStorm).logGroup;
  const where = groups.length === 1 ? logGroup : `${groups.length} log groups`;
  const failures = entries.length + storms.reduce((sum, storm) => sum + storm.failures, 0);
  const occurrences = entries.reduce((sum, entry) => sum + entry.count, 0) + storms.reduce((sum, storm) => sum + storm.occurrences, 0);
  const entryLine = (entry: DigestEntry): string =>
    `${String(entry.count).padStart(6)} x [${entry.representative.severity}]${entry.note === undefined ? "" : ` ${entry.note}:`} ${cutCodePoints(errorFirstLine(entry.representative.message), 200)}  (fingerprint ${entry.fingerprint} in ${entry.representative.logGroup}${entry.representative.accountId === undefined ? "" : `, account ${entry.representative.accountId}`})\n` +
    `         ${incidentsCommand(entry.fingerprint, entry.representative.logGroup, entry.representative.accountId)}`;
  const shown = sorted.slice(0, MAX_DIGEST_ENTRIES);
  // The invocation's window: the times of its failures the digest knows (a storm's count has none of its own).
  const window = windowOfEvents([...entries, ...storms.flatMap((storm) => storm.named)].map((entry) => Date.parse(entry.representative.occurredAt)));
  const body = [
    `${failures} more distinct failures (${occurrences} occurrences) in ${where}`,
    "",
    `This invocation had more failures than the ${context.maxAlerts} alerts one invocation may send (LOG_MONITOR_MAX_ALERTS_PER_DELIVERY);`,
    ...(entries.length > 0
      ? [
          `the rest are summarised here, and each stays quiet for ${context.windowMinutes} minutes like an alerted failure.`,
          "",
          `Top ${shown.length} by occurrences:`,
          ...shown.map(entryLine),
          ...(entries.length > shown.length ? [`... and ${entries.length - shown.length} more.`] : []),
        ]
      : ["the rest are summarised here."]),
    ...storms.flatMap((storm) => [
      "",
      stormLine(storm),
      `  Too many to track one by one in one invocation: counted here, with no window of their own, so each alerts on its own`,
      `  when it next occurs outside a storm. Named below: ${storm.named.length === 0 ? "none" : `the top ${storm.named.length} by occurrences`} of those neither muted nor alerted within their window.`,
      ...storm.named.slice(0, MAX_DIGEST_ENTRIES).map(entryLine),
    ]),
    "",
    ...groups.slice(0, 5).flatMap((group) => [
      `Every failure of ${group}, by count: npm run incidents -- --log-group ${group} --groups`,
      `  Logs Insights, this invocation's window: ${logGroupInsightsUrl(context.region, group, window)}`,
    ]),
    ...(groups.length > 5 ? [`... and ${groups.length - 5} more log groups.`] : []),
    `Console:     ${logGroupConsoleUrl(context.region, logGroup)}`,
  ].join("\n");
  const what = storms.length > 0 ? `Storm: ${failures} more failures` : `${failures} more failures`;
  const digest: AlertMessage = {
    subject: cutCodePoints(toSubjectText(`[${severity}] ${what} (${toSubjectText(where)})`), MAX_SUBJECT_LENGTH),
    body,
    attributes: { severity, log_group: logGroup, fingerprint: "digest" },
  };
  return { ...digest, chat: chatNotificationForDigest(digest, logGroup, context.region, logGroupInsightsUrl(context.region, logGroup, window)) };
}

/** Printable ASCII on one line: whitespace runs become one space, anything else non-printable becomes `?`. */
function toSubjectText(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .replace(/[^\x20-\x7e]/gu, "?")
    .trim();
}
