/**
 * `npm run incidents -- resolve | ignore | reopen | list` (lib/incidents/triage-command.ts) against dynalite: what
 * each writes on the failure's item, who is recorded (the caller's identity, as sts:GetCallerIdentity gives it), and
 * one clear line with exit status 2 for bad usage.
 */
import { UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import * as fc from "fast-check";
import { fingerprintMessage } from "../../handlers/log-processor/fingerprint";
import { MuteClient } from "../../lib/incidents/mute-store";
import { MAX_IGNORE_COUNT, parseIgnoreUntil, parseTriageArgs, runTriageCommand, TRIAGE_USAGE } from "../../lib/incidents/triage-command";
import { useDynalite } from "../support/dynalite-suite";
import { createSuppressionTable, deleteAllSuppressionItems, suppressionItem, writeAlertedOccurrence } from "../support/suppression-table";

const LOG_GROUP = "/aws/lambda/orders-api";
const OTHER_GROUP = "/aws/lambda/billing";
const ACCOUNT = "123456789012";
const T0 = Date.UTC(2026, 11, 2, 12, 0, 0);
const FINGERPRINT = fingerprintMessage("ERROR: upstream timeout after 3001 ms");
const SCOPE = { accountId: ACCOUNT, logGroup: LOG_GROUP, fingerprint: FINGERPRINT };
const CALLER = "arn:aws:sts::123456789012:assumed-role/oncall/ana";
const TABLE = "log-monitor-test-alert-suppression";

describe("npm run incidents -- resolve | ignore | reopen | list, against dynalite", () => {
  const db = useDynalite();

  beforeAll(async () => {
    await createSuppressionTable(db.client, TABLE);
  });
  beforeEach(async () => {
    await deleteAllSuppressionItems(db.client, TABLE);
  });
  const run = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runTriageCommand(args, {
      env: { LOG_MONITOR_ENV: "test", AWS_REGION: "eu-west-1" },
      createClient: () => db.client as unknown as MuteClient,
      whoAmI: async () => CALLER,
      now: () => T0,
      stdout: (text) => out.push(text),
      stderr: (text) => err.push(text),
    });
    return { code, out: out.join(""), err: err.join("") };
  };

  it("resolves every scope of a fingerprint, records who and when, lists it as resolved, and reopens it", async () => {
    await writeAlertedOccurrence(db.client, TABLE, SCOPE, T0 - 60_000);
    await writeAlertedOccurrence(db.client, TABLE, { ...SCOPE, logGroup: OTHER_GROUP }, T0 - 60_000);

    const resolved = await run(["resolve", FINGERPRINT, "--in-release", "42"]);
    expect(resolved.code).toBe(0);
    expect(resolved.out).toContain(`Resolved ${FINGERPRINT} in ${LOG_GROUP} (account ${ACCOUNT}) in release 42 (by ${CALLER})`);
    expect(resolved.out).toContain(`Resolved ${FINGERPRINT} in ${OTHER_GROUP}`);
    const item = await suppressionItem(db.client, TABLE, SCOPE);
    expect(item).toMatchObject({ triage_state: { S: "resolved" }, triage_by: { S: CALLER }, triage_at: { N: String(T0) }, resolved_in_release: { S: "42" }, resolved_in_order: { N: "42" } });

    const listed = await run(["list", "--state", "resolved", "--json"]);
    const report = JSON.parse(listed.out) as { failures: { state: string; logGroup: string; triageBy: string }[] };
    expect(report.failures.map((f) => [f.state, f.logGroup, f.triageBy]).sort()).toEqual([["resolved", LOG_GROUP, CALLER], ["resolved", OTHER_GROUP, CALLER]].sort());
    expect((await run(["list", "--state", "open"])).out).toContain("No failure is open.");

    expect((await run(["reopen", FINGERPRINT, "--log-group", LOG_GROUP])).code).toBe(0);
    expect((await suppressionItem(db.client, TABLE, SCOPE))?.triage_state).toBeUndefined();
    const again = await run(["reopen", FINGERPRINT, "--log-group", LOG_GROUP]);
    expect(again).toMatchObject({ code: 1, err: `incidents: ${FINGERPRINT} is open already (see npm run incidents -- list)\n` });
  });

  it("ignores until the Nth occurrence from now: the item's total so far plus N", async () => {
    await writeAlertedOccurrence(db.client, TABLE, SCOPE, T0 - 60_000);
    await db.client.send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: { failure_key: { S: `${ACCOUNT}|${LOG_GROUP}|${FINGERPRINT}` } },
        UpdateExpression: "SET seen_total = :n",
        ExpressionAttributeValues: { ":n": { N: "17" } },
      }),
    );
    const ignored = await run(["ignore", FINGERPRINT, "--until", "100", "--log-group", LOG_GROUP, "--account", ACCOUNT]);
    expect(ignored.code).toBe(0);
    expect(ignored.out).toContain("until 100 more occurrences");
    expect(await suppressionItem(db.client, TABLE, SCOPE)).toMatchObject({ triage_state: { S: "ignored" }, ignore_until_seen: { N: "117" }, triage_note: { S: "until 100 more occurrences" } });
  });

  it("refuses a fingerprint that has no item without --log-group, naming what to add", async () => {
    const result = await run(["resolve", FINGERPRINT]);
    expect(result.code).toBe(2);
    expect(result.err).toBe(`incidents: ${FINGERPRINT} has not alerted or been counted in any log group; name its log group with --log-group <group> (and --account <id>) to resolve it before it does\n`);
  });

  it.each([
    [["resolve"], "resolve takes one fingerprint"],
    [["resolve", "storm", "--log-group", LOG_GROUP], '"storm" is not a fingerprint (32 lower-case hex characters, as alerts show it)'],
    [["ignore", FINGERPRINT], "ignore needs --until"],
    [["ignore", FINGERPRINT, "--until", "soon"], '--until takes a time (2026-12-24T00:00:00Z), a number of occurrences (100) or a rate (50/h), not "soon"'],
    [["ignore", FINGERPRINT, "--until", "2026-12-01T00:00:00Z"], "--until 2026-12-01T00:00:00Z is in the past"],
    [["ignore", FINGERPRINT, "--until", "2027-06-01T00:00:00Z"], "--until 2027-06-01T00:00:00Z is more than 90 days ahead"],
    [["ignore", FINGERPRINT, "--until", "5", "--until", "6"], "--until given twice"],
    [["list", "--state", "closed"], '--state takes open, resolved, ignored, regressed, not "closed"'],
    [["resolve", FINGERPRINT, "--bogus"], 'unknown argument "--bogus"'],
  ])("refuses %j with one line naming the problem, exit 2", async (args, problem) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.err.split("\n").filter(Boolean)).toHaveLength(1);
    expect(result.err).toContain(problem);
  });

  it("answers --help with its usage, exit 0", async () => {
    expect(await run(["ignore", "--help"])).toEqual({ code: 0, out: `${TRIAGE_USAGE}\n`, err: "" });
  });

  it("reads --until as a count, a rate or a zoned time, for any value in range (generated), and nothing else", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_IGNORE_COUNT }), fc.integer({ min: 1, max: 90 * 24 * 60 - 1 }), (n, minutes) => {
        expect(parseIgnoreUntil(String(n), T0)).toEqual({ kind: "count", occurrences: n });
        expect(parseIgnoreUntil(`${n}/h`, T0)).toEqual({ kind: "rate", perHour: n });
        const at = new Date(T0 + minutes * 60_000).toISOString();
        expect(parseIgnoreUntil(at, T0)).toEqual({ kind: "time", untilMs: T0 + minutes * 60_000 });
      }),
      { seed: 20261202, numRuns: 100 },
    );
    // A time without a zone would depend on the machine's time zone: refused.
    expect(() => parseIgnoreUntil("2026-12-24T00:00:00", T0)).toThrow("--until takes a time");
    expect(() => parseIgnoreUntil("0", T0)).toThrow("--until takes a time");
    expect(() => parseTriageArgs(["list", "extra"], T0)).toThrow();
  });
});
