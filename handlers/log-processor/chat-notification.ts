/**
 * The chat body of an alert: AWS Chatbot's custom-notification JSON ("Custom notifications using Amazon Q Developer in
 * chat applications", AWS Chatbot Administrator Guide, https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html),
 * and the per-protocol SNS message that carries it beside the email text. Pure: no SDK.
 */
import type { AlertFacts, AlertMessage } from "./alert-message";
import { alertLinks, alertNews, errorFirstLine, logGroupConsoleUrl } from "./alert-message";
import { cutCodePoints } from "./well-formed";

/** Chatbot's custom-notification event, as documented (the fields this project sets). */
export interface ChatNotification {
  /** Must be `1.0`. */
  readonly version: "1.0";
  /** Must be `custom`. */
  readonly source: "custom";
  /** Unique event identifier (optional in the schema). */
  readonly id?: string;
  readonly content: {
    /** Only `client-markdown` is supported: rendered in the platform's own Markdown. */
    readonly textType: "client-markdown";
    readonly title: string;
    readonly description: string;
    readonly nextSteps: readonly string[];
    readonly keywords?: readonly string[];
  };
  readonly metadata?: {
    /** Notifications with the same thread id are threaded together (when the channel allows it). */
    readonly threadId?: string;
    readonly summary?: string;
    readonly eventType?: string;
    readonly relatedResources?: readonly string[];
    readonly additionalContext?: Readonly<Record<string, string>>;
  };
}

/**
 * Longest description the project writes, in characters. The guide states no limit; SNS caps the whole message at
 * 256 KB (Publish, `Message`), which carries this beside the email text, so the description is kept well inside it.
 */
export const MAX_CHAT_DESCRIPTION_LENGTH = 4000;
/** Longest title the project writes (one line in the channel). */
export const MAX_CHAT_TITLE_LENGTH = 250;

