/**
 * Storms (realtime-alerts.ts, "Storms"; docs/alert-state-machine.md, "Storms"): an invocation with more distinct
 * failures that do not page than `maxAlertsPerDelivery + stormThreshold` claims every page and the most frequent
 * others one by one, and counts the rest into its log group's storm item, which goes through the same claim as a
 * failure. Against dynalite; SNS is a recording publisher (what is published is the point, not how).
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import * as fc from "fast-check";
import { AlertMessage } from "../../../handlers/log-processor/alert-message";
import { fingerprintMessage } from "../../../handlers/log-processor/fingerprint";
import { DynamoDbIncidentStore } from "../../../handlers/log-processor/incident-store";
import { processDelivery, ProcessDeliveryDependencies } from "../../../handlers/log-processor/process-delivery";
import { RealtimeAlertError } from "../../../handlers/log-processor/realtime-alerts";
import { FailureScope, failureKeyOf, stormKeyOf } from "../../../handlers/log-processor/suppression-schema";
import { BATCH_GET_LIMIT, DynamoDbSuppressionStore } from "../../../handlers/log-processor/suppression-store";
import { hiddenInStorm, QuietEpisode } from "../../../handlers/quiet-notices/episodes";
import { LocalDynamoDb, startDynalite } from "../../support/dynalite";
import { createIncidentsTable } from "../../support/incidents-table";
import { dataMessage, logEvents, logsEvent } from "../../support/logs-payload";
import { allSuppressionItems, createSuppressionTable, muteInTable } from "../../support/suppression-table";
import { localDynamoDbClient } from "../../support/test-dynamodb-client";

jest.setTimeout(120_000);

const LOG_GROUP = "/aws/lambda/orders-api";
const ACCOUNT = "123456789012";
const T0 = Date.UTC(2026, 11, 2, 8, 0, 0);
const MINUTE = 60_000;

/** A distinct failure per number: letters, not digits (the fingerprint ignores numbers). */
function failureMessage(n: number, level = "ERROR"): string {
  let word = "";
  for (let rest = n + 1; rest > 0; rest = Math.floor((rest - 1) / 26)) word = String.fromCharCode(97 + ((rest - 1) % 26)) + word;
  return `${level} could not save the order in module ${word}`;
}

const scopeOf = (message: string): FailureScope => ({ accountId: ACCOUNT, logGroup: LOG_GROUP, fingerprint: fingerprintMessage(message) });

