/**
 * Deep links into the CloudWatch console for a failure: the Logs Insights query that finds it, the log stream at the
 * event's time and the log group; and the `npm run incidents` command that lists its occurrences. Pure: no SDK, no
 * environment; the same facts give the same links.
 *
 * How the console reads its addresses (none of this is an AWS API; it is what the console writes in the address bar,
 * and what tools that link into it write):
 *
 * - The console's host depends on the partition. Commercial regions: `https://<region>.console.aws.amazon.com` (AWS
 *   General Reference, "AWS Management Console endpoints and quotas", https://docs.aws.amazon.com/general/latest/gr/mgmt-console.html).
 *   AWS GovCloud (US): `https://console.amazonaws-us-gov.com` (AWS GovCloud (US) User Guide, sign-in at
 *   signin.amazonaws-us-gov.com; terraform-aws-modules/terraform-aws-notify-slack `functions/notify_slack.py`
 *   `get_service_url`, tested with `https://console.amazonaws-us-gov.com/cloudwatch/home?region=us-gov-east-1`).
 *   China: `https://console.amazonaws.cn` (Amazon Web Services in China, "Endpoints and ARNs": the partition's own
 *   domain `amazonaws.cn`). Each takes the region as `?region=`.
 * - After `#logsV2:`, the console reads a path URI-encoded with `%` written as `$` (so `?` is `$3F`, `=` is `$3D`);
 *   names inside the path (log group, log stream) are URI-encoded once more before that, so `/` becomes `$252F`
 *   (Stack Overflow, "Is there a way to generate the AWS Console URLs for CloudWatch Log Group filters?", 2020).
 * - Logs Insights takes `logs-insights?queryDetail=<JSURL>`: the query's settings as a JSURL document
 *   (Sage/jsurl `lib/jsurl.js`: `~(key~value~...)` objects, `~(~value...)` arrays, `'` before a string), whose string
 *   characters other than `[A-Za-z0-9_.-]` are written `*xx` (code unit below 0x100) or `**xxxx` in lower-case hex,
 *   as the console writes them (`*3a` for `:`, `*2f` for `/`, `*27` for `'`, `*28` for `(`). A JSURL document is
 *   unchanged by URI encoding (it uses only `A-Za-z0-9_.-~'()*`), so the `$` step leaves it as it is.
 */
import { partitionOfRegion } from "../../config/regions";
import { toWellFormed } from "./well-formed";

/** An AWS partition. */
export type ConsolePartition = "aws" | "aws-cn" | "aws-us-gov";

/**
 * Longest `queryDetail` (the encoded Logs Insights settings, log groups and query) a link carries, in characters.
 * Browsers and chat clients handle far longer addresses, but links are pasted and forwarded, and a query for one
 * failure needs no more: the text the query looks for is cut to fit (a prefix of the text still matches the event).
 */
export const MAX_QUERY_DETAIL_LENGTH = 2048;

/** How far before and after an event its query looks. */
export const EVENT_WINDOW_MS = 15 * 60_000;

/** The partition of a region: the project's list first (config/regions.ts), then the region's prefix for a newer one. */
export function partitionOf(region: string): ConsolePartition {
  const known = partitionOfRegion(region);
  if (known !== undefined) return known;
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** The console's origin for a region (see the module comment for each partition's host). */
export function consoleOrigin(region: string): string {
  switch (partitionOf(region)) {
    case "aws-cn":
      return "https://console.amazonaws.cn";
    case "aws-us-gov":
      return "https://console.amazonaws-us-gov.com";
    default:
      return `https://${region}.console.aws.amazon.com`;
  }
}

/** The CloudWatch console's home in a region; the `#` fragment follows. */
export function cloudWatchHome(region: string): string {
  return `${consoleOrigin(region)}/cloudwatch/home?region=${encodeURIComponent(region)}`;
}

/** URI-encoding with `%` written as `$`: how the console reads the text after `#logsV2:`. */
export function consoleEncode(text: string): string {
  return encodeURIComponent(toWellFormed(text)).replace(/%/g, "$");
}

/** A name inside a console path (log group, log stream): URI-encoded, then console-encoded. */
function consoleName(name: string): string {
  return consoleEncode(encodeURIComponent(toWellFormed(name)));
}

/** The log group in the console. */
export function logGroupUrl(region: string, logGroup: string): string {
  return `${cloudWatchHome(region)}#logsV2:log-groups/log-group/${consoleName(logGroup)}`;
}

