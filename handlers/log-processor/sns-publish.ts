/**
 * The one place every SNS Publish of the project is built (real-time alerts, digests, quiet-again notices and their
 * summaries), so that SNS's request-time limits are enforced once, last, for any input:
 *
 * - `Subject`: "Subjects must be UTF-8 text with no line breaks or control characters, and less than 100 characters
 *   long" (Amazon SNS API Reference, Publish, `Subject`). Email also wants ASCII, so the subject is printable ASCII
 *   (0x20-0x7E), one line, at most {@link MAX_SUBJECT_LENGTH} = 99 characters, and never empty.
 * - `Message`: "messages must be UTF-8 encoded strings and at most 256 KB in size (262,144 bytes, not 262,144
 *   characters)" (Amazon SNS API Reference, Publish, `Message`). With `MessageStructure: "json"` that is the whole JSON
 *   text, every protocol's body together.
 * - Message attributes: "Name, type, and value must not be empty or null. [...] All parts of the message attribute,
 *   including name, type, and value, are included in the message size restriction, which is currently 256 KB
 *   (262,144 bytes)" (Amazon SNS API Reference, MessageAttributeValue,
 *   https://docs.aws.amazon.com/sns/latest/api/API_MessageAttributeValue.html).
 *
 * Bodies are cut rather than the publish failing: an alert with a shortened body is worth more than no alert.
 */
import { PublishCommand, PublishCommandInput } from "@aws-sdk/client-sns";
import { AlertMessage, MAX_SUBJECT_LENGTH } from "./alert-message";
import type { ChatNotification } from "./chat-notification";
import { toWellFormed } from "./well-formed";

export { MAX_SUBJECT_LENGTH };

/** SNS's message size limit in bytes: the JSON message plus every attribute's name, type and value. */
export const MAX_MESSAGE_BYTES = 262_144;

/**
 * Bytes kept free under {@link MAX_MESSAGE_BYTES}: the documents do not say how SNS rounds an attribute's size, so
 * the request is kept a little inside the limit rather than exactly at it.
 */
export const MESSAGE_SAFETY_BYTES = 1_024;

/** Longest message attribute value (characters): attributes are for filter policies, not payloads. */
export const MAX_ATTRIBUTE_VALUE_LENGTH = 1_024;

/** The `subject` SNS receives when the alert's subject has no printable character at all. */
export const EMPTY_SUBJECT = "log-monitor notification";

/** What a cut body ends with, so a reader knows there was more. */
export const CUT_MARK = "\n... [cut to fit SNS's 256 KB message limit; the incident keeps the whole text]";

/** The Publish request of an alert to one topic. */
export function publishCommand(topicArn: string, alert: AlertMessage): PublishCommand {
  return new PublishCommand(publishInput(topicArn, alert));
}

/** The input of {@link publishCommand}: within SNS's limits for any alert (see the module comment). */
export function publishInput(topicArn: string, alert: AlertMessage): PublishCommandInput & { Message: string; Subject: string } {
  const attributes = Object.fromEntries(
    Object.entries(alert.attributes).map(([name, value]) => [name, { DataType: "String", StringValue: attributeValue(String(value)) }]),
  );
  const attributeBytes = Object.entries(attributes).reduce(
    (sum, [name, value]) => sum + utf8Bytes(name) + utf8Bytes(value.DataType) + utf8Bytes(value.StringValue),
    0,
  );
  return {
    TopicArn: topicArn,
    Subject: subjectWithinLimits(alert.subject),
    MessageStructure: "json",
    Message: messageWithinLimits(alert, MAX_MESSAGE_BYTES - MESSAGE_SAFETY_BYTES - attributeBytes),
    MessageAttributes: attributes,
  };
}

/**
 * `text` as an SNS subject: whitespace runs (line breaks included) become one space, every other character outside
 * printable ASCII becomes `?` (one per code point, so a surrogate pair or a lone surrogate is one `?`), trimmed, and
 * cut to {@link MAX_SUBJECT_LENGTH} characters with `...`.
 */
export function subjectWithinLimits(text: string): string {
  // Native regular expressions over the whole text (a 1 MB line takes milliseconds); with the `u` flag a surrogate
  // pair, or a lone surrogate, is one code point and becomes one `?`.
  const printable = text
    .replace(/\s+/gu, " ")
    .replace(/[^\x20-\x7e]/gu, "?")
    .trim();
  if (printable === "") return EMPTY_SUBJECT;
  if (printable.length <= MAX_SUBJECT_LENGTH) return printable;
  return `${printable.slice(0, MAX_SUBJECT_LENGTH - 3).trimEnd()}...`;
}

/**
 * The JSON message (`default` and `email`: the body; `https`: the chat notification, when there is one) within
 * `maxBytes` of UTF-8: when it does not fit, the body and the chat description are cut (never the JSON's structure,
 * never the `default` key), the description first down to a quarter of the room.
 */