describe("storms against dynalite", () => {
  let dynamo: LocalDynamoDb;
  let client: DynamoDBClient;
  let tables = 0;
  let incidentsTable: string;
  let suppressionTable: string;
  let published: AlertMessage[];
  let failPublishes: number;
  let clock: number;

  beforeAll(async () => {
    dynamo = await startDynalite();
    client = localDynamoDbClient(dynamo.endpoint);
  });
  afterAll(async () => {
    client.destroy();
    await dynamo.stop();
  });
  /** Fresh tables and an empty publisher for each case (and each generated run). */
  const freshState = async (): Promise<void> => {
    tables++;
    incidentsTable = `storm-incidents-${tables}`;
    suppressionTable = `storm-suppression-${tables}`;
    await createIncidentsTable(client, incidentsTable);
    await createSuppressionTable(client, suppressionTable);
    published = [];
    failPublishes = 0;
    clock = T0;
  };
  beforeEach(freshState);

  const store = () => new DynamoDbSuppressionStore(client, { tableName: suppressionTable, windowMinutes: 15 });
  const dependencies = (maxAlertsPerDelivery: number, stormThreshold: number, suppression = store()): ProcessDeliveryDependencies => ({
    store: new DynamoDbIncidentStore(client, { tableName: incidentsTable }),
    ttlDays: 30,
    log: () => undefined,
    now: () => clock,
    alerting: {
      suppression,
      publisher: {
        publish: async (message) => {
          if (failPublishes > 0) {
            failPublishes--;
            throw Object.assign(new Error("Internal error (injected)"), { name: "InternalError" });
          }
          published.push(message);
        },
      },
      windowMinutes: 15,
      region: "eu-west-1",
      now: () => clock,
      maxAlertsPerDelivery,
      stormThreshold,
    },
  });
  const delivery = (messages: string[]) => logsEvent(dataMessage(logEvents(messages, T0), { logGroup: LOG_GROUP }));

  it("claims every failure up to the threshold, and counts the rest as a storm one failure past it (generated limits)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 6 }), fc.boolean(), async (maxAlerts, threshold, past) => {
        await freshState();
        const failures = maxAlerts + threshold + (past ? 1 : 0);
        const messages = Array.from({ length: failures }, (_, n) => failureMessage(n));

        const summary = await processDelivery(delivery(messages), dependencies(maxAlerts, threshold));

        const items = await allSuppressionItems(client, suppressionTable);
        expect(summary.alerts_published).toBe(maxAlerts + 1);
        expect(summary.alerts_digested).toBe(failures - maxAlerts);
        if (past) {
          // The limit's own failures claimed one by one, the rest in one storm item: maxAlerts + 1 items.
          expect(items.map((item) => item.failure_key?.S).sort()).toEqual(
            [...messages.slice(0, maxAlerts).map((m) => failureKeyOf(scopeOf(m))), stormKeyOf({ accountId: ACCOUNT, logGroup: LOG_GROUP })].sort(),
          );
          expect(published[maxAlerts]?.body).toContain(`Storm: ${failures - maxAlerts} distinct failures (${failures - maxAlerts} occurrences) in ${LOG_GROUP}, account ${ACCOUNT}`);
        } else {
          expect(items).toHaveLength(failures);
          expect(published[maxAlerts]?.body).not.toContain("Storm:");
        }
        expect(items.every((item) => item.alert_state?.S === "sent")).toBe(true);
      }),
      { seed: 20261202, numRuns: 12 },
    );
  });

  it("pages every FATAL by name even in a storm, and names no muted or already alerted failure in the digest", async () => {
    // Prepare: 1 alert per invocation, threshold 2; a FATAL, 5 ERRORs; one ERROR muted, one alerted before.
    const fatal = failureMessage(100, "FATAL");
    const errors = Array.from({ length: 5 }, (_, n) => failureMessage(n));
    await muteInTable(client, suppressionTable, scopeOf(errors[3] as string), { untilMs: T0 + 60 * MINUTE, nowMs: T0 });
    await processDelivery(delivery([errors[4] as string]), dependencies(1, 2));
    published = [];
    // Act: errors[0] is the most frequent; the others (1 to 4) are the storm.
    const summary = await processDelivery(delivery([fatal, errors[0] as string, errors[0] as string, ...errors.slice(1)]), dependencies(1, 2));
    // Assess: the page, then the most frequent ERROR in the digest (the limit is 1), and the storm.
    expect(published.map((m) => m.attributes.fingerprint)).toEqual([fingerprintMessage(fatal), "digest"]);
    const digest = published[1]?.body ?? "";
    expect(digest).toContain(`Storm: 4 distinct failures (4 occurrences) in ${LOG_GROUP}, account ${ACCOUNT}`);
    for (const named of [errors[1], errors[2]]) expect(digest).toContain(`fingerprint ${fingerprintMessage(named as string)} in ${LOG_GROUP}`);
    expect(digest).not.toContain(fingerprintMessage(errors[3] as string)); // muted
    expect(digest).not.toContain(fingerprintMessage(errors[4] as string)); // alerted within its window
    expect(summary).toMatchObject({ alerts_published: 2 });
  });

  it("counts a storm already announced within its window without a new digest, and announces it again after", async () => {
    const messages = Array.from({ length: 8 }, (_, n) => failureMessage(n));
    await processDelivery(delivery(messages), dependencies(1, 2));
    expect(published.map((m) => m.attributes.fingerprint)).toEqual([fingerprintMessage(messages[0] as string), "digest"]);
    published = [];
    // Within the window: the top failure is sent, the storm announced: nothing to publish.
    clock = T0 + 5 * MINUTE;
    const again = await processDelivery(delivery(messages), dependencies(1, 2));
    expect(published).toEqual([]);
    expect(again).toMatchObject({ alerts_published: 0, alerts_suppressed: 8 });
    // After the window: both alert again.
    clock = T0 + 16 * MINUTE;
    await processDelivery(delivery(messages), dependencies(1, 2));
    expect(published.map((m) => m.attributes.fingerprint)).toEqual([fingerprintMessage(messages[0] as string), "digest"]);
  });

  it("counts a muted storm (`npm run incidents -- mute storm --log-group G --account A`) without a digest", async () => {
    const messages = Array.from({ length: 8 }, (_, n) => failureMessage(n));
    await muteInTable(client, suppressionTable, { accountId: ACCOUNT, logGroup: LOG_GROUP, fingerprint: "storm" }, { untilMs: T0 + 60 * MINUTE, nowMs: T0 });
    const summary = await processDelivery(delivery(messages), dependencies(1, 2));
    expect(published.map((m) => m.attributes.fingerprint)).toEqual([fingerprintMessage(messages[0] as string)]);
    expect(summary).toMatchObject({ alerts_published: 1, alerts_suppressed: 7 });
  });

  it("fails every failure of a storm whose digest SNS refuses, releases the storm, and the retry announces it", async () => {
    const messages = Array.from({ length: 8 }, (_, n) => failureMessage(n));
    failPublishes = 2;
    const failure = await processDelivery(delivery(messages), dependencies(1, 2)).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RealtimeAlertError);
    // Every failure of the storm is named as not alerted, so the delivery is retried for each.
    for (const message of messages) expect((failure as RealtimeAlertError).failureKeys.has(failureKeyOf(scopeOf(message)))).toBe(true);
    const storm = (await allSuppressionItems(client, suppressionTable)).find((item) => item.fingerprint?.S === "storm");
    expect(storm?.alert_state).toBeUndefined(); // released: the retry announces it at once
    await processDelivery(delivery(messages), dependencies(1, 2));
    expect(published.map((m) => m.attributes.fingerprint)).toEqual([fingerprintMessage(messages[0] as string), "digest"]);
  });

  it("fails the storm's failures while another live owner holds the storm's lease", async () => {
    const messages = Array.from({ length: 8 }, (_, n) => failureMessage(n));
    await store().claim({ accountId: ACCOUNT, logGroup: LOG_GROUP, fingerprint: "storm" }, 1, clock, "another-invocation", clock + MINUTE);
    const failure = await processDelivery(delivery(messages), dependencies(1, 2)).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RealtimeAlertError);
    expect((failure as Error).message).toContain("another invocation holds its log group's storm lease");
    expect([...(failure as RealtimeAlertError).failureKeys]).not.toContain(failureKeyOf(scopeOf(messages[0] as string)));
    expect((failure as RealtimeAlertError).failureKeys.size).toBe(7);
  });

  it(`reads any number of failure states in requests of at most ${BATCH_GET_LIMIT} keys, duplicates once`, async () => {
    // BatchGetItem takes 1 to 100 keys, no duplicates (botocore dynamodb 2012-08-10 service-2.json, KeyList max 100);
    // dynalite refuses more than 100 as DynamoDB does.
    const messages = Array.from({ length: BATCH_GET_LIMIT + 1 }, (_, n) => failureMessage(n));
    const suppression = store();
    await suppression.claim(scopeOf(messages[0] as string), 1, clock, "owner-a", clock + MINUTE);
    await suppression.confirm(scopeOf(messages[0] as string), "owner-a");
    await suppression.claim(scopeOf(messages[1] as string), 1, clock, "owner-b", clock + MINUTE);
    await muteInTable(client, suppressionTable, scopeOf(messages[2] as string), { untilMs: clock + MINUTE, nowMs: clock });

    const states = await suppression.readAlertStates([...messages, ...messages.slice(0, 5)].map(scopeOf), clock);

    expect(states.size).toBe(BATCH_GET_LIMIT + 1);
    expect(states.get(failureKeyOf(scopeOf(messages[0] as string)))).toBe("sent");
    expect(states.get(failureKeyOf(scopeOf(messages[1] as string)))).toBe("held");
    expect(states.get(failureKeyOf(scopeOf(messages[2] as string)))).toBe("muted");
    expect(states.get(failureKeyOf(scopeOf(messages[BATCH_GET_LIMIT] as string)))).toBe("quiet");
    // At the window's end the sent failure is quiet again.
    const later = await suppression.readAlertStates([scopeOf(messages[0] as string)], clock + 15 * MINUTE + 1);
    expect(later.get(failureKeyOf(scopeOf(messages[0] as string)))).toBe("quiet");
  });
});