/** The log stream in the console, from the event's time on (`start`, epoch milliseconds, inclusive). */
export function logStreamUrl(region: string, logGroup: string, logStream: string, atMs: number): string {
  return `${cloudWatchHome(region)}#logsV2:log-groups/log-group/${consoleName(logGroup)}/log-events/${consoleName(logStream)}${consoleEncode(`?start=${Math.trunc(atMs)}`)}`;
}

/** A JSURL string value as the console writes it: `[A-Za-z0-9_.-]` as they are, any other code unit `*xx` or `**xxxx`. */
export function jsurlString(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) out += jsurlUnit(text.charCodeAt(i));
  return out;
}

function jsurlUnit(code: number): string {
  if ((code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f || code === 0x2e || code === 0x2d) {
    return String.fromCharCode(code);
  }
  return code < 0x100 ? `*${code.toString(16).padStart(2, "0")}` : `**${code.toString(16).padStart(4, "0")}`;
}

/** Characters with a meaning in a regular expression, and `/`, which ends a Logs Insights regex literal. */
const REGEX_SPECIAL = /[\\^$.|?*+()[\]{}/]/g;

/**
 * `text` as the body of a Logs Insights regex literal (`/.../`) that matches it literally: regex metacharacters and
 * `/` are preceded by `\`; nothing else is escaped (a `\` before a letter or digit means a class in most dialects).
 */
export function regexLiteralBody(text: string): string {
  return text.replace(REGEX_SPECIAL, (ch) => `\\${ch}`);
}

/** The query of a failure: the fields a person reads, the event's text when there is one, newest first. */
export function insightsQuery(filterText?: string): string {
  return [
    "fields @timestamp, @message, @logStream",
    ...(filterText === undefined || filterText === "" ? [] : [`| filter @message like /${regexLiteralBody(filterText)}/`]),
    "| sort @timestamp desc",
  ].join("\n");
}

/** When a query looks: an absolute window (epoch milliseconds), or the last `seconds` before now. */
export type InsightsWindow = { readonly startMs: number; readonly endMs: number } | { readonly lastSeconds: number };

/** The `queryDetail` JSURL document of a query over log groups in a window. */
function queryDetail(query: string, logGroups: readonly string[], window: InsightsWindow): string {
  const time =
    "lastSeconds" in window
      ? `end~0~start~-${Math.trunc(window.lastSeconds)}~timeType~'RELATIVE~unit~'seconds`
      : `end~'${jsurlString(new Date(window.endMs).toISOString())}~start~'${jsurlString(new Date(window.startMs).toISOString())}~timeType~'ABSOLUTE~tz~'UTC`;
  const source = logGroups.map((group) => `~'${jsurlString(group)}`).join("");
  return `~(${time}~editorString~'${jsurlString(query)}~source~(${source}))`;
}

/** A Logs Insights link and what it asks. */
export interface InsightsLink {
  readonly url: string;
  /** The query it opens with. */
  readonly query: string;
  /** The text the query's `filter` looks for, if any (a prefix of the event's text). */
  readonly filterText?: string;
}

/** What a Logs Insights link for a failure needs. */
export interface InsightsRequest {
  readonly region: string;
  readonly logGroups: readonly string[];
  readonly window: InsightsWindow;
  /**
   * The event's whole log line, as CloudWatch Logs stores it (`@message`), and the text the person knows the failure
   * by (its first line). The query looks for the longest prefix of that text found verbatim in the line (or of its
   * JSON-escaped form, for JSON logs), cut to fit {@link MAX_QUERY_DETAIL_LENGTH}. @default no text filter
   */
  readonly event?: { readonly message: string; readonly text: string };
}

/** The Logs Insights console opened on a query (see the module comment for the encoding). */
export function logsInsightsUrl(request: InsightsRequest): InsightsLink {
  const base = `${cloudWatchHome(request.region)}#logsV2:${consoleEncode("logs-insights?queryDetail=")}`;
  const plain = insightsQuery();
  const unfiltered = queryDetail(plain, request.logGroups, request.window);
  const candidate = request.event === undefined ? "" : textFoundIn(request.event.message, request.event.text);
  if (candidate === "") return { url: `${base}${unfiltered}`, query: plain };
  // The filter line adds its fixed part and the escaped, encoded text; the text is cut, whole code points at a time.
  const fixed = jsurlString(insightsQuery("x")).length - jsurlString(plain).length - jsurlString("x").length;
  let room = MAX_QUERY_DETAIL_LENGTH - unfiltered.length - fixed;
  let filterText = "";
  for (const point of candidate) {
    const cost = jsurlString(regexLiteralBody(point)).length;
    if (cost > room) break;
    room -= cost;
    filterText += point;
  }
  if (filterText === "") return { url: `${base}${unfiltered}`, query: plain };
  const query = insightsQuery(filterText);
  return { url: `${base}${queryDetail(query, request.logGroups, request.window)}`, query, filterText };
}

/**
 * The longest prefix found verbatim in `message` of `text`, of its JSON-escaped form, or of either without a leading
 * `<ErrorType>: `: what a `like` filter can look for and still find this event. A JSON log line holds its message
 * JSON-escaped (`\"`, `\n`, `\u...`), and Lambda's `Invoke Error` line holds `errorType` and `errorMessage` apart,
 * so the text a person reads (`Error: price...`) may not occur in the line as it is.
 */
export function textFoundIn(message: string, wholeText: string): string {
  // No query holds more than MAX_QUERY_DETAIL_LENGTH characters of it; a lone high surrogate left by the cut goes too.
  const text = wholeText.slice(0, MAX_QUERY_DETAIL_LENGTH).replace(/[\uD800-\uDBFF]$/, "");
  const typed = /^[A-Za-z_$][\w$.]*: (.+)$/su.exec(text);
  const forms = [text, ...(typed === null ? [] : [typed[1] as string])].flatMap((form) => [form, JSON.stringify(form).slice(1, -1)]);
  return forms.map((form) => longestPrefixIn(message, form)).reduce((best, next) => (next.length > best.length ? next : best), "");
}

function longestPrefixIn(message: string, text: string): string {
  const points = Array.from(text);
  // Containment is monotone in the prefix's length: binary search on code points.
  let low = 0;
  let high = points.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (message.includes(points.slice(0, mid).join(""))) low = mid;
    else high = mid - 1;
  }
  return points.slice(0, low).join("").trim() === "" ? "" : points.slice(0, low).join("");
}

