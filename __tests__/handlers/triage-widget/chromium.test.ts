import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { chromium, type BrowserContext } from "playwright-core";
import { handleWidgetEvent } from "../../../handlers/triage-widget/triage-widget";
import { parseInsightsUrl } from "../../support/console-url";
import { LocalDynamoDb, startDynalite } from "../../support/dynalite";
import { createSuppressionTable } from "../../support/suppression-table";
import { localDynamoDbClient } from "../../support/test-dynamodb-client";
import { putFailure, widgetContext } from "./failure-items";

/**
 * The widget's HTML in a real browser: Debian's Chromium, headless, driven by playwright-core. What a person sees in
 * the table, that a failure whose log group, note and release carry a script and an image with `onerror` shows them as
 * text and runs neither, and that its links are console URLs of the region. Saves a screenshot of it; with
 * UPDATE_DOCS_SCREENSHOTS=1 the screenshot also replaces docs/images/triage-widget.png.
 *
 * Without /usr/bin/chromium the test is skipped, saying so; in CI (CI=true, set by .ci/run, which installs Chromium)
 * a missing browser fails it instead. No assertion depends on the machine's speed; the timeouts are only generous.
 */
const CHROMIUM = "/usr/bin/chromium";
const ROOT = path.resolve(__dirname, "../../..");
const DOCS_SCREENSHOT = path.join(ROOT, "docs/images/triage-widget.png");
const BUILD_SCREENSHOT = path.join(ROOT, ".build/screenshots/triage-widget.png");
const present = fs.existsSync(CHROMIUM);
const inCi = process.env.CI === "true";

const NOW = Date.UTC(2026, 11, 2, 10, 0);
const HOUR = 3_600_000;
const ENDPOINT = "arn:aws:lambda:eu-west-1:123456789012:function:log-monitor-prod-triage-widget";
const SCRIPT = "<script>window.__pwned=1</script>";
const IMAGE = '<img src=x onerror="window.__pwned=2">';
const HOSTILE = { accountId: "123456789012", logGroup: `/aws/lambda/${SCRIPT}`, fingerprint: `${IMAGE}0123` };
const FAILURES = [
  { scope: HOSTILE, seenTotal: 12, firstSeenAtMs: NOW - 5 * HOUR, lastSeenAtMs: NOW - 20 * 60_000, firstRelease: "41", lastRelease: `42${IMAGE}`, state: "regressed" as const, triageBy: "processor", triageAtMs: NOW - 20 * 60_000, note: `regressed in release 42: ${SCRIPT}` },
  { scope: { accountId: "123456789012", logGroup: "/aws/lambda/orders", fingerprint: "0123456789abcdef0123456789abcdef" }, seenTotal: 230, firstSeenAtMs: NOW - 26 * HOUR, lastSeenAtMs: NOW - 5 * 60_000, firstRelease: "40", lastRelease: "42" },
  { scope: { logGroup: "/ecs/payments", fingerprint: "fedcba9876543210fedcba9876543210" }, seenTotal: 4, firstSeenAtMs: NOW - 2 * HOUR, lastSeenAtMs: NOW - HOUR, mutedUntilMs: NOW + 23 * HOUR },
  { scope: { accountId: "210987654321", logGroup: "/aws/lambda/search", fingerprint: "abcdefabcdefabcdefabcdefabcdef12" }, seenTotal: 3012, firstSeenAtMs: NOW - 70 * HOUR, lastSeenAtMs: NOW - 2 * HOUR, state: "ignored" as const, triageBy: "cloudwatch-dashboard:log-monitor-prod-overview-eu-west-1", triageAtMs: NOW - 3 * HOUR, note: "until 100 more occurrences" },
  { scope: { accountId: "123456789012", logGroup: "/aws/lambda/checkout", fingerprint: "11112222333344445555666677778888" }, seenTotal: 9, firstSeenAtMs: NOW - 30 * HOUR, lastSeenAtMs: NOW - 25 * HOUR, firstRelease: "39", lastRelease: "41", state: "resolved" as const, triageBy: "arn:aws:sts::123456789012:assumed-role/OnCall/ana", triageAtMs: NOW - 4 * HOUR },
];

/** The dashboard's default styles for what the widget uses (the console applies its own; this page stands in for it). */
const CONSOLE_STAND_IN = `body { margin: 0; font-family: "Amazon Ember", "Helvetica Neue", Roboto, Arial, sans-serif; font-size: 14px; color: #16191f; }
.widget { width: 1400px; padding: 8px 12px; border: 1px solid #d5dbdb; }
.widget h2 { font-size: 15px; margin: 0 0 6px; }
a { color: #0972d3; }
.btn { display: inline-block; padding: 1px 8px; border: 1px solid #5f6b7a; border-radius: 12px; font-size: 11px; color: #16191f; cursor: pointer; white-space: nowrap; }
.btn-primary { background: #0972d3; border-color: #0972d3; color: #fff; }`;

const describeInBrowser = present || inCi ? describe : describe.skip;
if (!present && !inCi) {
  // Said once, where a developer reads the run's output.
  console.warn(`triage widget in Chromium: skipped, ${CHROMIUM} is absent (apt-get install -y --no-install-recommends chromium; CI installs it)`);
}