describe("hiddenInStorm: the sweeper holds back a failure's notice while its log group's storm goes on", () => {
  const QUIET_SINCE = T0;
  const episode = (lastSeenAtMs: number, fingerprint = "0123456789abcdef0123456789abcdef"): QuietEpisode => ({
    failureKey: failureKeyOf({ accountId: ACCOUNT, logGroup: LOG_GROUP, fingerprint }),
    fingerprint,
    logGroup: LOG_GROUP,
    accountId: ACCOUNT,
    count: 1,
    startedAtMs: lastSeenAtMs,
    lastSeenAtMs,
  });
  const storms = (lastSeen: number) => new Map([[stormKeyOf({ accountId: ACCOUNT, logGroup: LOG_GROUP }), lastSeen]]);

  it("holds it back when the storm was seen after it and within the quiet period (the edges included)", () => {
    expect(hiddenInStorm(episode(QUIET_SINCE - 10 * MINUTE), storms(QUIET_SINCE), QUIET_SINCE)).toBe(true);
    expect(hiddenInStorm(episode(QUIET_SINCE - 10 * MINUTE), storms(QUIET_SINCE - 1), QUIET_SINCE)).toBe(false); // storm quiet too
    expect(hiddenInStorm(episode(QUIET_SINCE - 10 * MINUTE), storms(QUIET_SINCE - 10 * MINUTE), QUIET_SINCE)).toBe(false); // not after it
    expect(hiddenInStorm(episode(QUIET_SINCE - 10 * MINUTE), new Map(), QUIET_SINCE)).toBe(false); // no storm
    // Another log group's or account's storm does not hold it back.
    const other = new Map([[stormKeyOf({ accountId: "210987654321", logGroup: LOG_GROUP }), QUIET_SINCE + MINUTE]]);
    expect(hiddenInStorm(episode(QUIET_SINCE - 10 * MINUTE), other, QUIET_SINCE)).toBe(false);
    // The storm's own notice is never held back by itself.
    expect(hiddenInStorm(episode(QUIET_SINCE - 10 * MINUTE, "storm"), storms(QUIET_SINCE + MINUTE), QUIET_SINCE)).toBe(false);
  });
});
