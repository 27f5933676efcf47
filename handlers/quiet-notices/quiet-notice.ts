/**
 * The quiet-again notice: one message when a failure that alerted has not recurred for a whole window, with its count
 * over the episode. Pure: the same facts give the same text.
 */
import { AlertMessage, alertSubject, errorFirstLine, logGroupConsoleUrl } from "../log-processor/alert-message";
import { Severity, SEVERITIES } from "../log-processor/severity";
import { LatestIncident, QuietEpisode } from "./episodes";

/** The `kind` message attribute of a notice, so that a subscription can filter notices out (or in). */
export const QUIET_NOTICE_KIND = "quiet-again";

/** Formats the notice of one quiet episode (for email, by default, and as a Chatbot custom notification). */
export function formatQuietNotice(
  episode: QuietEpisode,
  incident: LatestIncident | undefined,
  context: { readonly windowMinutes: number; readonly region: string },
): AlertMessage & { readonly attributes: { readonly kind: string } } {
  const logGroup = incident?.logGroup ?? "(incidents expired)";
  const line = incident === undefined ? `failure ${episode.fingerprint}` : errorFirstLine(incident.message);
  const severity: Severity = SEVERITIES.includes(incident?.severity as Severity) ? (incident?.severity as Severity) : "ERROR";
  const minutes = context.windowMinutes === 1 ? "minute" : "minutes";
  const times = episode.count === 1 ? "time" : "times";
  const started = new Date(episode.startedAtMs).toISOString();
  const lastSeen = new Date(episode.lastSeenAtMs).toISOString();
  const body = [
    `Quiet again: ${line}`,
    "",
    `This failure has not recurred for ${context.windowMinutes} ${minutes}.`,
    `Seen about ${episode.count} ${times} over the episode, from its first alert at ${started} to its last occurrence at ${lastSeen}.`,
    "",
    `Log group:   ${logGroup}`,
    `Severity:    ${severity} (of its latest occurrence)`,
    `Fingerprint: ${episode.fingerprint}`,
    ...(incident === undefined ? [] : [`Console:     ${logGroupConsoleUrl(context.region, logGroup)}`]),
    "",
    `Every occurrence: npm run incidents -- --fingerprint ${episode.fingerprint}`,
  ].join("\n");
  const subject = alertSubject(severity, `Quiet again: ${line}`, logGroup).replace(`[${severity}] `, "[RESOLVED] ");
  return {
    subject,
    body,
    attributes: { severity, log_group: logGroup, fingerprint: episode.fingerprint, kind: QUIET_NOTICE_KIND },
    chat: {
      version: "1.0",
      source: "custom",
      id: `${episode.fingerprint}-quiet-${episode.lastSeenAtMs}`,
      content: {
        textType: "client-markdown",
        title: `:white_check_mark: Quiet again: ${line.replace(/\s+/g, " ").slice(0, 200)}`,
        description: [
          `No occurrence for ${context.windowMinutes} ${minutes}; about ${episode.count} ${times} over the episode (${started} to ${lastSeen}).`,
          `*Log group:* \`${logGroup}\``,
          `*Fingerprint:* \`${episode.fingerprint}\``,
        ].join("\n"),
        nextSteps: [`Every occurrence: \`npm run incidents -- --fingerprint ${episode.fingerprint}\``],
        keywords: ["resolved", logGroup],
      },
      // Threaded under the failure's alerts (same thread id as the alert's chat body).
      metadata: { threadId: episode.fingerprint, summary: `Quiet again in ${logGroup}`, eventType: "log-monitor-quiet-again", relatedResources: [logGroup] },
    },
  };
}
