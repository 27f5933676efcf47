import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { fingerprintMessage } from "../../handlers/log-processor/fingerprint";
import { failureKeyOf, SUPPRESSION_ATTRIBUTES as A } from "../../handlers/log-processor/suppression-schema";
import { MuteClient, muteFailure, RETENTION_AFTER_MUTE_SECONDS, unmuteFailure } from "../../lib/incidents/mute-store";
import { MUTE_USAGE, parseMuteArgs, runMuteCommand } from "../../lib/incidents/mute-command";
import { LocalDynamoDb, startDynalite } from "../support/dynalite";
import { createSuppressionTable, deleteAllSuppressionItems, putSuppressionItem, suppressionItem, writeAlertedOccurrence } from "../support/suppression-table";
import { localDynamoDbClient } from "../support/test-dynamodb-client";

const LOG_GROUP = "/aws/lambda/orders-api";
const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);
const MINUTE = 60_000;
const TIMEOUT = "ERROR: upstream timeout after 3001 ms";
const FINGERPRINT = fingerprintMessage(TIMEOUT);
const ACCOUNT = "123456789012";
const SCOPE = { accountId: ACCOUNT, logGroup: LOG_GROUP, fingerprint: FINGERPRINT };

/**
 * Mutes per failure scope (lib/incidents/mute-store.ts, mute-command.ts) against dynalite: the attributes a mute
 * writes on the failure's item, and the CLI. How the processor honours a mute is in mutes-processor.test.ts.
 */
