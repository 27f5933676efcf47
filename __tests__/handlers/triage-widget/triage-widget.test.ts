import type * as WidgetModule from "../../../handlers/triage-widget/index";
import { parseDocument } from "./html-text";
import { SUPPRESSION_ATTRIBUTES as A } from "../../../handlers/log-processor/suppression-schema";
import { handleWidgetEvent, TriageWidgetDeps, WIDGET_DOCS } from "../../../handlers/triage-widget/triage-widget";
import { useDynalite } from "../../support/dynalite-suite";
import { LOCAL_CREDENTIALS, setEnvironment } from "../../support/lambda-environment";
import { createSuppressionTable, suppressionItem } from "../../support/suppression-table";
import { putFailure, widgetContext } from "./failure-items";

const NOW = Date.UTC(2026, 11, 2, 10, 0);
const HOUR = 3_600_000;
const RANGE = { startMs: NOW - 3 * HOUR, endMs: NOW };
const ENDPOINT = "arn:aws:lambda:eu-west-1:123456789012:function:log-monitor-prod-triage-widget";
const DASHBOARD = "log-monitor-prod-overview-eu-west-1";
const BY = `cloudwatch-dashboard:${DASHBOARD}`;
const OPEN = { accountId: "123456789012", logGroup: "/aws/lambda/orders", fingerprint: "0123456789abcdef0123456789abcdef" };
const OLD = { accountId: "123456789012", logGroup: "/aws/lambda/orders", fingerprint: "ffffffffffffffffffffffffffffffff" };
const RESOLVED = { logGroup: "/ecs/payments", fingerprint: "abcdefabcdefabcdefabcdefabcdef12" };

/**
 * The widget's core (triage-widget.ts) against dynalite, through the same DynamoDB calls the Lambda makes: what it
 * lists for a time range, and what each button does to the failure's item.
 */
