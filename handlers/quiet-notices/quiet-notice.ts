/**
 * The quiet-again notice: one message when a failure that alerted has not recurred for a whole window, with its count
 * over the episode; and the summary that stands for many at once after a storm. Pure: the same facts give the same
 * text. Subjects are built from their parts ([RESOLVED], the line, the log group) and only then cut to SNS's limit;
 * sns-publish.ts enforces every limit once more, last, for any input.
 */
import { AlertMessage, alertSubject, errorFirstLine, logGroupInsightsUrl, windowOfEvents } from "../log-processor/alert-message";
import { linkLine } from "../log-processor/chat-notification";
import { failureLinks, windowAround } from "../log-processor/console-links";
import { Severity, SEVERITIES } from "../log-processor/severity";
import { ATTRIBUTE_BYTE_CAPS } from "../log-processor/incident-schema";
import { STORM_FINGERPRINT } from "../log-processor/suppression-schema";
import { cutCodePoints, cutToBytes, toWellFormed } from "../log-processor/well-formed";
import { LatestIncident, QuietEpisode } from "./episodes";

/** The `kind` message attribute of a notice, so that a subscription can filter notices out (or in). */
export const QUIET_NOTICE_KIND = "quiet-again";

/** The tag that starts every notice's subject (in place of the alert's `[SEVERITY]`). */
export const RESOLVED_TAG = "[RESOLVED]";

/** Longest error line in a notice's body (the incident keeps the whole message). */
export const MAX_NOTICE_LINE_LENGTH = 1000;

/** Failures a summary lists by name, most occurrences first; the rest are counted. */
export const MAX_SUMMARY_ENTRIES = 25;

/** What formatting needs besides the episode. */
export interface NoticeContext {
  readonly windowMinutes: number;
  readonly region: string;
}

/** A notice: an alert message with the `kind` attribute. */
export type QuietNotice = AlertMessage & { readonly attributes: AlertMessage["attributes"] & { readonly kind: string } };

/** Formats the notice of one quiet episode (for email, by default, and as a Chatbot custom notification). */
export function formatQuietNotice(episode: QuietEpisode, incident: LatestIncident | undefined, context: NoticeContext): QuietNotice {
  const logGroup = shownLogGroup(episode.logGroup);
  const storm = episode.fingerprint === STORM_FINGERPRINT;
  const line = cutCodePoints(
    storm
      ? `the storm of failures in ${logGroup}`
      : incident === undefined
        ? `failure ${episode.fingerprint}`
        : errorFirstLine(incident.message),
    MAX_NOTICE_LINE_LENGTH,
  );
  // The episode's window: its first alert to its last occurrence. A storm's query has no text filter: the storm is
  // many failures of the log group, not one.
  const links = failureLinks({
    region: context.region,
    logGroup,
    fingerprint: episode.fingerprint,
    accountId: episode.accountId,
    window: windowAround(episode.startedAtMs, episode.lastSeenAtMs),
    ...(storm || incident === undefined ? {} : { message: incident.message, text: errorFirstLine(incident.message) }),
  });
  const everyOccurrence = storm ? `npm run incidents -- --log-group ${logGroup} --groups` : links.command;
  const severity: Severity = SEVERITIES.includes(incident?.severity as Severity) ? (incident?.severity as Severity) : "ERROR";
  const minutes = context.windowMinutes === 1 ? "minute" : "minutes";
  const lastSeen = new Date(episode.lastSeenAtMs).toISOString();
  const body = [
    `Quiet again: ${line}`,
    "",
    storm
      ? `No failure of this storm has occurred in a storm for ${context.windowMinutes} ${minutes}.`
      : `This failure has not recurred for ${context.windowMinutes} ${minutes}.`,
    episodeSentence(episode, lastSeen),
    "",
    `Log group:   ${logGroup}`,
    ...(episode.accountId === undefined ? [] : [`Account:     ${episode.accountId}`]),
    `Severity:    ${severity} (of its latest occurrence)`,
    `Fingerprint: ${episode.fingerprint}`,
    `Console:     ${links.group}`,
    `Insights:    ${links.insights.url}`,
    "",
    `Every occurrence: ${everyOccurrence}`,
  ].join("\n");
  return {
    subject: alertSubject(severity, `Quiet again: ${line}`, logGroup, RESOLVED_TAG),
    body,
    attributes: { severity, log_group: logGroup, fingerprint: episode.fingerprint, kind: QUIET_NOTICE_KIND, ...(episode.accountId === undefined ? {} : { account_id: episode.accountId }) },
    chat: {
      version: "1.0",
      source: "custom",
      id: `${episode.fingerprint}-quiet-${episode.lastSeenAtMs}`,
      content: {
        textType: "client-markdown",
        title: `:white_check_mark: Quiet again: ${cutCodePoints(line.replace(/\s+/g, " "), 200)}`,
        description: [
          `No occurrence for ${context.windowMinutes} ${minutes}; about ${episode.count} ${episode.count === 1 ? "time" : "times"} over the episode (last at ${lastSeen}).`,
          `*Log group:* \`${logGroup}\``,
          `*Fingerprint:* \`${episode.fingerprint}\``,
          linkLine([
            [storm ? "Logs Insights: the log group over the episode" : "Logs Insights: find this failure", links.insights.url],
            ["Log group", links.group],
          ]),
        ].join("\n"),
        nextSteps: [`Every occurrence: \`${everyOccurrence}\``],
        keywords: ["resolved", logGroup],
      },
      // Threaded under the failure's alerts (same thread id as the alert's chat body).
      metadata: { threadId: episode.fingerprint, summary: `Quiet again in ${logGroup}`, eventType: "log-monitor-quiet-again", relatedResources: [logGroup] },
    },
  };
}

