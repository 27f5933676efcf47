import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { AlertMessage } from "../../../handlers/log-processor/alert-message";
import { fingerprintMessage } from "../../../handlers/log-processor/fingerprint";
import { DynamoDbIncidentStore } from "../../../handlers/log-processor/incident-store";
import { processDelivery } from "../../../handlers/log-processor/process-delivery";
import { DynamoDbSuppressionStore } from "../../../handlers/log-processor/suppression-store";
import { closeEpisode, findQuietEpisodes } from "../../../handlers/quiet-notices/episodes";
import { sweepQuietEpisodes } from "../../../handlers/quiet-notices/sweep";
import { muteFailure } from "../../../lib/incidents/mute-store";
import { LocalDynamoDb, startDynalite } from "../../support/dynalite";
import { createIncidentsTable } from "../../support/incidents-table";
import { dataMessage, logEvents, logsEvent } from "../../support/logs-payload";
import { createSuppressionTable } from "../../support/suppression-table";
import { localDynamoDbClient } from "../../support/test-dynamodb-client";

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);
const MINUTE = 60_000;
const LINE = "ERROR: payment gateway timeout after 3001 ms";
const FINGERPRINT = fingerprintMessage(LINE);

/**
 * The quiet-again sweep against dynalite, fed by the processor's real claims (DynamoDbSuppressionStore). SNS has no
 * local server: publishing is a recording function standing in for the Publish call.
 */