describe("triage widget (against dynalite)", () => {
  const db = useDynalite();
  let n = 0;
  let table: string;
  let deps: TriageWidgetDeps;

  beforeEach(async () => {
    table = `suppression-${++n}`;
    await createSuppressionTable(db.client, table);
    deps = { client: db.client, tableName: table, region: "eu-west-1", processorLogGroup: "/aws/lambda/log-monitor-prod-log-processor", endpoint: ENDPOINT, now: () => NOW };
    await putFailure(db.client, table, { scope: OPEN, seenTotal: 42, firstSeenAtMs: NOW - 30 * HOUR, lastSeenAtMs: NOW - HOUR, firstRelease: "41", lastRelease: "42" });
    await putFailure(db.client, table, { scope: OLD, seenTotal: 3, firstSeenAtMs: NOW - 50 * HOUR, lastSeenAtMs: NOW - 48 * HOUR });
    await putFailure(db.client, table, { scope: RESOLVED, seenTotal: 7, lastSeenAtMs: NOW - 20 * HOUR, state: "resolved", triageBy: "arn:aws:iam::123456789012:user/ana", triageAtMs: NOW - 2 * HOUR });
  });

  const call = (params: Record<string, unknown> = {}, context: unknown = widgetContext(RANGE, DASHBOARD)) => handleWidgetEvent({ ...params, widgetContext: context }, deps);
  const rowsOf = (html: string) => parseDocument(html).rows;
  const item = (scope: typeof OPEN | typeof RESOLVED) => suppressionItem(db.client, table, scope);

  it("lists the failures last seen or triaged within the dashboard's time range, regressed and open first", async () => {
    // Act
    const html = await call();

    // Assess: the old failure (seen 48 h ago, never triaged) is left out; the resolved one was triaged 2 h ago.
    const rows = rowsOf(html);
    expect(rows.map((row) => [row[0], row[1], row[2], row[4]])).toEqual([
      ["open", OPEN.fingerprint, OPEN.logGroup, "42"],
      ["resolved", RESOLVED.fingerprint, RESOLVED.logGroup, "7"],
    ]);
    expect(rows[0]?.slice(5, 8)).toEqual(["2026-12-01 04:00", "2026-12-02 09:00", "41 → 42"]);
    expect(parseDocument(html).text).toContain("0 regressed · 1 open · 0 ignored · 1 resolved — failures seen or triaged from 2026-12-02 07:00 to 2026-12-02 10:00 (UTC+00:00).");
  });

  it("uses the zoomed range when a graph is zoomed, and the dashboard's time zone", async () => {
    // Prepare: zoomed on the 48-hour-old occurrence, in UTC+02:00.
    const context = { ...widgetContext(RANGE), timeRange: { start: RANGE.startMs, end: RANGE.endMs, zoom: { start: NOW - 49 * HOUR, end: NOW - 47 * HOUR } }, timezone: { label: "Local", offsetISO: "+02:00", offsetInMinutes: 120 } };

    // Act
    const rows = rowsOf(await call({}, context));

    // Assess
    expect(rows.map((row) => [row[1], row[6]])).toEqual([[OLD.fingerprint, "2026-11-30 12:00"]]);
  });

  it("resolve: the failure becomes resolved, by the dashboard, and the table shows it", async () => {
    const html = await call({ action: "resolve", logGroup: OPEN.logGroup, fingerprint: OPEN.fingerprint, accountId: OPEN.accountId });

    const stored = await item(OPEN);
    expect(stored?.[A.triage]).toEqual({ S: "resolved" });
    expect(stored?.[A.triageBy]).toEqual({ S: BY });
    expect(stored?.[A.triageAt]).toEqual({ N: String(NOW) });
    expect(parseDocument(html).notice).toBe("Resolved 0123456789ab in /aws/lambda/orders: its next occurrence alerts as regressed.");
    expect(rowsOf(html).find((row) => row[1] === OPEN.fingerprint)?.[0]).toBe("resolved");
  });

  it.each([
    ["mute1h", HOUR],
    ["mute24h", 24 * HOUR],
  ])("%s: muted_until is set that far ahead, by the dashboard", async (action, durationMs) => {
    const html = await call({ action, logGroup: OPEN.logGroup, fingerprint: OPEN.fingerprint, accountId: OPEN.accountId });

    const stored = await item(OPEN);
    expect(stored?.[A.mutedUntil]).toEqual({ N: String(NOW + durationMs) });
    expect(stored?.[A.mutedBy]).toEqual({ S: BY });
    expect(stored?.[A.muteReason]).toEqual({ S: `muted for ${durationMs / HOUR} h from the dashboard` });
    expect(stored?.[A.triage]).toBeUndefined();
    expect(parseDocument(html).notice).toBe(`Muted 0123456789ab in /aws/lambda/orders until ${new Date(NOW + durationMs).toISOString()}.`);
    expect(rowsOf(html)[0]?.[0]).toBe(`openmuted until ${new Date(NOW + durationMs).toISOString().slice(0, 16).replace("T", " ")}`);
  });

  it("ignore: ignored until 100 more occurrences than it has", async () => {
    const html = await call({ action: "ignore", logGroup: OPEN.logGroup, fingerprint: OPEN.fingerprint, accountId: OPEN.accountId });

    const stored = await item(OPEN);
    expect(stored?.[A.triage]).toEqual({ S: "ignored" });
    expect(stored?.[A.ignoreUntilSeen]).toEqual({ N: "142" });
    expect(stored?.[A.triageNote]).toEqual({ S: "until 100 more occurrences" });
    expect(parseDocument(html).notice).toBe("Ignored 0123456789ab in /aws/lambda/orders until 100 more occurrences.");
  });

  it("reopen: a resolved failure is open again; an open one is left as it is, and says so", async () => {
    const reopened = await call({ action: "reopen", logGroup: RESOLVED.logGroup, fingerprint: RESOLVED.fingerprint });
    const again = await call({ action: "reopen", logGroup: RESOLVED.logGroup, fingerprint: RESOLVED.fingerprint });

    const stored = await item(RESOLVED);
    expect(stored?.[A.triage]).toBeUndefined();
    expect(stored?.[A.triageNote]).toEqual({ S: "reopened" });
    expect(stored?.[A.triageBy]).toEqual({ S: BY });
    expect(parseDocument(reopened).notice).toBe("Reopened abcdefabcdef in /ecs/payments: it alerts as any open failure.");
    expect(parseDocument(again).notice).toBe("abcdefabcdef in /ecs/payments was open already: nothing changed.");
  });

  it.each([
    [{ action: "delete", logGroup: OPEN.logGroup, fingerprint: OPEN.fingerprint }, 'Refused: "action" must be one of resolve, mute1h, mute24h, ignore, reopen; got "delete"'],
    [{ action: "resolve", fingerprint: OPEN.fingerprint }, 'Refused: "logGroup" must be a log group name (1 to 512 of A-Z a-z 0-9 . - _ / #); got nothing'],
    [{ action: "resolve", logGroup: "<script>", fingerprint: OPEN.fingerprint }, 'Refused: "logGroup" must be a log group name (1 to 512 of A-Z a-z 0-9 . - _ / #); got "<script>"'],
    [{ action: "mute1h", logGroup: OPEN.logGroup, fingerprint: "storm" }, 'Refused: "fingerprint" must be 32 lower-case hex characters; got "storm"'],
    [{ action: "ignore", logGroup: OPEN.logGroup, fingerprint: OPEN.fingerprint, accountId: 123456789012 }, 'Refused: "accountId" must be a 12-digit account id when given; got 123456789012'],
  ])("refuses malformed parameters %j with one line, and changes nothing", async (params, line) => {
    const before = await item(OPEN);

    const html = await call(params);

    expect(parseDocument(html).notice).toBe(line);
    expect(parseDocument(html).noticeClass).toBe("triage-notice refused");
    expect(await item(OPEN)).toEqual(before);
    expect(rowsOf(html)).toHaveLength(2);
  });

  it("refuses an action from a call that names no dashboard (nobody to record)", async () => {
    const { dashboardName: _omitted, ...context } = widgetContext(RANGE);

    const html = await call({ action: "resolve", logGroup: OPEN.logGroup, fingerprint: OPEN.fingerprint, accountId: OPEN.accountId }, context);

    expect(parseDocument(html).notice).toBe("Refused: actions are taken from a CloudWatch dashboard, and this call names none (widgetContext.dashboardName: nothing)");
    expect((await item(OPEN))?.[A.triage]).toBeUndefined();
  });

  it("answers the editor's describe call with its documentation", async () => {
    expect(await handleWidgetEvent({ describe: true }, deps)).toBe(WIDGET_DOCS);
  });

  it("puts its own ARN and the failure's key parts in each button's call", async () => {
    const { actions } = parseDocument(await call());

    expect(actions.filter((action) => action.params.fingerprint === OPEN.fingerprint)).toEqual(
      ["resolve", "mute1h", "mute24h", "ignore"].map((name) => ({
        attributes: { action: "call", endpoint: ENDPOINT, display: "widget", ...(name === "ignore" ? { confirmation: "Ignore this failure until 100 more occurrences?" } : {}) },
        params: { action: name, ...OPEN },
        label: { resolve: "Resolve", mute1h: "Mute 1 h", mute24h: "Mute 24 h", ignore: "Ignore" }[name],
      })),
    );
    expect(actions.filter((action) => action.params.fingerprint === RESOLVED.fingerprint).map((action) => action.params)).toEqual([{ action: "reopen", ...RESOLVED }]);
  });
});