function episodeSentence(episode: QuietEpisode, lastSeen: string): string {
  const times = episode.count === 1 ? "time" : "times";
  const previous = episode.previousNoticeLastSeenAtMs;
  if (previous !== undefined && previous >= episode.startedAtMs) {
    return `Seen about ${episode.count} ${times} since the previous quiet-again notice (which covered it up to ${new Date(previous).toISOString()}), last at ${lastSeen}.`;
  }
  return `Seen about ${episode.count} ${times} over the episode, from its first alert at ${new Date(episode.startedAtMs).toISOString()} to its last occurrence at ${lastSeen}.`;
}

/**
 * The one notice that stands for many quiet episodes (after a storm): how many failures, how many occurrences, in how
 * many log groups, and the top {@link MAX_SUMMARY_ENTRIES} by occurrences with their latest line where `lines` has it
 * (keyed by failure key).
 */
export function formatQuietSummary(
  episodes: readonly QuietEpisode[],
  lines: ReadonlyMap<string, LatestIncident>,
  context: NoticeContext,
): QuietNotice {
  if (episodes.length === 0) throw new RangeError("a quiet-again summary needs at least one episode");
  const sorted = [...episodes].sort((a, b) => b.count - a.count || a.failureKey.localeCompare(b.failureKey));
  const occurrences = episodes.reduce((sum, episode) => sum + episode.count, 0);
  const groups = [...new Set(episodes.map((episode) => shownLogGroup(episode.logGroup)))].sort();
  const onlyGroup = groups.length === 1 ? groups[0] : undefined;
  const where = onlyGroup === undefined ? `${groups.length} log groups` : onlyGroup;
  const minutes = context.windowMinutes === 1 ? "minute" : "minutes";
  const shown = sorted.slice(0, MAX_SUMMARY_ENTRIES);
  const entry = (episode: QuietEpisode) => {
    const incident = lines.get(episode.failureKey);
    const line = incident === undefined ? `failure ${episode.fingerprint}` : cutCodePoints(errorFirstLine(incident.message), 200);
    const command =
      episode.fingerprint === STORM_FINGERPRINT
        ? `npm run incidents -- --log-group ${shownLogGroup(episode.logGroup)} --groups`
        : failureLinks({ region: context.region, logGroup: shownLogGroup(episode.logGroup), fingerprint: episode.fingerprint, accountId: episode.accountId }).command;
    return `${String(episode.count).padStart(7)} x ${line}  (${shownLogGroup(episode.logGroup)}${episode.accountId === undefined ? "" : `, account ${episode.accountId}`}; fingerprint ${episode.fingerprint})\n          ${command}`;
  };
  // The episodes' window, from the earliest first alert to the latest last occurrence.
  const window = windowOfEvents(episodes.flatMap((episode) => [episode.startedAtMs, episode.lastSeenAtMs]));
  const body = [
    `Quiet again: ${episodes.length} failures in ${where}`,
    "",
    `${episodes.length} failures that alerted have not recurred for ${context.windowMinutes} ${minutes}: about ${occurrences} occurrences over their episodes.`,
    "This one summary stands for their quiet-again notices (a storm ended).",
    "",
    `Top ${shown.length} by occurrences:`,
    ...shown.map(entry),
    ...(sorted.length > shown.length ? [`... and ${sorted.length - shown.length} more.`] : []),
    "",
    ...groups.slice(0, 5).flatMap((group) => [
      `Every failure of ${group}, by count: npm run incidents -- --log-group ${group} --groups`,
      `  Logs Insights, over these episodes: ${logGroupInsightsUrl(context.region, group, window)}`,
    ]),
    ...(groups.length > 5 ? [`... and ${groups.length - 5} more log groups.`] : []),
  ].join("\n");
  const logGroup = onlyGroup ?? `${groups.length} log groups`;
  const subject = alertSubject("ERROR", `Quiet again: ${episodes.length} failures`, logGroup, RESOLVED_TAG);
  return {
    subject,
    body,
    attributes: { severity: "ERROR", log_group: logGroup, fingerprint: "quiet-summary", kind: QUIET_NOTICE_KIND },
    chat: {
      version: "1.0",
      source: "custom",
      content: {
        textType: "client-markdown",
        title: `:white_check_mark: Quiet again: ${episodes.length} failures in ${cutCodePoints(where, 150)}`,
        description: summaryDescription(body, groups, context.region, window),
        nextSteps: groups.slice(0, 3).map((group) => `Every failure of the log group, by count: \`npm run incidents -- --log-group ${group} --groups\``),
        keywords: ["resolved", ...groups.slice(0, 3)],
      },
      metadata: { summary: subject, eventType: "log-monitor-quiet-summary", relatedResources: groups.slice(0, 10) },
    },
  };
}

/** The summary's chat description: the body in a code block, then Logs Insights on its first log groups. */
function summaryDescription(body: string, groups: readonly string[], region: string, window: ReturnType<typeof windowOfEvents>): string {
  const links = linkLine(groups.slice(0, 3).map((group) => [`Logs Insights: ${cutCodePoints(group, 80)}`, logGroupInsightsUrl(region, group, window)] as const));
  return `${"```"}\n${body.replace(/```/g, "'''")}\n${"```"}\n${links}`;
}

/**
 * The log group as a notice shows it: well formed (the console link URI-encodes the group, which throws on a lone
 * surrogate) and within the incident's cap (incident-schema.ts `ATTRIBUTE_BYTE_CAPS.logGroup`, twice CloudWatch Logs' 512
 * characters). The processor writes no longer group, since it stores the capped one; the cap keeps a notice's cost
 * bounded for any item all the same (each link repeats the group, encoded).
 */
function shownLogGroup(logGroup: string): string {
  return toWellFormed(cutToBytes(logGroup, ATTRIBUTE_BYTE_CAPS.logGroup));
}