export function messageWithinLimits(alert: AlertMessage, maxBytes: number): string {
  const body = toWellFormed(alert.body);
  const chat = alert.chat === undefined ? undefined : boundedChat(alert.chat);
  const build = (bodyText: string, description: string | undefined): string => {
    const bodies: Record<string, string> = { default: bodyText, email: bodyText };
    if (chat !== undefined) bodies.https = JSON.stringify({ ...chat, content: { ...chat.content, description: description ?? "" } });
    return JSON.stringify(bodies);
  };
  const whole = build(body, chat?.content.description);
  if (utf8Bytes(whole) <= maxBytes) return whole;

  // The room left once both texts are empty; the body is written twice (default, email), the description once but
  // escaped twice (a JSON string inside a JSON string).
  const room = Math.max(0, maxBytes - utf8Bytes(build("", chat === undefined ? undefined : "")));
  const bodyCost = (text: string) => 2 * (utf8Bytes(JSON.stringify(text)) - 2);
  const descriptionCost = (text: string) => utf8Bytes(JSON.stringify(JSON.stringify(text))) - 2;
  let descriptionRoom = chat === undefined ? 0 : Math.min(descriptionCost(chat.content.description), Math.floor(room / 4));
  let bodyRoom = room - descriptionRoom;
  for (;;) {
    const cutBody = cutToCost(body, bodyRoom, bodyCost);
    const cutDescription = chat === undefined ? undefined : cutToCost(chat.content.description, descriptionRoom, descriptionCost);
    const message = build(cutBody, cutDescription);
    const excess = utf8Bytes(message) - maxBytes;
    if (excess <= 0) return message;
    // Only reached if the estimate above was short (it is not, for the JSON.stringify of today's Node): shrink both.
    bodyRoom = Math.max(0, bodyRoom - excess);
    descriptionRoom = Math.max(0, descriptionRoom - excess);
    if (bodyRoom === 0 && descriptionRoom === 0) return JSON.stringify({ default: CUT_MARK.trim() });
  }
}

/** UTF-8 length of a (well-formed) string. */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/**
 * The longest prefix of `text` (whole code points) followed by {@link CUT_MARK} whose `cost` is at most `maxCost`;
 * `text` itself when it fits. Binary search on the prefix length: a 1 MB line takes about 20 measurements. Every cost
 * here is at least one per UTF-16 code unit (a unit is at least one UTF-8 byte, and escaping only adds), so no prefix
 * longer than `maxCost` units can fit: the search starts there, and measures prefixes of at most that length.
 */
function cutToCost(text: string, maxCost: number, cost: (text: string) => number): string {
  if (text.length <= maxCost && cost(text) <= maxCost) return text;
  let low = 0;
  let high = Math.min(text.length, Math.max(0, maxCost));
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (cost(prefix(text, middle) + CUT_MARK) <= maxCost) low = middle;
    else high = middle - 1;
  }
  const cut = prefix(text, low) + CUT_MARK;
  return cost(cut) <= maxCost ? cut : "";
}

/** The first `units` UTF-16 code units of `text`, one fewer if that would split a surrogate pair. */
function prefix(text: string, units: number): string {
  const last = text.charCodeAt(units - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? units - 1 : units);
}

/** Bounds of the chat notification's other fields, so that only the description needs cutting to fit. */
const MAX_CHAT_FIELD_LENGTH = 1_000;
const MAX_CHAT_LIST_LENGTH = 10;

/** The chat notification with every string well formed and every field but the description bounded. */
function boundedChat(chat: ChatNotification): ChatNotification {
  const text = (value: string) => cutCharacters(toWellFormed(value), MAX_CHAT_FIELD_LENGTH);
  const list = (values: readonly string[] | undefined) => values?.slice(0, MAX_CHAT_LIST_LENGTH).map(text);
  const metadata = chat.metadata;
  return {
    version: chat.version,
    source: chat.source,
    ...(chat.id === undefined ? {} : { id: text(chat.id) }),
    content: {
      textType: chat.content.textType,
      title: text(chat.content.title),
      description: toWellFormed(chat.content.description),
      nextSteps: list(chat.content.nextSteps) ?? [],
      ...(chat.content.keywords === undefined ? {} : { keywords: list(chat.content.keywords) }),
    },
    ...(metadata === undefined
      ? {}
      : {
          metadata: {
            ...(metadata.threadId === undefined ? {} : { threadId: text(metadata.threadId) }),
            ...(metadata.summary === undefined ? {} : { summary: text(metadata.summary) }),
            ...(metadata.eventType === undefined ? {} : { eventType: text(metadata.eventType) }),
            ...(metadata.relatedResources === undefined ? {} : { relatedResources: list(metadata.relatedResources) }),
            ...(metadata.additionalContext === undefined
              ? {}
              : {
                  additionalContext: Object.fromEntries(
                    Object.entries(metadata.additionalContext)
                      .slice(0, MAX_CHAT_LIST_LENGTH)
                      .map(([key, value]) => [text(key), text(value)]),
                  ),
                }),
          },
        }),
  };
}

/**
 * A message attribute value: well formed, only characters SNS's XML-based query protocol can carry (XML 1.0's `Char`:
 * tab, line feed, carriage return, U+0020 and up, no U+FFFE/U+FFFF), never empty (SNS refuses an empty value), and at
 * most {@link MAX_ATTRIBUTE_VALUE_LENGTH} characters.
 */
function attributeValue(value: string): string {
  const cleaned = toWellFormed(value).replace(/[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, "?");
  const bounded = cutCharacters(cleaned, MAX_ATTRIBUTE_VALUE_LENGTH);
  return bounded === "" ? "-" : bounded;
}

/** `text` cut to at most `max` UTF-16 code units with `...` (never splitting a surrogate pair). */
function cutCharacters(text: string, max: number): string {
  return text.length <= max ? text : `${prefix(text, max - 3)}...`;
}
