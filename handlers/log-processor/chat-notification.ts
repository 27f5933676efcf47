/**
 * The chat body of an alert: AWS Chatbot's custom-notification JSON ("Custom notifications using Amazon Q Developer in
 * chat applications", AWS Chatbot Administrator Guide, https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html),
 * and the per-protocol SNS message that carries it beside the email text. Pure: no SDK.
 */
import type { AlertFacts, AlertMessage } from "./alert-message";
import { errorFirstLine, logGroupConsoleUrl } from "./alert-message";

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

function cut(text: string, max: number): string {
  const characters = Array.from(text);
  return characters.length <= max ? text : `${characters.slice(0, max - 3).join("").trimEnd()}...`;
}

/**
 * The chat notification of one real-time alert: the title carries the severity and the failure; the description,
 * in Markdown, the error's first line, the log group, the count in the window and a console link; the next steps,
 * the `npm run incidents` command that lists every occurrence, and how to mute it.
 */
export function chatNotificationForAlert(facts: AlertFacts): ChatNotification {
  const line = errorFirstLine(facts.message);
  const minutes = facts.windowMinutes === 1 ? "minute" : "minutes";
  const times = facts.seenCount === 1 ? "time" : "times";
  const description = [
    codeSpan(cut(line, 1000)),
    "",
    `*Log group:* ${codeSpan(facts.logGroup)}`,
    `*Seen:* about ${facts.seenCount} ${times} in the last ${facts.windowMinutes} ${minutes}`,
    `*Occurred at:* ${facts.occurredAt}`,
    `*Fingerprint:* ${codeSpan(facts.fingerprint)}`,
    `[Open the log group in the CloudWatch console](${logGroupConsoleUrl(facts.region, facts.logGroup)})`,
  ].join("\n");
  return {
    version: "1.0",
    source: "custom",
    id: facts.incidentId,
    content: {
      textType: "client-markdown",
      title: cut(`${severityMark(facts.severity)} [${facts.severity}] ${line.replace(/\s+/g, " ").trim() || "error"}`, MAX_CHAT_TITLE_LENGTH),
      description: cut(description, MAX_CHAT_DESCRIPTION_LENGTH),
      nextSteps: [
        `Every occurrence: \`npm run incidents -- --fingerprint ${facts.fingerprint}\``,
        `Known noise? \`npm run incidents -- mute ${facts.fingerprint} --for 4h --reason "..."\``,
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

/** The chat notification of a digest (the failures beyond the per-delivery alert limit). */
export function chatNotificationForDigest(digest: AlertMessage, logGroup: string, region: string): ChatNotification {
  return {
    version: "1.0",
    source: "custom",
    content: {
      textType: "client-markdown",
      title: cut(`${severityMark(digest.attributes.severity)} ${digest.subject}`, MAX_CHAT_TITLE_LENGTH),
      description: cut(
        `${"```"}\n${digest.body.replace(/```/g, "'''")}\n${"```"}\n[Open the log group in the CloudWatch console](${logGroupConsoleUrl(region, logGroup)})`,
        MAX_CHAT_DESCRIPTION_LENGTH,
      ),
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