/** The window of a query around one event: {@link EVENT_WINDOW_MS} either side. */
export function windowAround(startMs: number, endMs: number = startMs): InsightsWindow {
  return { startMs: startMs - EVENT_WINDOW_MS, endMs: endMs + EVENT_WINDOW_MS };
}

/** A word for a POSIX shell: as it is when it holds nothing the shell reads, else single-quoted. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}

/** `npm run incidents -- --fingerprint F --log-group G [--account A]`: every occurrence of one failure in its log group. */
export function incidentsCommand(fingerprint: string, logGroup: string, accountId?: string): string {
  return `npm run incidents -- --fingerprint ${shellWord(fingerprint)} --log-group ${shellWord(logGroup)}${accountId === undefined ? "" : ` --account ${shellWord(accountId)}`}`;
}

/** The links of one failure's event. */
export interface FailureLinks {
  /** Logs Insights on the failure's log group, looking for the event's text around its time. */
  readonly insights: InsightsLink;
  /** The log stream from the event's time on, when the stream is known. */
  readonly stream?: string;
  /** The log group. */
  readonly group: string;
  /** The incidents command. */
  readonly command: string;
}

/** Everything an alert links to for one event. */
export function failureLinks(facts: {
  readonly region: string;
  readonly logGroup: string;
  readonly fingerprint: string;
  readonly accountId?: string | undefined;
  readonly message?: string | undefined;
  readonly text?: string | undefined;
  readonly logStream?: string | undefined;
  /** The event's time (epoch ms), when known. */
  readonly atMs?: number | undefined;
  /** The window to query. @default {@link windowAround} the event, else the last hour */
  readonly window?: InsightsWindow;
}): FailureLinks {
  const window = facts.window ?? (facts.atMs === undefined || !Number.isFinite(facts.atMs) ? { lastSeconds: 3600 } : windowAround(facts.atMs));
  const event = facts.message === undefined || facts.text === undefined ? undefined : { message: facts.message, text: facts.text };
  return {
    insights: logsInsightsUrl({ region: facts.region, logGroups: [facts.logGroup], window, ...(event === undefined ? {} : { event }) }),
    ...(facts.logStream === undefined || facts.atMs === undefined || !Number.isFinite(facts.atMs)
      ? {}
      : { stream: logStreamUrl(facts.region, facts.logGroup, facts.logStream, facts.atMs) }),
    group: logGroupUrl(facts.region, facts.logGroup),
    command: incidentsCommand(facts.fingerprint, facts.logGroup, facts.accountId),
  };
}