/** Backticks would end a Markdown code span early; the line is shown inside one. */
function codeSpan(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/**
 * The chat notification of one real-time alert: the title carries the severity and the failure; the description,
 * in Markdown, the error's first line, the log group, the count in the window and the deep links (the Logs Insights
 * query that finds the event, the log stream at its time, the log group); the next steps, the `npm run incidents`
 * command for this failure, and how to mute it. The links are never cut: the error's line gives way to them.
 */
export function chatNotificationForAlert(facts: AlertFacts): ChatNotification {
  const line = errorFirstLine(facts.message);
  const minutes = facts.windowMinutes === 1 ? "minute" : "minutes";
  const times = facts.seenCount === 1 ? "time" : "times";
  const links = alertLinks(facts);
  const news = alertNews(facts);
  const details = [
    ...(news === undefined ? [] : ["", `*${cutCodePoints(news, 600)}*`]),
    "",
    `*Log group:* ${codeSpan(cutCodePoints(facts.logGroup, 600))}`,
    ...(facts.release === undefined ? [] : [`*Release:* ${codeSpan(cutCodePoints(facts.release, 128))}`]),
    `*Seen:* about ${facts.seenCount} ${times} in the last ${facts.windowMinutes} ${minutes}`,
    `*Occurred at:* ${facts.occurredAt}`,
    `*Fingerprint:* ${codeSpan(facts.fingerprint)}`,
  ].join("\n");
  // Every link when they fit beside the facts (they do, unless names run to hundreds of characters); else the
  // stream's, then the group's, give way: the query is the one that finds the event.
  const choices: (readonly (readonly [string, string])[])[] = [
    [["Logs Insights: find this event", links.insights.url], ...(links.stream === undefined ? [] : [["Log stream at the event", links.stream] as const]), ["Log group", links.group]],
    [["Logs Insights: find this event", links.insights.url], ["Log group", links.group]],
    [["Logs Insights: find this event", links.insights.url]],
  ];
  const rest = choices.map((choice) => `${details}\n${linkLine(choice)}`).find((text) => text.length <= MAX_CHAT_DESCRIPTION_LENGTH - 100) ?? details;
  const description = `${codeSpan(cutCodePoints(line, Math.max(20, Math.min(1000, MAX_CHAT_DESCRIPTION_LENGTH - rest.length - 10))))}\n${rest}`;
  return {
    version: "1.0",
    source: "custom",
    id: facts.incidentId,
    content: {
      textType: "client-markdown",
      title: cutCodePoints(`${severityMark(facts.severity)} [${facts.severity}${facts.transition === undefined ? "" : facts.transition.kind === "regressed" ? " REGRESSED" : " UNIGNORED"}] ${line.replace(/\s+/g, " ").trim() || "error"}`, MAX_CHAT_TITLE_LENGTH),
      description: cutCodePoints(description, MAX_CHAT_DESCRIPTION_LENGTH),
      nextSteps: [
        `Every occurrence: \`${links.command}\``,
        `Known noise? \`npm run incidents -- mute ${facts.fingerprint} --for 4h --reason "..."\``,
        `Fixed? \`npm run incidents -- resolve ${facts.fingerprint} --log-group ${facts.logGroup}\``,
      ],
      keywords: [facts.severity, facts.logGroup],
    },
    metadata: {
      // One thread per failure: its re-alerts land under the first one.
      threadId: facts.fingerprint,
      summary: `${facts.severity} in ${facts.logGroup}`,
      eventType: "log-monitor-alert",
      relatedResources: [facts.logGroup],
    },
  };
}

/**
 * Markdown links on one line. A console URL ends in `)`, but every `(` and `)` in it is balanced (the values inside
 * are `*28`/`*29`-encoded), which CommonMark accepts in a link destination.
 */
export function linkLine(links: readonly (readonly [string, string])[]): string {
  return links.map(([text, url]) => `[${text}](${url})`).join(" | ");
}

/** A Markdown code block of `text`, cut to `max` characters in all, with a closed fence. */
export function codeBlock(text: string, max: number): string {
  const fence = "```";
  return `${fence}\n${cutCodePoints(text.replace(/```/g, "'''"), Math.max(10, max - 2 * fence.length - 2))}\n${fence}`;
}

/**
 * The chat notification of a digest (the failures beyond the per-delivery alert limit): its text in a code block
 * and, never cut, Logs Insights on the log group over the invocation's window (`insightsUrl`) and the log group.
 */
export function chatNotificationForDigest(digest: AlertMessage, logGroup: string, region: string, insightsUrl?: string): ChatNotification {
  const links = linkLine([
    ...(insightsUrl === undefined ? [] : [["Logs Insights: this invocation's window", insightsUrl] as const]),
    ["Open the log group in the CloudWatch console", logGroupConsoleUrl(region, logGroup)],
  ]);
  return {
    version: "1.0",
    source: "custom",
    content: {
      textType: "client-markdown",
      title: cutCodePoints(`${severityMark(digest.attributes.severity)} ${digest.subject}`, MAX_CHAT_TITLE_LENGTH),
      description: `${codeBlock(digest.body, MAX_CHAT_DESCRIPTION_LENGTH - links.length - 1)}\n${links}`,
      nextSteps: [`Every failure of the log group, by count: \`npm run incidents -- --log-group ${logGroup} --groups\``],
      keywords: [digest.attributes.severity, logGroup],
    },
    metadata: { summary: digest.subject, eventType: "log-monitor-digest", relatedResources: [logGroup] },
  };
}

function severityMark(severity: string): string {
  return severity === "ERROR" ? ":warning:" : ":rotating_light:";
}

/**
 * The SNS message of an alert with `MessageStructure: "json"`: `default` (required by SNS) and `email` carry the
 * plain text; `https` carries the chat notification, because AWS Chatbot subscribes to a topic over HTTPS, so SNS
 * delivers it the `https` body (Amazon SNS Developer Guide, "Amazon SNS message publishing": a JSON message object
 * with a key per protocol, `default` for the rest).
 */
export function snsMessageBodies(alert: AlertMessage): string {
  if (alert.chat === undefined) return JSON.stringify({ default: alert.body, email: alert.body });
  return JSON.stringify({ default: alert.body, email: alert.body, https: JSON.stringify(alert.chat) });
}