describeInBrowser(`triage widget in headless Chromium (${present ? CHROMIUM : `${CHROMIUM} absent: skipped locally, a failure in CI`})`, () => {
  let dynamo: LocalDynamoDb;
  let client: DynamoDBClient;
  let context: BrowserContext | undefined;
  let userDataDir: string;

  beforeAll(async () => {
    if (!present) throw new Error(`CI=true but ${CHROMIUM} is absent: .ci/run installs Debian's chromium before the tests`);
    dynamo = await startDynalite();
    client = localDynamoDbClient(dynamo.endpoint);
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "triage-widget-chromium-"));
    // A fresh profile; no network, no first-run, no background services: the page is the widget's HTML alone.
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      viewport: { width: 1440, height: 600 },
      timeout: 120_000,
    });
  }, 180_000);
  afterAll(async () => {
    await context?.close();
    client?.destroy();
    await dynamo?.stop();
    if (userDataDir !== undefined) fs.rmSync(userDataDir, { recursive: true, force: true });
  });

  it("shows the failures as a person reads them, runs no script from a log line, and links to the region's console", async () => {
    // Prepare: the failures in dynalite, rendered by the widget's core through the same calls the Lambda makes.
    await createSuppressionTable(client, "suppression");
    for (const failure of FAILURES) await putFailure(client, "suppression", failure);
    const html = await handleWidgetEvent(
      { widgetContext: widgetContext({ startMs: NOW - 6 * HOUR, endMs: NOW }) },
      { client, tableName: "suppression", region: "eu-west-1", processorLogGroup: "/aws/lambda/log-monitor-prod-log-processor", endpoint: ENDPOINT, now: () => NOW },
    );
    const page = context?.pages()[0] ?? (await context!.newPage());
    // Nothing leaves the page: the <img src=x> would otherwise be fetched (and fail) like any image.
    await page.route("**/*", (route) => route.abort());
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });

    // Act
    await page.setContent(`<!doctype html><html><head><meta charset="utf-8"><title>Failure triage</title><style>${CONSOLE_STAND_IN}</style></head><body><div class="widget"><h2>Failure triage</h2>${html}</div></body></html>`, { timeout: 60_000 });

    // Assess: the rows a person sees, regressed first, then open, ignored; the one resolved 4 h ago is in range too.
    const rows = await page.$$eval("table.triage tbody tr", (trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td")).map((td) => (td as unknown as { innerText: string }).innerText.trim())));
    expect(rows.map((row) => row.slice(0, 5))).toEqual([
      ["regressed", HOSTILE.fingerprint, HOSTILE.logGroup, "123456789012", "12"],
      ["open", "0123456789abcdef0123456789abcdef", "/aws/lambda/orders", "123456789012", "230"],
      ["open\nmuted until 2026-12-03 09:00", "fedcba9876543210fedcba9876543210", "/ecs/payments", "—", "4"],
      ["ignored", "abcdefabcdefabcdefabcdefabcdef12", "/aws/lambda/search", "210987654321", "3012"],
      ["resolved", "11112222333344445555666677778888", "/aws/lambda/checkout", "123456789012", "9"],
    ]);
    expect(rows[0]?.[7]).toBe(`41 → 42${IMAGE}`);
    expect(rows[0]?.[8]).toBe(`processor\n2026-12-02 09:40\nregressed in release 42: ${SCRIPT}`);
    const buttons = await page.$$eval("table.triage tbody tr", (trs) => trs.map((tr) => Array.from(tr.querySelectorAll("a.btn")).map((a) => (a as unknown as { innerText: string }).innerText)));
    expect(buttons).toEqual([
      ["Resolve", "Mute 1 h", "Mute 24 h", "Ignore", "Reopen"],
      ["Resolve", "Mute 1 h", "Mute 24 h", "Ignore"],
      ["Resolve", "Mute 1 h", "Mute 24 h", "Ignore"],
      ["Resolve", "Reopen"],
      ["Reopen"],
    ]);
    // No script ran, no image was made, no dialog opened: the payloads are text.
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await page.locator("script").count()).toBe(0);
    expect(await page.locator("img").count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(await page.getByText(SCRIPT, { exact: false }).count()).toBeGreaterThan(0);
    // Every link is an https console URL of the region: Logs Insights on the processor's lines and on the failure's log
    // group, and the log group itself.
    const hrefs = await page.$$eval("a[href]", (links) => links.map((a) => (a as unknown as { href: string }).href));
    expect(hrefs).toHaveLength(3 * FAILURES.length);
    for (const href of hrefs) {
      const url = new URL(href);
      expect([url.protocol, url.host, url.pathname, url.searchParams.get("region")]).toEqual(["https:", "eu-west-1.console.aws.amazon.com", "/cloudwatch/home", "eu-west-1"]);
    }
    expect(parseInsightsUrl(hrefs[0] ?? "")).toMatchObject({ logGroups: ["/aws/lambda/log-monitor-prod-log-processor"], region: "eu-west-1" });
    expect(parseInsightsUrl(hrefs[0] ?? "").query).toContain("filter @message like /");
    expect(parseInsightsUrl(hrefs[1] ?? "")).toMatchObject({ logGroups: [HOSTILE.logGroup], region: "eu-west-1" });
    // Each button carries its call, hidden: the console reads the <cwdb-action> after it.
    expect(await page.locator("cwdb-action").count()).toBe(buttons.flat().length);
    expect(await page.locator("cwdb-action").first().isVisible()).toBe(false);

    // The screenshot the docs show.
    fs.mkdirSync(path.dirname(BUILD_SCREENSHOT), { recursive: true });
    await page.locator(".widget").screenshot({ path: BUILD_SCREENSHOT, timeout: 60_000 });
    if (process.env.UPDATE_DOCS_SCREENSHOTS === "1") fs.copyFileSync(BUILD_SCREENSHOT, DOCS_SCREENSHOT);
    expect(fs.existsSync(DOCS_SCREENSHOT)).toBe(true);
  }, 180_000);
});