describe("mutes, against dynalite", () => {
  let dynamo: LocalDynamoDb;
  let client: DynamoDBClient;
  let n = 0;
  let suppressionTable: string;

  beforeAll(async () => {
    dynamo = await startDynalite();
    client = localDynamoDbClient(dynamo.endpoint);
  });
  afterAll(async () => {
    client.destroy();
    await dynamo.stop();
  });
  beforeEach(async () => {
    n++;
    suppressionTable = `alert-suppression-${n}`;
    await createSuppressionTable(client, suppressionTable);
  });

  describe("mute attributes on the failure's item (owned by mutes only)", () => {
    it("writes only the mute, scope and expiry attributes, keeps the lease, window, episode and notice, and extends expires_at past the mute", async () => {
      // Prepare: an item as the processor and the sweeper leave it, expiring before the mute would end.
      const item = {
        [A.failureKey]: { S: failureKeyOf(SCOPE) },
        [A.fingerprint]: { S: FINGERPRINT },
        [A.logGroup]: { S: LOG_GROUP },
        [A.accountId]: { S: ACCOUNT },
        [A.state]: { S: "sent" },
        [A.ownerId]: { S: "delivery-1" },
        [A.leaseExpiresAt]: { N: String(T0 + MINUTE) },
        [A.windowEndsAt]: { N: String(T0 + 15 * MINUTE) },
        [A.seenCount]: { N: "4" },
        [A.lastSeenAt]: { N: String(T0) },
        [A.episodeCount]: { N: "4" },
        [A.episodeStartedAt]: { N: String(T0 - MINUTE) },
        [A.noticeOwner]: { S: "notice-x" },
        [A.noticeLeaseExpiresAt]: { N: String(T0 + 5 * MINUTE) },
        [A.expiresAt]: { N: String(T0 / 1000 + 86_400) },
      };
      await putSuppressionItem(client, suppressionTable, item);
      // Act
      await muteFailure(client, suppressionTable, { scope: SCOPE, untilMs: T0 + 10 * 86_400_000, by: "ana", reason: "noise", nowMs: T0 });
      const muted = await suppressionItem(client, suppressionTable, SCOPE);
      await muteFailure(client, suppressionTable, { scope: SCOPE, untilMs: T0 + 60 * MINUTE, by: "bo", reason: "shorter", nowMs: T0 + MINUTE });
      const remuted = await suppressionItem(client, suppressionTable, SCOPE);
      await unmuteFailure(client, suppressionTable, SCOPE);
      const unmuted = await suppressionItem(client, suppressionTable, SCOPE);
      // Assess: the mute's expiry is past its end plus two days; a shorter mute never shortens it.
      const muteExpiry = { N: String((T0 + 10 * 86_400_000) / 1000 + RETENTION_AFTER_MUTE_SECONDS) };
      expect(muted).toEqual({
        ...item,
        [A.mutedUntil]: { N: String(T0 + 10 * 86_400_000) },
        [A.mutedBy]: { S: "ana" },
        [A.muteReason]: { S: "noise" },
        [A.mutedAt]: { N: String(T0) },
        [A.expiresAt]: muteExpiry,
      });
      expect(remuted?.[A.expiresAt]).toEqual(muteExpiry);
      expect(remuted?.[A.mutedUntil]).toEqual({ N: String(T0 + 60 * MINUTE) });
      expect(unmuted).toEqual({ ...item, [A.expiresAt]: muteExpiry });
    });

    it("creates the item of a failure that has none with only mute, scope and expiry attributes", async () => {
      await muteFailure(client, suppressionTable, { scope: SCOPE, untilMs: T0 + 60 * MINUTE, by: "ana", reason: "noise", nowMs: T0 });
      expect(Object.keys((await suppressionItem(client, suppressionTable, SCOPE)) ?? {}).sort()).toEqual(
        [A.failureKey, A.fingerprint, A.logGroup, A.accountId, A.mutedUntil, A.mutedBy, A.muteReason, A.mutedAt, A.expiresAt].sort(),
      );
    });
  });

  describe("npm run incidents -- mute | unmute | mutes", () => {
    const table = "log-monitor-test-alert-suppression";
    const run = async (args: string[], environment = "test") => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runMuteCommand(args, {
        env: { LOG_MONITOR_ENV: environment, AWS_REGION: "eu-west-1" },
        createClient: () => client as unknown as MuteClient,
        whoAmI: async () => "arn:aws:sts::123456789012:assumed-role/oncall/ana",
        now: () => T0,
        stdout: (text) => out.push(text),
        stderr: (text) => err.push(text),
      });
      return { code, out: out.join(""), err: err.join("") };
    };
    const OTHER_GROUP = "/aws/lambda/billing";
    const OTHER_ACCOUNT = "210987654321";

    beforeAll(async () => {
      await createSuppressionTable(client, table);
    });
    beforeEach(async () => {
      await deleteAllSuppressionItems(client, table);
    });

    it("without --log-group, mutes every scope where the fingerprint has an item, lists them with log group and account, and unmutes them", async () => {
      // Prepare: the fingerprint alerted in two log groups of two accounts; another fingerprint elsewhere.
      await writeAlertedOccurrence(client, table, SCOPE, T0 - MINUTE);
      await writeAlertedOccurrence(client, table, { accountId: OTHER_ACCOUNT, logGroup: OTHER_GROUP, fingerprint: FINGERPRINT }, T0 - MINUTE);
      await writeAlertedOccurrence(client, table, { accountId: ACCOUNT, logGroup: LOG_GROUP, fingerprint: "f".repeat(32) }, T0 - MINUTE);
      // Act
      const muted = await run(["mute", FINGERPRINT, "--for", "4h", "--reason", "known, fix in PR 42"]);
      const listed = await run(["mutes"]);
      const unmuted = await run(["unmute", FINGERPRINT]);
      const empty = await run(["mutes"]);
      const notMuted = await run(["unmute", FINGERPRINT]);
      // Assess
      expect(muted).toEqual({
        code: 0,
        out:
          `Muted ${FINGERPRINT} in ${OTHER_GROUP} (account ${OTHER_ACCOUNT}) for 4h, until 2026-11-30T16:00:00.000Z (by arn:aws:sts::123456789012:assumed-role/oncall/ana: known, fix in PR 42).\n` +
          `Muted ${FINGERPRINT} in ${LOG_GROUP} (account ${ACCOUNT}) for 4h, until 2026-11-30T16:00:00.000Z (by arn:aws:sts::123456789012:assumed-role/oncall/ana: known, fix in PR 42).\n` +
          "Its incidents are still recorded and counted; real-time alerts resume by themselves when the mute ends.\n",
        err: "",
      });
      expect(listed.out.split("\n")).toEqual([
        `Mutes in force at 2026-11-30T12:00:00.000Z (table ${table}, eu-west-1)`,
        "",
        "FINGERPRINT                       LOG GROUP               ACCOUNT       MUTED UNTIL (UTC)         LEFT   SEEN  BY                                                 REASON",
        `${FINGERPRINT}  ${OTHER_GROUP}     ${OTHER_ACCOUNT}  2026-11-30T16:00:00.000Z  4h00m  0     arn:aws:sts::123456789012:assumed-role/oncall/ana  known, fix in PR 42`,
        `${FINGERPRINT}  ${LOG_GROUP}  ${ACCOUNT}  2026-11-30T16:00:00.000Z  4h00m  0     arn:aws:sts::123456789012:assumed-role/oncall/ana  known, fix in PR 42`,
        "",
        "2 mutes.",
        "",
      ]);
      expect(unmuted.out.split("\n").filter(Boolean)).toHaveLength(2);
      expect(empty.out).toContain("No failure is muted.");
      expect(notMuted).toMatchObject({ code: 1, err: `incidents: ${FINGERPRINT} is not muted (see npm run incidents -- mutes)\n` });
      expect((await suppressionItem(client, table, { accountId: ACCOUNT, logGroup: LOG_GROUP, fingerprint: "f".repeat(32) }))?.[A.mutedUntil]).toBeUndefined();
    });

    it("with --log-group, mutes only that log group's scopes; with --account too, that one scope even before it alerted", async () => {
      await writeAlertedOccurrence(client, table, SCOPE, T0 - MINUTE);
      await writeAlertedOccurrence(client, table, { accountId: OTHER_ACCOUNT, logGroup: OTHER_GROUP, fingerprint: FINGERPRINT }, T0 - MINUTE);
      // Act
      const one = await run(["mute", FINGERPRINT, "--for", "30m", "--reason", "deploy", "--log-group", LOG_GROUP]);
      const ahead = await run(["mute", FINGERPRINT, "--for", "30m", "--reason", "deploy", "--log-group", "/aws/lambda/new-fn", "--account", ACCOUNT]);
      // Assess
      expect(one.code).toBe(0);
      expect(one.out).toContain(`Muted ${FINGERPRINT} in ${LOG_GROUP} (account ${ACCOUNT}) for 30m`);
      expect(ahead.out).toContain(`Muted ${FINGERPRINT} in /aws/lambda/new-fn (account ${ACCOUNT}) for 30m`);
      expect((await suppressionItem(client, table, { accountId: OTHER_ACCOUNT, logGroup: OTHER_GROUP, fingerprint: FINGERPRINT }))?.[A.mutedUntil]).toBeUndefined();
      expect((await suppressionItem(client, table, { accountId: ACCOUNT, logGroup: "/aws/lambda/new-fn", fingerprint: FINGERPRINT }))?.[A.mutedUntil]).toEqual({ N: String(T0 + 30 * MINUTE) });
    });

    it.each([
      [[] as string[], `incidents: ${"0".repeat(32)} has not alerted or been counted in any log group; name its log group with --log-group <group> (and --account <id>) to mute it before it does\n`],
      [["--log-group", "/aws/lambda/x"], `incidents: ${"0".repeat(32)} has not alerted or been counted in /aws/lambda/x yet; name its source account with --account <id> to mute it before it does\n`],
    ])("refuses with one line and exit 2 a fingerprint that has no item to mute (%j)", async (flags, line) => {
      const result = await run(["mute", "0".repeat(32), "--for", "4h", "--reason", "x", ...flags]);
      expect(result).toEqual({ code: 2, out: "", err: line });
    });

    it("mutes a log group's storm by the name storm, on the storm item the processor claims", async () => {
      const result = await run(["mute", "storm", "--for", "1h", "--reason", "known noisy deploy", "--log-group", LOG_GROUP, "--account", ACCOUNT]);
      expect(result.code).toBe(0);
      expect(result.out).toContain(`Muted storm in ${LOG_GROUP} (account ${ACCOUNT}) for 1h`);
      expect((await suppressionItem(client, table, { accountId: ACCOUNT, logGroup: LOG_GROUP, fingerprint: "storm" }))?.[A.mutedUntil]).toEqual({ N: String(T0 + 60 * MINUTE) });
    });

    it.each([
      [["mute", FINGERPRINT, "--reason", "x"], "mute needs --for (for example --for 4h)"],
      [["mute", FINGERPRINT, "--for", "4h"], 'mute needs --reason "<why>", so that others know why it is quiet'],
      [["mute", FINGERPRINT, "--for", "31d", "--reason", "x"], "--for 31d is longer than the 30 days a mute may last"],
      [["mute", "abc", "--for", "4h", "--reason", "x"], '"abc" is not a fingerprint (32 lower-case hex characters, as alerts show it) or "storm"'],
      [["mute", FINGERPRINT, "--for", "4 hours", "--reason", "x"], '--for takes a duration such as 30m, 4h or 2d, not "4 hours"'],
      [["mute", FINGERPRINT, "--for", "4h", "--reason", "x", "--log-group", "a b"], '--log-group "a b" is not a log group name (1 to 512 of A-Z a-z 0-9 . - _ / #)'],
      [["mute", FINGERPRINT, "--for", "4h", "--reason", "x", "--account", "12345"], '--account "12345" is not an AWS account id (12 digits)'],
      [["unmute", FINGERPRINT, "--for", "4h"], "unknown argument \"--for\""],
      [["unmute"], "unmute takes one fingerprint"],
    ])("refuses %j with exit 2 and one line", async (args, message) => {
      const result = await run(args);
      expect(result.code).toBe(2);
      expect(result.err).toBe(`incidents: ${message}\n`);
    });

    it("names the alert-suppression table, not the incidents table, when it does not exist", async () => {
      // Act: an environment whose tables were never created in dynalite.
      const result = await run(["mutes"], "nowhere");
      // Assess
      expect(result).toEqual({
        code: 1,
        out: "",
        err:
          "incidents: the alert-suppression table log-monitor-nowhere-alert-suppression does not exist in eu-west-1: " +
          "is the processing stack deployed for LOG_MONITOR_ENV=nowhere, with real-time alerts on (LOG_MONITOR_REALTIME_ALERTS)? " +
          "(Set LOG_MONITOR_ENV and AWS_REGION to the environment and region you deployed.)\n",
      });
    });

    it("prints its usage with --help and exits 0", async () => {
      expect(await run(["mute", "--help"])).toEqual({ code: 0, out: `${MUTE_USAGE}\n`, err: "" });
    });

    it("accepts a mute of exactly 30 days", () => {
      expect(parseMuteArgs(["mute", FINGERPRINT, "--for", "30d", "--reason", "x"])).toMatchObject({ durationMs: 30 * 86_400_000 });
    });
  });
});
