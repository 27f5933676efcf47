import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { decodeLogsEvent } from "../../../handlers/log-processor/decode";
import { fingerprintMessage } from "../../../handlers/log-processor/fingerprint";
import { buildIncidents, Incident } from "../../../handlers/log-processor/incident";
import { DynamoDbIncidentStore } from "../../../handlers/log-processor/incident-store";
import { LocalDynamoDb, startDynalite } from "../../support/dynalite";
import { createIncidentsTable, queryByFingerprint, queryByLogGroup } from "../../support/incidents-table";
import { dataMessage, logEvents, logsEvent } from "../../support/logs-payload";
import { localDynamoDbClient } from "../../support/test-dynamodb-client";

const TABLE_NAME = "incidents-indexes";
const T0 = Date.UTC(2024, 4, 1, 12, 0, 0, 0);
const MINUTE = 60_000;
const TIMEOUT = "ERROR: upstream timeout after 3001 ms";
const DISK_FULL = "ERROR: disk full";

/** The incidents of one delivery of `messages` to `logGroup`/`logStream`, `startMs` onwards, one second apart. */
function incidentsOf(logGroup: string, logStream: string, messages: string[], startMs: number): Incident[] {
  const event = logsEvent(dataMessage(logEvents(messages, startMs), { logGroup, logStream }));
  return buildIncidents(decodeLogsEvent(event), { ttlDays: 30 });
}

/**
 * The table's two global secondary indexes answer the questions the README promises with a Query (never a Scan):
 * recent incidents of a log group, and every occurrence of one failure, each newest first.
 */
describe("incidents table indexes against dynalite", () => {
  let dynamo: LocalDynamoDb;
  let client: DynamoDBClient;
  let orders: Incident[];
  let billing: Incident[];

  beforeAll(async () => {
    dynamo = await startDynalite();
    client = localDynamoDbClient(dynamo.endpoint);
    await createIncidentsTable(client, TABLE_NAME);
    // Two groups, both with the timeout failure, written in an order unrelated to time.
    orders = [
      ...incidentsOf("/aws/lambda/orders", "stream-b", [TIMEOUT, DISK_FULL], T0 + 10 * MINUTE),
      ...incidentsOf("/aws/lambda/orders", "stream-a", ["ERROR: upstream timeout after 2987 ms"], T0),
    ];
    billing = incidentsOf(
      "/aws/lambda/billing",
      "stream-a",
      [TIMEOUT, "ERROR: upstream timeout after 12 ms"],
      T0 + 5 * MINUTE,
    );
    const store = new DynamoDbIncidentStore(client, { tableName: TABLE_NAME });
    await store.putAll([...billing, ...orders]);
  });

  afterAll(async () => {
    client.destroy();
    await dynamo.stop();
  });

  it("by-log-group returns one group's incidents only, newest first, across pages and shards", async () => {
    // Act
    const found = await queryByLogGroup(client, TABLE_NAME, "/aws/lambda/orders", 1);
    // Assess
    expect(found.map((incident) => incident.occurredAt)).toEqual([
      "2024-05-01T12:10:01.000Z",
      "2024-05-01T12:10:00.000Z",
      "2024-05-01T12:00:00.000Z",
    ]);
    expect(new Set(found.map((incident) => incident.logGroup))).toEqual(new Set(["/aws/lambda/orders"]));
  });

  it("by-fingerprint returns every occurrence of one failure across groups, newest first, across pages and shards", async () => {
    // Act
    const found = await queryByFingerprint(client, TABLE_NAME, fingerprintMessage(TIMEOUT), 2);
    // Assess
    expect(found.map((incident) => [incident.logGroup, incident.occurredAt])).toEqual([
      ["/aws/lambda/orders", "2024-05-01T12:10:00.000Z"],
      ["/aws/lambda/billing", "2024-05-01T12:05:01.000Z"],
      ["/aws/lambda/billing", "2024-05-01T12:05:00.000Z"],
      ["/aws/lambda/orders", "2024-05-01T12:00:00.000Z"],
    ]);
  });
});
