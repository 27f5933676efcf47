import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { alertLinks, errorFirstLine, formatAlert } from "../../../handlers/log-processor/alert-message";
import { MAX_CHAT_DESCRIPTION_LENGTH } from "../../../handlers/log-processor/chat-notification";
import {
  consoleOrigin,
  EVENT_WINDOW_MS,
  failureLinks,
  incidentsCommand,
  insightsQuery,
  logGroupUrl,
  logsInsightsUrl,
  logStreamUrl,
  MAX_QUERY_DETAIL_LENGTH,
  partitionOf,
} from "../../../handlers/log-processor/console-links";
import { likeRegexOf, parseInsightsUrl, parseLogStreamUrl, queryFinds } from "../../support/console-url";

const SEED = 19;
const T = Date.parse("2026-12-02T07:00:00.000Z");

/**
 * Log group names: 1-512 characters of `[\.\-_/#A-Za-z0-9]` (CloudWatch Logs API Reference, CreateLogGroup,
 * `logGroupName`: pattern `[\.\-_/#A-Za-z0-9]+`, length 1-512).
 */
const logGroupName = fc.string({ unit: fc.constantFrom(..."._-/#abcXYZ019"), minLength: 1, maxLength: 512 });
/** Log stream names: 1-512 characters, no `:` or `*` (CreateLogStream, `logStreamName`: pattern `[^:*]*`). */
const logStreamName = fc.string({ unit: "grapheme", minLength: 1, maxLength: 512 }).filter((name) => !/[:*]/.test(name) && name.length <= 512);
/** Messages: any Unicode, with the characters that break naive escaping weighted in. */
const message = fc.oneof(
  fc.string({ unit: "binary", maxLength: 3000 }),
  fc.string({ unit: fc.constantFrom(..."\\/$*.^|?+()[]{}'\"`~!#%&=:;,<> \t\naé€😀"), maxLength: 400 }),
  fc.string({ unit: "grapheme", maxLength: 3000 }),
);

describe("console origins per partition", () => {
  // Commercial: https://<region>.console.aws.amazon.com (AWS General Reference, "AWS Management Console endpoints and
  // quotas", https://docs.aws.amazon.com/general/latest/gr/mgmt-console.html). GovCloud: console.amazonaws-us-gov.com
  // (terraform-aws-modules/terraform-aws-notify-slack functions/notify_slack.py get_service_url and its test). China:
  // console.amazonaws.cn (the partition's domain, docs.amazonaws.cn "Endpoints and ARNs for Amazon Web Services in China").
  it.each([
    ["eu-west-1", "aws", "https://eu-west-1.console.aws.amazon.com"],
    ["us-east-1", "aws", "https://us-east-1.console.aws.amazon.com"],
    ["us-gov-west-1", "aws-us-gov", "https://console.amazonaws-us-gov.com"],
    ["us-gov-east-1", "aws-us-gov", "https://console.amazonaws-us-gov.com"],
    ["cn-north-1", "aws-cn", "https://console.amazonaws.cn"],
    ["cn-northwest-1", "aws-cn", "https://console.amazonaws.cn"],
    // Not yet in config/regions.ts: the prefix decides.
    ["cn-south-9", "aws-cn", "https://console.amazonaws.cn"],
    ["us-gov-central-9", "aws-us-gov", "https://console.amazonaws-us-gov.com"],
  ])("links %s to the %s console at %s, with the region as ?region=", (region, partition, origin) => {
    expect(partitionOf(region)).toBe(partition);
    expect(consoleOrigin(region)).toBe(origin);
    const url = logGroupUrl(region, "/aws/lambda/orders");
    expect(url).toBe(`${origin}/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/$252Faws$252Flambda$252Forders`);
    expect(new URL(url).searchParams.get("region")).toBe(region);
  });
});

