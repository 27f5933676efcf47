import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { AlertMessage } from "../../handlers/log-processor/alert-message";
import { fingerprintMessage } from "../../handlers/log-processor/fingerprint";
import { DynamoDbIncidentStore } from "../../handlers/log-processor/incident-store";
import { processDelivery, ProcessDeliveryDependencies } from "../../handlers/log-processor/process-delivery";
import { AlertPublisher } from "../../handlers/log-processor/realtime-alerts";
import { DynamoDbSuppressionStore } from "../../handlers/log-processor/suppression-store";
import { MuteClient, muteFailure, unmuteFailure } from "../../lib/incidents/mute-store";
import { MUTE_USAGE, parseMuteArgs, runMuteCommand } from "../../lib/incidents/mute-command";
import { LocalDynamoDb, startDynalite } from "../support/dynalite";
import { createIncidentsTable, readAllIncidents } from "../support/incidents-table";
import { dataMessage, logEvents, logsEvent } from "../support/logs-payload";
import { createSuppressionTable, suppressionItem } from "../support/suppression-table";
import { localDynamoDbClient } from "../support/test-dynamodb-client";

const LOG_GROUP = "/aws/lambda/orders-api";
const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);
const MINUTE = 60_000;
const TIMEOUT = "ERROR: upstream timeout after 3001 ms";
const FINGERPRINT = fingerprintMessage(TIMEOUT);

/** SNS has no local server; this stands in for the publisher and records what would have been sent. */
class RecordingPublisher implements AlertPublisher {
  readonly alerts: AlertMessage[] = [];
  async publish(alert: AlertMessage): Promise<void> {
    this.alerts.push(alert);
  }
}

/** Counts the DynamoDB requests the processor makes, by operation. */
function countingClient(client: DynamoDBClient): { client: DynamoDBClient; counts: Map<string, number> } {
  const counts = new Map<string, number>();
  const counting = new Proxy(client, {
    get(target, property, receiver) {
      if (property !== "send") return Reflect.get(target, property, receiver);
      return (command: { constructor: { name: string } }) => {
        counts.set(command.constructor.name, (counts.get(command.constructor.name) ?? 0) + 1);
        return (target.send as (c: unknown) => Promise<unknown>)(command);
      };
    },
  });
  return { client: counting, counts };
}