describe("quiet-again notices (dynalite; SNS replaced by a recording publisher)", () => {
  let dynamo: LocalDynamoDb;
  let client: DynamoDBClient;
  let n = 0;
  let incidents: string;
  let suppression: string;
  let alerts: AlertMessage[];
  let notices: AlertMessage[];
  let failPublish: number;

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
    incidents = `incidents-${n}`;
    suppression = `suppression-${n}`;
    await createIncidentsTable(client, incidents);
    await createSuppressionTable(client, suppression);
    alerts = [];
    notices = [];
    failPublish = 0;
  });

  /** One delivery of `count` occurrences, processed at `atMs` (the processor's clock). */
  const occur = (atMs: number, count = 1) =>
    processDelivery(
      logsEvent(dataMessage(logEvents(Array.from({ length: count }, () => LINE), atMs), { logGroup: "/aws/lambda/payments", logStream: `s-${atMs}` })),
      {
        store: new DynamoDbIncidentStore(client, { tableName: incidents }),
        ttlDays: 30,
        log: () => undefined,
        now: () => atMs,
        alerting: {
          suppression: new DynamoDbSuppressionStore(client, { tableName: suppression, windowMinutes: 15 }),
          publisher: { publish: async (alert) => void alerts.push(alert) },
          windowMinutes: 15,
          region: "eu-west-1",
          now: () => atMs,
        },
      },
    );
  const sweep = (atMs: number) =>
    sweepQuietEpisodes({
      client,
      suppressionTableName: suppression,
      incidentsTableName: incidents,
      windowMinutes: 15,
      region: "eu-west-1",
      now: () => atMs,
      publish: async (notice) => {
        if (failPublish > 0) {
          failPublish--;
          throw Object.assign(new Error("Throttled"), { name: "ThrottledException" });
        }
        notices.push(notice);
      },
    });

  it("fires once per episode, a whole window after the last occurrence, with the count over the episode", async () => {
    // Prepare: an alert at 12:00, occurrences at 12:05 and 12:10 (counted), a re-alert at 12:20 (the window ended).
    await occur(T0, 2);
    await occur(T0 + 5 * MINUTE);
    await occur(T0 + 10 * MINUTE);
    await occur(T0 + 20 * MINUTE);
    expect(alerts).toHaveLength(2);
    // Act: sweeps before and after 12:35 (last occurrence + 15 minutes), and twice after.
    const early = await sweep(T0 + 34 * MINUTE);
    const due = await sweep(T0 + 36 * MINUTE);
    const again = await sweep(T0 + 41 * MINUTE);
    // Assess
    expect([early.notified, due.notified, again.notified]).toEqual([0, 1, 0]);
    expect(notices).toHaveLength(1);
    expect(notices[0]?.subject).toBe("[RESOLVED] Quiet again: ERROR: payment gateway timeout after 3001 ms (/aws/lambda/payments)");
    expect(notices[0]?.body.split("\n").slice(0, 4)).toEqual([
      "Quiet again: ERROR: payment gateway timeout after 3001 ms",
      "",
      "This failure has not recurred for 15 minutes.",
      "Seen about 5 times over the episode, from its first alert at 2026-11-30T12:00:00.000Z to its last occurrence at 2026-11-30T12:20:00.000Z.",
    ]);
    expect(notices[0]?.attributes).toEqual({ severity: "ERROR", log_group: "/aws/lambda/payments", fingerprint: FINGERPRINT, kind: "quiet-again" });
  });

  it("starts a new episode with the next alert, which gets its own notice", async () => {
    await occur(T0);
    await sweep(T0 + 16 * MINUTE);
    // Act
    await occur(T0 + 60 * MINUTE);
    await sweep(T0 + 76 * MINUTE);
    // Assess
    expect(alerts).toHaveLength(2);
    expect(notices.map((notice) => notice.body.split("\n")[3])).toEqual([
      "Seen about 1 time over the episode, from its first alert at 2026-11-30T12:00:00.000Z to its last occurrence at 2026-11-30T12:00:00.000Z.",
      "Seen about 1 time over the episode, from its first alert at 2026-11-30T13:00:00.000Z to its last occurrence at 2026-11-30T13:00:00.000Z.",
    ]);
  });

  it("sends one notice when two sweeps run at once", async () => {
    await occur(T0);
    // Act
    const [a, b] = await Promise.all([sweep(T0 + 16 * MINUTE), sweep(T0 + 16 * MINUTE)]);
    // Assess
    expect(a.notified + b.notified).toBe(1);
    expect(notices).toHaveLength(1);
  });

  it("sends nothing when the failure recurred between the sweep's read and its close", async () => {
    await occur(T0);
    const [episode] = await findQuietEpisodes(client, suppression, T0 + 16 * MINUTE, T0 + MINUTE);
    await occur(T0 + 16 * MINUTE);
    // Act / Assess
    expect(await closeEpisode(client, suppression, episode as NonNullable<typeof episode>, T0 + 16 * MINUTE)).toBe(false);
  });

  it("reopens the episode when the notice could not be published, and the next sweep sends it", async () => {
    await occur(T0);
    failPublish = 1;
    // Act
    await expect(sweep(T0 + 16 * MINUTE)).rejects.toThrow(`Quiet-again notices failed for 1 episode(s) (${FINGERPRINT}); reopened for the next sweep: Throttled`);
    const retry = await sweep(T0 + 21 * MINUTE);
    // Assess
    expect(retry.notified).toBe(1);
    expect(notices).toHaveLength(1);
  });

  it("waits for a mute to end before saying a muted failure is quiet", async () => {
    await occur(T0);
    await muteFailure(client, suppression, { fingerprint: FINGERPRINT, untilMs: T0 + 60 * MINUTE, by: "ana", reason: "noise", nowMs: T0 + MINUTE });
    // Act
    const muted = await sweep(T0 + 30 * MINUTE);
    const after = await sweep(T0 + 61 * MINUTE);
    // Assess
    expect([muted.notified, after.notified]).toEqual([0, 1]);
  });

  it("sends nothing for a failure that never alerted (real-time alerts off, or only muted)", async () => {
    await muteFailure(client, suppression, { fingerprint: FINGERPRINT, untilMs: T0 + 10 * MINUTE, by: "ana", reason: "noise", nowMs: T0 });
    await occur(T0 + MINUTE);
    // Act
    const result = await sweep(T0 + 60 * MINUTE);
    // Assess
    expect(result).toEqual({ quiet: 0, notified: 0, skipped: 0, deferred: 0 });
  });
});