describe("the Logs Insights link of an event", () => {
  it("opens the query for the event's first line in its log group, 15 minutes either side of it (example: Lambda's Invoke Error line holds errorType and errorMessage apart, so the filter is the message)", () => {
    // Prepare
    const line = `2026-12-02T07:00:00.000Z\tc0ffee00-0000-4000-8000-000000000000\tERROR\tInvoke Error \t{"errorType":"Error","errorMessage":"price $5.00 * 2 (net) /orders [eu]"}`;
    // Act
    const link = logsInsightsUrl({ region: "us-gov-west-1", logGroups: ["/aws/lambda/orders"], window: { startMs: T - EVENT_WINDOW_MS, endMs: T + EVENT_WINDOW_MS }, event: { message: line, text: errorFirstLine(line) } });
    // Assess
    expect(link.url).toBe(
      "https://console.amazonaws-us-gov.com/cloudwatch/home?region=us-gov-west-1#logsV2:logs-insights$3FqueryDetail$3D~(end~'2026-12-02T07*3a15*3a00.000Z~start~'2026-12-02T06*3a45*3a00.000Z~timeType~'ABSOLUTE~tz~'UTC~editorString~'fields*20*40timestamp*2c*20*40message*2c*20*40logStream*0a*7c*20filter*20*40message*20like*20*2fprice*20*5c*245*5c.00*20*5c*2a*202*20*5c*28net*5c*29*20*5c*2forders*20*5c*5beu*5c*5d*2f*0a*7c*20sort*20*40timestamp*20desc~source~(~'*2faws*2flambda*2forders))",
    );
    const parsed = parseInsightsUrl(link.url);
    expect(parsed.query).toBe("fields @timestamp, @message, @logStream\n| filter @message like /price \\$5\\.00 \\* 2 \\(net\\) \\/orders \\[eu\\]/\n| sort @timestamp desc");
    expect(parsed).toMatchObject({ region: "us-gov-west-1", logGroups: ["/aws/lambda/orders"], window: { startMs: T - EVENT_WINDOW_MS, endMs: T + EVENT_WINDOW_MS } });
    expect(queryFinds(parsed, { logGroup: "/aws/lambda/orders", timestamp: T, message: line })).toBe(true);
  });

  it("looks for the JSON-escaped text when the line is JSON and the text has quotes (the parsed text is not in the line as it is)", () => {
    const line = JSON.stringify({ level: "ERROR", message: 'user "ann" not found \\ retry' });
    const link = logsInsightsUrl({ region: "eu-west-1", logGroups: ["/app"], window: { lastSeconds: 3600 }, event: { message: line, text: 'user "ann" not found \\ retry' } });
    expect(link.filterText).toBe('user \\"ann\\" not found \\\\ retry');
    expect(queryFinds(parseInsightsUrl(link.url), { logGroup: "/app", timestamp: T, message: line })).toBe(true);
  });

  it("for any message and log group: the link parses back to the same query, which finds the event in its window, within the length limit", () => {
    fc.assert(
      fc.property(message, logGroupName, fc.integer({ min: 0, max: 4_000_000_000_000 }), (text, logGroup, atMs) => {
        // Act: what an alert does with an incident's message.
        const links = failureLinks({ region: "eu-west-1", logGroup, fingerprint: "f".repeat(32), message: text, text: errorFirstLine(text), logStream: "s", atMs });
        const parsed = parseInsightsUrl(links.insights.url);
        // Assess: decoding gives back the query written, its group and window.
        expect(parsed.query).toBe(links.insights.query);
        expect(parsed.query).toBe(insightsQuery(links.insights.filterText));
        expect(parsed.logGroups).toEqual([logGroup]);
        expect(parsed.window).toEqual({ startMs: atMs - EVENT_WINDOW_MS, endMs: atMs + EVENT_WINDOW_MS });
        expect(parsed.queryDetail.length).toBeLessThanOrEqual(MAX_QUERY_DETAIL_LENGTH);
        // The URL is plain ASCII with nothing a browser or chat client would rewrite.
        expect(links.insights.url).toMatch(/^[A-Za-z0-9_.~'()*$:/?=#-]+$/);
        // The filter finds this event (read as JavaScript regex; see queryFinds on Logs Insights' dialect).
        expect(queryFinds(parsed, { logGroup, timestamp: atMs, message: text })).toBe(true);
        // A line with visible text found in the message is always filtered on (cut to a prefix, never dropped).
        if (links.insights.filterText !== undefined) expect(text.includes(links.insights.filterText)).toBe(true);
        if (text.includes(errorFirstLine(text)) && errorFirstLine(text).trim() !== "") expect(links.insights.filterText).toBeDefined();
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("cuts a long first line to a prefix that still matches, keeping queryDetail within 2,048 characters", () => {
    const text = `Error: ${"€/".repeat(5_000)}`;
    const link = logsInsightsUrl({ region: "eu-west-1", logGroups: ["/g"], window: { startMs: T, endMs: T + 1 }, event: { message: text, text } });
    const parsed = parseInsightsUrl(link.url);
    expect(parsed.queryDetail.length).toBeLessThanOrEqual(MAX_QUERY_DETAIL_LENGTH);
    expect(parsed.queryDetail.length).toBeGreaterThan(MAX_QUERY_DETAIL_LENGTH - 20);
    expect(text.startsWith(link.filterText ?? "")).toBe(true);
    expect(new RegExp(likeRegexOf(parsed.query) as string).test(text)).toBe(true);
  });

  it("has no text filter for a storm or a message without text: the log group over the window", () => {
    const link = logsInsightsUrl({ region: "cn-north-1", logGroups: ["/aws/lambda/a", "/aws/lambda/b"], window: { lastSeconds: 3600 } });
    expect(link.url).toBe(
      "https://console.amazonaws.cn/cloudwatch/home?region=cn-north-1#logsV2:logs-insights$3FqueryDetail$3D~(end~0~start~-3600~timeType~'RELATIVE~unit~'seconds~editorString~'fields*20*40timestamp*2c*20*40message*2c*20*40logStream*0a*7c*20sort*20*40timestamp*20desc~source~(~'*2faws*2flambda*2fa~'*2faws*2flambda*2fb))",
    );
    expect(parseInsightsUrl(link.url)).toMatchObject({ logGroups: ["/aws/lambda/a", "/aws/lambda/b"], window: { lastSeconds: 3600 }, query: "fields @timestamp, @message, @logStream\n| sort @timestamp desc" });
  });
});

describe("the links in an alert's chat body", () => {
  it("keep the Logs Insights link whole, within the description's limit, whatever the message and names", () => {
    fc.assert(
      fc.property(message, logGroupName, logStreamName, (text, logGroup, logStream) => {
        const facts = { logGroup, logStream, severity: "ERROR" as const, message: text, incidentId: "i", occurredAt: "2026-12-02T07:00:00.000Z", fingerprint: "f".repeat(32), seenCount: 1, windowMinutes: 15, region: "us-gov-west-1" };
        const alert = formatAlert(facts);
        const description = alert.chat?.content.description ?? "";
        expect(description.length).toBeLessThanOrEqual(MAX_CHAT_DESCRIPTION_LENGTH);
        expect(description).toContain(`[Logs Insights: find this event](${alertLinks(facts).insights.url})`);
        expect(alert.body).toContain(`Insights:    ${alertLinks(facts).insights.url}\n`);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });
});

describe("the log stream link", () => {
  it("opens the stream at the event's time (example: Lambda's [$LATEST] stream)", () => {
    // The console's form: names URI-encoded twice with % written as $ (Stack Overflow, "Is there a way to generate the
    // AWS Console URLs for CloudWatch Log Group filters?"), then `$3Fstart$3D<epoch ms>`.
    expect(logStreamUrl("eu-west-1", "/aws/lambda/orders", "2026/12/02/[$LATEST]0123abcd", T)).toBe(
      "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Faws$252Flambda$252Forders/log-events/2026$252F12$252F02$252F$255B$2524LATEST$255D0123abcd$3Fstart$3D1796194800000",
    );
  });

  it("parses back to the same group, stream and time for any names", () => {
    fc.assert(
      fc.property(logGroupName, logStreamName, fc.integer({ min: 0, max: 4_000_000_000_000 }), (logGroup, logStream, atMs) => {
        const url = logStreamUrl("us-gov-east-1", logGroup, logStream, atMs);
        expect(parseLogStreamUrl(url)).toEqual({ region: "us-gov-east-1", origin: "https://console.amazonaws-us-gov.com", logGroup, logStream, startMs: atMs });
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});

describe("the incidents command", () => {
  it("names the failure and its log group, quoted for the shell where the name needs it", () => {
    const commands = [
      incidentsCommand("c0ffee00".repeat(4), "/aws/lambda/orders"),
      incidentsCommand("c0ffee00".repeat(4), "#blue/app's", "123456789012"),
    ];
    expect(commands[0]).toBe(`npm run incidents -- --fingerprint ${"c0ffee00".repeat(4)} --log-group /aws/lambda/orders`);
    // Read by a real shell: the words the CLI receives.
    const words = (command: string) =>
      execFileSync("bash", ["-c", `set -- ${command.replace(/^npm run incidents -- /, "")}; printf '%s\\n' "$@"`], { encoding: "utf8" }).trimEnd().split("\n");
    expect(words(commands[1] as string)).toEqual(["--fingerprint", "c0ffee00".repeat(4), "--log-group", "#blue/app's", "--account", "123456789012"]);
  });
});
