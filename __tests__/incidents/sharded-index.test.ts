import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type * as ProcessorModule from "../../handlers/log-processor/index";
import { fromIncidentItem } from "../../handlers/log-processor/incident-item";
import { BY_LOG_GROUP_INDEX, LOG_GROUP_SHARD_COUNT, logGroupShardOf } from "../../handlers/log-processor/incident-schema";
import { runIncidentsCommand } from "../../lib/incidents/run-incidents";
import { REQUEST_ID } from "../fixtures/log-lines";
import { LocalDynamoDb, startDynalite } from "../support/dynalite";
import { createIncidentsTable, queryByLogGroup, queryNewestFirst, scanAll } from "../support/incidents-table";
import { coldStartProcessor, LOCAL_CREDENTIALS, setEnvironment, quietProcessorRecords } from "../support/lambda-environment";
import { dataMessage, logsEvent } from "../support/logs-payload";
import { localDynamoDbClient } from "../support/test-dynamodb-client";

const TABLE = "log-monitor-test-incidents";
const HOT_GROUP = "/aws/lambda/noisy-checkout";
const NOW = Date.UTC(2024, 4, 1, 12, 0, 0, 0);
const ERRORS_PER_DELIVERY = 150;
const DELIVERIES_PER_WRITER = 2;

/** One delivery of the hot group: every line an error with a unique message, one log stream per writer and delivery. */
function hotDelivery(writer: string, delivery: number) {
  const events = Array.from({ length: ERRORS_PER_DELIVERY }, (_, index) => ({
    id: `${writer}${delivery}${String(index).padStart(6, "0")}`,
    // Spread over the last half hour, with collisions of the same millisecond across writers (ties must merge stably).
    timestamp: NOW - 30 * 60_000 + index * 1000,
    message: `2024-05-01T11:30:00.000Z\t${REQUEST_ID}\tERROR\tcheckout failed for order ${writer}-${delivery}-${index}`,
  }));
  return logsEvent(dataMessage(events, { logGroup: HOT_GROUP, logStream: `2024/05/01/[$LATEST]${writer}${delivery}`.padEnd(44, "0") }));
}

/**
 * The sharded by-log-group index, end to end: two processor execution environments (two cold starts of the real
 * handler module, sharing nothing in memory) write one hot log group at the same time into dynalite; then the
 * incidents CLI, which queries every shard in parallel and merges, must list exactly the incidents the table holds,
 * in time order.
 */
describe("sharded by-log-group index: two writers of one hot log group and the incidents CLI", () => {
  quietProcessorRecords();
  let dynamo: LocalDynamoDb;
  let client: DynamoDBClient;
  let restore: () => void;
  let writers: (typeof ProcessorModule.handler)[];

  beforeAll(async () => {
    dynamo = await startDynalite();
    client = localDynamoDbClient(dynamo.endpoint);
    await createIncidentsTable(client, TABLE);
    restore = setEnvironment({
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_REGION: "eu-west-1",
      ...LOCAL_CREDENTIALS,
      INCIDENTS_TABLE_NAME: TABLE,
      REALTIME_ALERTS: "false",
      ALERT_TOPIC_ARN: undefined,
    });
    writers = [coldStartProcessor().handler, coldStartProcessor().handler];
  });

  afterAll(async () => {
    restore();
    client.destroy();
    await dynamo.stop();
  });

  it("spreads the group over every shard, and the CLI lists every stored incident exactly once, newest first", async () => {
    // Prepare / Act: both writers at once
    const info = jest.spyOn(console, "info").mockImplementation(() => undefined);
    try {
      await Promise.all(
        writers.map(async (handler, writer) => {
          for (let delivery = 0; delivery < DELIVERIES_PER_WRITER; delivery++) await handler(hotDelivery(writer === 0 ? "a" : "b", delivery));
        }),
      );
    } finally {
      info.mockRestore();
    }
    let stdout = "";
    const code = await runIncidentsCommand(["--log-group", HOT_GROUP, "--since", "1h", "--limit", "100000"], {
      env: { LOG_MONITOR_ENV: "test", AWS_REGION: "eu-west-1" },
      createClient: () => client,
      now: () => NOW,
      stdout: (text) => void (stdout += text),
      stderr: (text) => void (stdout += text),
    });

    // Assess: the table holds every incident, on every shard
    const stored = (await scanAll(client, TABLE)).map((item) => ({ item, incident: fromIncidentItem(item) }));
    const expectedCount = 2 * DELIVERIES_PER_WRITER * ERRORS_PER_DELIVERY;
    expect(stored).toHaveLength(expectedCount);
    const shards = new Set(stored.map(({ item }) => item.log_group_shard?.S));
    expect(shards).toEqual(new Set(Array.from({ length: LOG_GROUP_SHARD_COUNT }, (_, n) => `${HOT_GROUP}#${n}`)));
    for (const { item, incident } of stored) expect(item.log_group_shard?.S).toBe(`${HOT_GROUP}#${logGroupShardOf(incident.incidentId)}`);

    // ... and the CLI agrees on every one: same rows (time and error), none twice, newest first
    expect(code).toBe(0);
    const rows = stdout.split("\n").filter((line) => /^\d{4}-\d\d-\d\dT/.test(line));
    const listed = rows.map((row) => {
      const [occurredAt, , , ...error] = row.split(/\s{2,}/);
      return `${occurredAt} ${error.join(" ")}`;
    });
    const expected = stored.map(({ incident }) => `${incident.occurredAt} ${incident.message.split("\t").pop()}`);
    expect(listed).toHaveLength(expectedCount);
    expect(new Set(listed).size).toBe(expectedCount);
    expect([...listed].sort()).toEqual([...expected].sort());
    const times = rows.map((row) => row.slice(0, 24));
    expect(times).toEqual([...times].sort().reverse());
    expect(stdout).toContain(`${expectedCount} incidents.`);
  });

  it("would miss incidents if a reader queried the group's key unsharded or one shard only (the merge is needed)", async () => {
    // The same index read as before sharding (partition = the group's name) finds nothing, one shard about a tenth.
    const unsharded = await queryNewestFirst(client, TABLE, BY_LOG_GROUP_INDEX, HOT_GROUP);
    const oneShard = await queryNewestFirst(client, TABLE, BY_LOG_GROUP_INDEX, `${HOT_GROUP}#0`);
    const all = await queryByLogGroup(client, TABLE, HOT_GROUP);
    expect(unsharded).toEqual([]);
    expect(oneShard.length).toBeGreaterThan(0);
    expect(oneShard.length).toBeLessThan(all.length / 3);
    expect(all).toHaveLength(2 * DELIVERIES_PER_WRITER * ERRORS_PER_DELIVERY);
  });

  it("reports more when --limit cuts the merged list, though each shard alone holds fewer", async () => {
    let stdout = "";
    await runIncidentsCommand(["--log-group", HOT_GROUP, "--since", "1h", "--limit", "50"], {
      env: { LOG_MONITOR_ENV: "test", AWS_REGION: "eu-west-1" },
      createClient: () => client,
      now: () => NOW,
      stdout: (text) => void (stdout += text),
      stderr: (text) => void (stdout += text),
    });
    expect(stdout.split("\n").filter((line) => /^\d{4}-\d\d-\d\dT/.test(line))).toHaveLength(50);
    expect(stdout).toContain("50 incidents shown; there are more (raise --limit above 50 or shorten --since).");
  });
});