describe("mutes, against dynalite (SNS replaced by a recording publisher)", () => {
  let dynamo: LocalDynamoDb;
  let client: DynamoDBClient;
  let n = 0;
  let incidentsTable: string;
  let suppressionTable: string;
  let publisher: RecordingPublisher;
  let clock: number;
  let logged: string[];

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
    incidentsTable = `incidents-${n}`;
    suppressionTable = `alert-suppression-${n}`;
    await createIncidentsTable(client, incidentsTable);
    await createSuppressionTable(client, suppressionTable);
    publisher = new RecordingPublisher();
    clock = T0;
    logged = [];
  });

  const dependencies = (dynamoClient: DynamoDBClient = client): ProcessDeliveryDependencies => ({
    store: new DynamoDbIncidentStore(dynamoClient, { tableName: incidentsTable }),
    ttlDays: 30,
    log: (line) => logged.push(line),
    now: () => clock,
    alerting: {
      suppression: new DynamoDbSuppressionStore(dynamoClient, { tableName: suppressionTable, windowMinutes: 15 }),
      publisher,
      windowMinutes: 15,
      region: "eu-west-1",
      now: () => clock,
      newOwnerId: () => `invocation-${clock}`,
    },
  });
  const delivery = (atMs: number, count = 1) =>
    logsEvent(dataMessage(logEvents(Array.from({ length: count }, () => TIMEOUT), atMs), { logGroup: LOG_GROUP, logStream: `2026/11/30/[$LATEST]${atMs}` }));

  it("records and counts a muted failure's incidents, publishes nothing until the mute ends, then alerts once", async () => {
    // Prepare: muted for 4 hours from T0.
    await muteFailure(client, suppressionTable, { fingerprint: FINGERPRINT, untilMs: T0 + 240 * MINUTE, by: "arn:aws:iam::123456789012:user/ana", reason: "known, fix in PR 42", nowMs: T0 });
    // Act: occurrences during the mute, the last one a minute before it ends.
    clock = T0 + MINUTE;
    const first = await processDelivery(delivery(clock, 3), dependencies());
    clock = T0 + 239 * MINUTE;
    const second = await processDelivery(delivery(clock, 2), dependencies());
    // Assess
    expect(publisher.alerts).toEqual([]);
    expect([first.incidents_created, second.incidents_created]).toEqual([3, 2]);
    expect(await readAllIncidents(client, incidentsTable)).toHaveLength(5);
    expect([first.alerts_suppressed, second.alerts_suppressed]).toEqual([1, 1]);
    expect(JSON.parse(logged[0] as string)).toMatchObject({ alerts_published: 0, alerts_muted: 1 });
    expect((await suppressionItem(client, suppressionTable, FINGERPRINT))?.approx_seen_count).toEqual({ N: "5" });

    // Act: the mute ended by itself (no request ended it); the next occurrence alerts.
    clock = T0 + 241 * MINUTE;
    const after = await processDelivery(delivery(clock), dependencies());
    // Assess
    expect(after.alerts_published).toBe(1);
    expect(publisher.alerts.map((a) => a.attributes.fingerprint)).toEqual([FINGERPRINT]);
  });

  it("checks the mute with the claim it already makes: a muted failure costs the requests a suppressed one does", async () => {
    // Prepare: one failure alerted (its window is open), then the same failure muted in another table.
    const open = countingClient(client);
    await processDelivery(delivery(T0), dependencies());
    clock = T0 + MINUTE;
    await processDelivery(delivery(clock), dependencies(open.client));
    const suppressedCounts = new Map(open.counts);
    const mutedTable = `${suppressionTable}-muted`;
    await createSuppressionTable(client, mutedTable);
    await muteFailure(client, mutedTable, { fingerprint: FINGERPRINT, untilMs: T0 + 60 * MINUTE, by: "ana", reason: "noise", nowMs: T0 });
    const muted = countingClient(client);
    suppressionTable = mutedTable;
    // Act
    await processDelivery(delivery(clock), dependencies(muted.client));
    // Assess: one BatchWriteItem for the incident, two UpdateItems (the failed claim, the count): no read of the mute.
    expect(Object.fromEntries(muted.counts)).toEqual({ BatchWriteItemCommand: 1, UpdateItemCommand: 2 });
    expect(Object.fromEntries(muted.counts)).toEqual(Object.fromEntries(suppressedCounts));
  });

  it("keeps an alerted window when muting and unmuting: unmute ends the mute, not the window", async () => {
    // Prepare
    await processDelivery(delivery(T0), dependencies());
    await muteFailure(client, suppressionTable, { fingerprint: FINGERPRINT, untilMs: T0 + 60 * MINUTE, by: "ana", reason: "noise", nowMs: T0 });
    // Act
    const unmuted = await unmuteFailure(client, suppressionTable, FINGERPRINT);
    const again = await unmuteFailure(client, suppressionTable, FINGERPRINT);
    clock = T0 + 5 * MINUTE;
    const within = await processDelivery(delivery(clock), dependencies());
    // Assess
    expect([unmuted, again]).toEqual([true, false]);
    expect(within.alerts_published).toBe(0);
    const item = await suppressionItem(client, suppressionTable, FINGERPRINT);
    expect(item?.alert_state).toEqual({ S: "sent" });
    expect(item?.muted_until).toBeUndefined();
  });

  it("keeps a muted failure out of a storm's alerts and digest too (the storm's one batched read sees the mute)", async () => {
    // Prepare: three failures in one delivery, one alert allowed per delivery; the most frequent one is muted.
    await muteFailure(client, suppressionTable, { fingerprint: FINGERPRINT, untilMs: T0 + 60 * MINUTE, by: "ana", reason: "noise", nowMs: T0 });
    const deps = dependencies();
    const storm = { ...deps, alerting: { ...(deps.alerting as NonNullable<typeof deps.alerting>), maxAlertsPerDelivery: 1 } };
    const event = logsEvent(
      dataMessage(logEvents([TIMEOUT, TIMEOUT, TIMEOUT, "ERROR: disk full", "ERROR: queue depth 9000"], T0), { logGroup: LOG_GROUP, logStream: "storm" }),
    );
    // Act
    const summary = await processDelivery(event, storm);
    // Assess: one alert, one digest of the other unmuted failure; the muted one in neither.
    expect(summary).toMatchObject({ incidents_created: 5, alerts_published: 2, alerts_digested: 1, alerts_suppressed: 1 });
    expect(publisher.alerts.map((alert) => alert.attributes.fingerprint)).not.toContain(FINGERPRINT);
    expect(publisher.alerts.map((alert) => alert.body).join("\n")).not.toContain(FINGERPRINT);
  });

  describe("npm run incidents -- mute | unmute | mutes", () => {
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

    beforeAll(async () => {
      await createSuppressionTable(client, "log-monitor-test-alert-suppression");
    });

    it("mutes with who, why and until when, lists it, and unmutes it", async () => {
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
          `Muted ${FINGERPRINT} for 4h, until 2026-11-30T16:00:00.000Z (by arn:aws:sts::123456789012:assumed-role/oncall/ana: known, fix in PR 42).\n` +
          "Its incidents are still recorded and counted; real-time alerts resume by themselves when the mute ends.\n",
        err: "",
      });
      expect(listed.out.split("\n")).toEqual([
        "Mutes in force at 2026-11-30T12:00:00.000Z (table log-monitor-test-alert-suppression, eu-west-1)",
        "",
        "FINGERPRINT                       MUTED UNTIL (UTC)         LEFT   SEEN  BY                                                 REASON",
        `${FINGERPRINT}  2026-11-30T16:00:00.000Z  4h00m  0     arn:aws:sts::123456789012:assumed-role/oncall/ana  known, fix in PR 42`,
        "",
        "1 mute.",
        "",
      ]);
      expect(unmuted.code).toBe(0);
      expect(empty.out).toContain("No failure is muted.");
      expect(notMuted).toMatchObject({ code: 1, err: `incidents: ${FINGERPRINT} is not muted (see npm run incidents -- mutes)\n` });
    });

    it.each([
      [["mute", FINGERPRINT, "--reason", "x"], "mute needs --for (for example --for 4h)"],
      [["mute", FINGERPRINT, "--for", "4h"], 'mute needs --reason "<why>", so that others know why it is quiet'],
      [["mute", FINGERPRINT, "--for", "31d", "--reason", "x"], "--for 31d is longer than the 30 days a mute may last"],
      [["mute", "abc", "--for", "4h", "--reason", "x"], '"abc" is not a fingerprint (32 lower-case hex characters, as alerts show it)'],
      [["mute", FINGERPRINT, "--for", "4 hours", "--reason", "x"], '--for takes a duration such as 30m, 4h or 2d, not "4 hours"'],
      [["unmute"], "unmute takes one fingerprint"],
    ])("refuses %j with exit 2 and one line", async (args, message) => {
      const result = await run(args);
      expect(result.code).toBe(2);
      expect(result.err).toBe(`incidents: ${message}\n`);
    });

    it("prints its usage with --help and exits 0", async () => {
      expect(await run(["mute", "--help"])).toEqual({ code: 0, out: `${MUTE_USAGE}\n`, err: "" });
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

    it("accepts a mute of exactly 30 days", () => {
      expect(parseMuteArgs(["mute", FINGERPRINT, "--for", "30d", "--reason", "x"])).toMatchObject({ durationMs: 30 * 86_400_000 });
    });
  });
});