describe("triage widget handler (cold start, as Lambda runs it)", () => {
  const db = useDynalite();
  let restore: () => void = () => undefined;

  beforeAll(async () => {
    await createSuppressionTable(db.client, "suppression");
  });
  afterEach(() => restore());

  it("refuses to start without its table, naming the variable", () => {
    restore = setEnvironment({ ...LOCAL_CREDENTIALS, AWS_REGION: "eu-west-1", SUPPRESSION_TABLE_NAME: undefined, PROCESSOR_LOG_GROUP: "/aws/lambda/p" });
    expect(() => jest.isolateModules(() => require("../../../handlers/triage-widget/index"))).toThrow("SUPPRESSION_TABLE_NAME: not set; it must name the alert-suppression table");
  });

  it("resolves a failure through the SDK client it builds, and calls itself back from its buttons", async () => {
    // Prepare
    restore = setEnvironment({
      ...LOCAL_CREDENTIALS,
      AWS_REGION: "eu-west-1",
      AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
      SUPPRESSION_TABLE_NAME: "suppression",
      PROCESSOR_LOG_GROUP: "/aws/lambda/log-monitor-prod-log-processor",
    });
    let widget: typeof WidgetModule | undefined;
    jest.isolateModules(() => {
      widget = require("../../../handlers/triage-widget/index") as typeof WidgetModule;
    });
    const now = Date.now();
    await putFailure(db.client, "suppression", { scope: OPEN, lastSeenAtMs: now - 60_000 });
    const context = { invokedFunctionArn: `${ENDPOINT}:live` };
    const range = widgetContext({ startMs: now - HOUR, endMs: now + HOUR });
    const log = jest.spyOn(console, "info").mockImplementation(() => undefined);

    // Act
    const first = await widget?.handler({ widgetContext: range }, context);
    const [button] = parseDocument(first ?? "").actions;
    const second = await widget?.handler({ ...button?.params, widgetContext: range }, context);
    log.mockRestore();

    // Assess
    expect(button?.attributes.endpoint).toBe(`${ENDPOINT}:live`);
    expect(button?.params).toEqual({ action: "resolve", ...OPEN });
    expect((await suppressionItem(db.client, "suppression", OPEN))?.[A.triage]).toEqual({ S: "resolved" });
    expect(parseDocument(second ?? "").rows[0]?.[0]).toBe("resolved");
  });
});
