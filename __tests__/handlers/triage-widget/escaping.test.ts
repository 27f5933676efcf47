import fc from "fast-check";
import type { FailureSummary } from "../../../lib/triage/triage-store";
import { escapeHtml, jsonForElement } from "../../../handlers/triage-widget/html";
import { renderWidget } from "../../../handlers/triage-widget/render";
import { consolePath, parseInsightsUrl } from "../../support/console-url";
import { parseDocument } from "./html-text";

const NOW = Date.UTC(2026, 11, 2, 10, 0);
const VIEW = { timeRange: { startMs: NOW - 3_600_000, endMs: NOW }, timezone: { label: "UTC", offsetMinutes: 0 } };
const ENDPOINT = "arn:aws:lambda:eu-west-1:123456789012:function:log-monitor-prod-triage-widget";

/** What an HTML parser shows for a string the widget escaped: lone surrogates and U+0000 become U+FFFD. */
function shown(value: string): string {
  return value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\0/g, "\uFFFD");
}

/** Strings made to break out of markup, mixed with any code units (lone surrogates included). */
const hostile = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({
    unit: fc.oneof(
      fc.constantFrom("<", ">", '"', "'", "&", "<script>window.__pwned=1</script>", "<img src=x onerror=alert(1)>", "</td></tr></table>", "&amp;", "&lt;", "\0", "\r", "\r\n", "]]>", "<!--", "`", "\u2028", "</cwdb-action>", "{}"),
      fc.string({ unit: "binary", maxLength: 3 }),
    ),
    maxLength: 12,
  }),
);

/** The only elements and attributes the widget writes: a value that added any would be markup from a log line. */
const TAGS = new Set(["style", "p", "b", "small", "table", "thead", "tbody", "tr", "th", "td", "span", "br", "a", "cwdb-action"]);
const ATTRIBUTES = new Set(["class", "href", "target", "rel", "title", "action", "endpoint", "display", "confirmation"]);

describe("the widget's HTML escapes every value from the table", () => {
  it("for arbitrary log groups, fingerprints, releases, notes and accounts: a parser shows each value as text, in its cell, and adds no element or attribute", () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, hostile, hostile, hostile, hostile, (logGroup, fingerprint, firstRelease, lastRelease, note, triageBy, accountId) => {
        // Prepare: one failure, seen within the range, every text field hostile.
        const failure: FailureSummary = { logGroup, fingerprint, accountId, state: "regressed", seenTotal: 3, firstSeenAtMs: NOW - 7_200_000, lastSeenAtMs: NOW - 60_000, firstRelease, lastRelease, triageBy, triageAtMs: NOW - 30_000, note };

        // Act
        const html = renderWidget({ failures: [failure], view: VIEW, region: "eu-west-1", processorLogGroup: "/aws/lambda/p", endpoint: ENDPOINT, notice: { kind: "done", text: note } });
        const parsed = parseDocument(html);

        // Assess: the text of each cell is the value (what the parser shows of it), nothing more and nothing less.
        expect(parsed.rows).toHaveLength(1);
        const [row] = parsed.rows;
        expect(row?.slice(1, 4)).toEqual([shown(fingerprint), shown(logGroup), shown(accountId)]);
        expect(row?.[7]).toBe(`${shown(firstRelease)} → ${shown(lastRelease)}`);
        expect(row?.[8]).toBe(`${shown(triageBy)}2026-12-02 09:59${shown(note)}`);
        expect(parsed.notice).toBe(shown(note));
        // No value opened an element or an attribute (the widget itself writes no script or image).
        expect(parsed.tags.filter((tag) => !TAGS.has(tag))).toEqual([]);
        expect(parsed.attributeNames.filter((name) => !ATTRIBUTES.has(name))).toEqual([]);
        expect(html).not.toMatch(/<script|<img|<\/cwdb-action><\/cwdb-action>/i);
        // Each button's parameters parse back to the failure's key parts.
        expect(parsed.actions.map((action) => action.params)).toEqual(
          ["resolve", "mute1h", "mute24h", "ignore", "reopen"].map((action) => JSON.parse(JSON.stringify({ action, logGroup, fingerprint, accountId }))),
        );
        expect(parsed.actions.every((action) => action.attributes.endpoint === ENDPOINT)).toBe(true);
        // Every link is the console of the region, on the failure's own log group.
        expect(parsed.hrefs).toHaveLength(3);
        for (const href of parsed.hrefs) expect(href.startsWith("https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:")).toBe(true);
        expect(parseInsightsUrl(parsed.hrefs[0] ?? "").logGroups).toEqual(["/aws/lambda/p"]);
        expect(parseInsightsUrl(parsed.hrefs[1] ?? "").region).toBe("eu-west-1");
        // (A log group name has no control characters; the links' own tests cover their encoding of any name.)
        if (!/[\0-\x1f]/.test(logGroup)) {
          expect(parseInsightsUrl(parsed.hrefs[1] ?? "").logGroups).toEqual([shown(logGroup)]);
          expect(consolePath(parsed.hrefs[2] ?? "")).toBe(`log-groups/log-group/${encodeURIComponent(shown(logGroup))}`);
        }
      }),
      { seed: 19_2026, numRuns: 300 },
    );
  });

  it("escapes the five characters HTML reads, and what the parser would not keep", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>\r\0`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;&#13;\uFFFD");
  });

  it("writes an action's parameters as JSON with no character the HTML parser reads", () => {
    const json = jsonForElement({ logGroup: "</cwdb-action><script>x</script>&amp;" });
    expect(json).toBe('{"logGroup":"\\u003c/cwdb-action\\u003e\\u003cscript\\u003ex\\u003c/script\\u003e\\u0026amp;"}');
    expect(JSON.parse(json)).toEqual({ logGroup: "</cwdb-action><script>x</script>&amp;" });
  });
});
