/**
 * Reads CloudWatch console deep links back, independently of handlers/log-processor/console-links.ts (which writes
 * them): the `#logsV2:` fragment is URI-decoded after `$` is turned back into `%`; the Logs Insights `queryDetail` is
 * parsed as JSURL the way Sage/jsurl `lib/jsurl.js` `parse` does (`~(` object or array, `'` string, `*xx`/`**xxxx`
 * escapes, `!` for `$`). Tests use it to check what a person's browser would open.
 */

/** What a Logs Insights link asks for. */
export interface ParsedInsightsLink {
  readonly origin: string;
  readonly region: string;
  readonly query: string;
  readonly logGroups: readonly string[];
  /** Absolute window (epoch ms), or the relative one's seconds. */
  readonly window: { readonly startMs: number; readonly endMs: number } | { readonly lastSeconds: number };
  /** The encoded `queryDetail` (everything after `queryDetail=`). */
  readonly queryDetail: string;
}

type Jsurl = string | number | boolean | null | Jsurl[] | { [key: string]: Jsurl };

/** Parses a JSURL document (Sage/jsurl `parse`), failing on anything left over. */
export function parseJsurl(text: string): Jsurl {
  let i = 0;
  const eat = (expected: string): void => {
    if (text[i] !== expected) throw new Error(`bad JSURL at ${i}: expected ${expected}, got ${text[i]}`);
    i++;
  };
  const decode = (): string => {
    let out = "";
    while (i < text.length && text[i] !== "~" && text[i] !== ")") {
      const ch = text[i] as string;
      if (ch === "*") {
        const wide = text[i + 1] === "*";
        const hex = wide ? text.slice(i + 2, i + 6) : text.slice(i + 1, i + 3);
        if (!/^[0-9a-f]+$/.test(hex) || hex.length !== (wide ? 4 : 2)) throw new Error(`bad JSURL escape at ${i}`);
        out += String.fromCharCode(parseInt(hex, 16));
        i += wide ? 6 : 3;
      } else if (ch === "!") {
        out += "$";
        i++;
      } else {
        out += ch;
        i++;
      }
    }
    return out;
  };
  const one = (): Jsurl => {
    eat("~");
    const ch = text[i];
    if (ch === "(") {
      i++;
      if (text[i] === "~") {
        const items: Jsurl[] = [];
        if (text[i + 1] === ")") i++;
        else
          do items.push(one());
          while (text[i] === "~");
        eat(")");
        return items;
      }
      const object: { [key: string]: Jsurl } = {};
      if (text[i] !== ")") {
        do {
          const key = decode();
          object[key] = one();
        } while (text[i] === "~" && ++i);
      }
      eat(")");
      return object;
    }
    if (ch === "'") {
      i++;
      return decode();
    }
    const start = i++;
    while (i < text.length && !/[)~]/.test(text[i] as string)) i++;
    const word = text.slice(start, i);
    if (/^-?\d/.test(word)) return Number(word);
    throw new Error(`bad JSURL word ${word}`);
  };
  const value = one();
  if (i !== text.length) throw new Error(`JSURL has ${text.length - i} characters left over`);
  return value;
}

/** The fragment after `#logsV2:`, `$` read as `%`, URI-decoded once. */
export function consolePath(url: string): string {
  const hash = url.indexOf("#");
  const fragment = url.slice(hash + 1);
  if (!fragment.startsWith("logsV2:")) throw new Error(`not a logsV2 link: ${url}`);
  return decodeURIComponent(fragment.slice("logsV2:".length).replace(/\$/g, "%"));
}

function regionOf(url: string): string {
  return new URL(url.slice(0, url.indexOf("#"))).searchParams.get("region") ?? "";
}

/** Reads a Logs Insights link. */
export function parseInsightsUrl(url: string): ParsedInsightsLink {
  const path = consolePath(url);
  const prefix = "logs-insights?queryDetail=";
  if (!path.startsWith(prefix)) throw new Error(`not a Logs Insights link: ${path.slice(0, 60)}`);
  const queryDetail = path.slice(prefix.length);
  const detail = parseJsurl(queryDetail) as Record<string, Jsurl>;
  const window =
    detail.timeType === "ABSOLUTE"
      ? { startMs: Date.parse(detail.start as string), endMs: Date.parse(detail.end as string) }
      : { lastSeconds: -(detail.start as number) };
  return {
    origin: new URL(url).origin,
    region: regionOf(url),
    query: detail.editorString as string,
    logGroups: detail.source as string[],
    window,
    queryDetail,
  };
}

/** Reads a log stream link: `log-groups/log-group/<g>/log-events/<s>?start=<ms>`, each name URI-encoded. */
export function parseLogStreamUrl(url: string): { region: string; origin: string; logGroup: string; logStream: string; startMs: number } {
  const path = consolePath(url);
  const match = /^log-groups\/log-group\/([^/?]+)\/log-events\/([^/?]+)\?start=(\d+)$/.exec(path);
  if (match === null) throw new Error(`not a log stream link: ${path}`);
  return {
    region: regionOf(url),
    origin: new URL(url).origin,
    logGroup: decodeURIComponent(match[1] as string),
    logStream: decodeURIComponent(match[2] as string),
    startMs: Number(match[3]),
  };
}

const QUERY_HEAD = "fields @timestamp, @message, @logStream\n| filter @message like /";
const QUERY_TAIL = "/\n| sort @timestamp desc";

/**
 * The regex of a query's `filter @message like /.../`, or undefined for a query without one. Fails when the literal
 * would end early (an unescaped `/` inside it).
 */
export function likeRegexOf(query: string): string | undefined {
  if (!query.startsWith(QUERY_HEAD)) return undefined;
  if (!query.endsWith(QUERY_TAIL)) throw new Error(`unexpected query shape: ${query.slice(0, 80)}`);
  const body = query.slice(QUERY_HEAD.length, query.length - QUERY_TAIL.length);
  for (let i = 0; i < body.length; i++) {
    if (body[i] === "\\") i++;
    else if (body[i] === "/") throw new Error(`the regex literal ends early at ${i}: ${body}`);
  }
  return body;
}

/**
 * Whether an event is what the query finds, read with JavaScript's RegExp (no flags). Logs Insights has its own
 * regex dialect ("filter", "Matches and regular expressions in the filter command", CloudWatch Logs User Guide,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-Filter.html: `like /regex/` matches a
 * substring, case-sensitively unless `(?i)`); the queries use only escaped metacharacters and literal text, which
 * read the same in it, in Java's, RE2's and JavaScript's.
 */
export function queryFinds(link: ParsedInsightsLink, event: { readonly logGroup: string; readonly timestamp: number; readonly message: string }): boolean {
  if (!link.logGroups.includes(event.logGroup)) return false;
  if ("startMs" in link.window && (event.timestamp < link.window.startMs || event.timestamp > link.window.endMs)) return false;
  const regex = likeRegexOf(link.query);
  return regex === undefined || new RegExp(regex).test(event.message);
}

/** Every console URL in a text (a URL runs to the next space or end of line; Markdown links are read to their `)`). */
export function consoleUrlsIn(text: string): string[] {
  return [...text.matchAll(/https:\/\/[^\s\]]+/g)].map((match) => balanced(match[0]));
}

/** A URL cut where its parentheses stop balancing (the `)` that closes a Markdown link). */
function balanced(url: string): string {
  let depth = 0;
  for (let i = 0; i < url.length; i++) {
    if (url[i] === "(") depth++;
    else if (url[i] === ")") {
      if (depth === 0) return url.slice(0, i);
      depth--;
    }
  }
  return url;
}
