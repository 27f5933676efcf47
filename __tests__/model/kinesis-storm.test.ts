/**
 * Storm control per invocation, on the Kinesis transport: one batch whose records together hold thousands of distinct
 * failures publishes at most the configured number of alerts plus one digest (it published one set per record
 * before), pages first; the failures beyond the alert limit are counted into the log group's storm item (one claim,
 * not two writes per failure), announced by the digest, so that the next batch of the same storm stays quiet; and
 * once the storm is over, the quiet-again notices arrive as one summary. Runs the real stores and the real sweeper
 * against dynalite; SNS is a recording publisher here (the model-based test covers the SNS path).
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDbIncidentStore } from "../../handlers/log-processor/incident-store";
import { processKinesisBatch } from "../../handlers/log-processor/kinesis-event";
import { AlertMessage } from "../../handlers/log-processor/alert-message";
import { DynamoDbSuppressionStore } from "../../handlers/log-processor/suppression-store";
import { sweepQuietEpisodes } from "../../handlers/quiet-notices/sweep";
import { LocalDynamoDb, startDynalite } from "../support/dynalite";
import { createIncidentsTable } from "../support/incidents-table";
import { encodeAwslogsData } from "../support/logs-payload";
import { createSuppressionTable } from "../support/suppression-table";
import { localDynamoDbClient } from "../support/test-dynamodb-client";

jest.setTimeout(300_000);

/**
 * 2,000 in `npm test`; `.ci/run` runs it again with `KINESIS_STORM_FAILURES=10000` (the storm: about 30 s on
 * dynalite, two batches of 10,000 incidents).
 */
const FAILURES = Number(process.env.KINESIS_STORM_FAILURES ?? 2_000);
const RECORDS = 10;
/** Every 19th failure is FATAL: more pages than the alert limit, so the alerts must all be pages. */
const PAGE_EVERY = Math.max(1, Math.floor(FAILURES / 11));
const MAX_ALERTS = 10;

/** A distinct message per number (the fingerprint ignores digits, so the words differ). */
function failureMessage(n: number): string {
  let word = "";
  for (let rest = n + 1; rest > 0; rest = Math.floor((rest - 1) / 26)) word = String.fromCharCode(97 + ((rest - 1) % 26)) + word;
  return `${n % PAGE_EVERY === 0 ? "FATAL" : "ERROR"} failure in module ${word} while saving`;
}

function batch(first: number): unknown {
  const perRecord = FAILURES / RECORDS;
  return {
    Records: Array.from({ length: RECORDS }, (_, r) => ({
      eventSource: "aws:kinesis",
      eventID: `shardId-000000000000:${first + r}`,
      kinesis: {
        partitionKey: "orders",
        sequenceNumber: String(49_590_000_000 + first + r),
        data: encodeAwslogsData(
          JSON.stringify({
            messageType: "DATA_MESSAGE",
            owner: "123456789012",
            logGroup: "/aws/lambda/orders-api",
            logStream: "2026/12/02/[$LATEST]0000",
            subscriptionFilters: ["log-monitor-errors"],
            logEvents: Array.from({ length: perRecord }, (_, e) => ({
              id: `${first + r}-${e}`,
              timestamp: 1_764_662_400_000 + e,
              message: failureMessage(r * perRecord + e),
            })),
          }),
        ),
      },
    })),
  };
}

describe(`a ${FAILURES}-failure storm in one Kinesis batch`, () => {
  let dynamo: LocalDynamoDb;
  let client: DynamoDBClient;
  beforeAll(async () => {
    dynamo = await startDynalite();
    client = localDynamoDbClient(dynamo.endpoint);
    await createIncidentsTable(client, "incidents");
    await createSuppressionTable(client, "suppression");
  });
  afterAll(async () => {
    client.destroy();
    await dynamo.stop();
  });

  it("publishes at most the alert limit plus one digest, pages first; the next batch stays quiet; then one quiet-again summary", async () => {
    const published: AlertMessage[] = [];
    let clock = 1_764_662_460_000;
    const dependencies = {
      store: new DynamoDbIncidentStore(client, { tableName: "incidents" }),
      ttlDays: 30,
      log: () => undefined,
      now: () => clock,
      alerting: {
        suppression: new DynamoDbSuppressionStore(client, { tableName: "suppression", windowMinutes: 15 }),
        publisher: { publish: async (message: AlertMessage) => void published.push(message) },
        windowMinutes: 15,
        region: "eu-west-1",
        now: () => clock,
        maxAlertsPerDelivery: MAX_ALERTS,
        concurrency: 32,
      },
    };

    const first = await processKinesisBatch(batch(0), dependencies);

    expect(first.batchItemFailures).toEqual([]);
    expect(published).toHaveLength(MAX_ALERTS + 1);
    const pages = published.slice(0, MAX_ALERTS).filter((m) => m.attributes.severity === "FATAL");
    // 11 or more FATAL failures, so the first 10 alerts are all pages, named one by one.
    expect(pages).toHaveLength(MAX_ALERTS);
    expect(published[MAX_ALERTS]?.body).toContain(`${FAILURES - MAX_ALERTS} more distinct failures`);
    // Every failure is in a published message: the pages by name, the rest counted in the storm the digest announces.
    const pagesTotal = Array.from({ length: FAILURES }, (_, n) => n).filter((n) => n % PAGE_EVERY === 0).length;
    expect(published[MAX_ALERTS]?.body).toContain(
      `Storm: ${FAILURES - pagesTotal - MAX_ALERTS} distinct failures (${FAILURES - pagesTotal - MAX_ALERTS} occurrences) in /aws/lambda/orders-api, account 123456789012`,
    );

    clock += 60_000;
    published.length = 0;
    const second = await processKinesisBatch(batch(RECORDS), dependencies);
    expect(second.batchItemFailures).toEqual([]);
    expect(published).toHaveLength(0);

    // The storm is over: a window later, one sweep sends one summary for every alerted failure and the storm.
    clock += 16 * 60_000;
    const sweep = await sweepQuietEpisodes({
      client,
      suppressionTableName: "suppression",
      incidentsTableName: "incidents",
      windowMinutes: 15,
      region: "eu-west-1",
      publish: async (notice) => void published.push(notice),
      now: () => clock,
    });
    expect(published).toHaveLength(1);
    expect(published[0]?.attributes.fingerprint).toBe("quiet-summary");
    expect(sweep).toMatchObject({ summaries: 1, notified: pagesTotal + MAX_ALERTS + 1, failed: 0 });
    expect(published[0]?.body).toContain("(/aws/lambda/orders-api, account 123456789012; fingerprint storm)");
  });
});
