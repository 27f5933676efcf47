import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import fc from "fast-check";
import { decodeLogsEvent } from "../../handlers/log-processor/decode";
import { buildIncidents, Incident, incidentIdOf } from "../../handlers/log-processor/incident";
import { fromIncidentItem, toIncidentItem } from "../../handlers/log-processor/incident-item";
import { newestMatchingItem } from "../../handlers/log-processor/incident-index-query";
import {
  BY_FINGERPRINT_INDEX,
  FINGERPRINT_SHARD_COUNT,
  fingerprintShardKeys,
  fingerprintShardOf,
  INCIDENT_ATTRIBUTES,
  LOG_GROUP_SHARD_COUNT,
  logGroupShardOf,
} from "../../handlers/log-processor/incident-schema";
import { DynamoDbIncidentStore } from "../../handlers/log-processor/incident-store";
import { runIncidentsCommand } from "../../lib/incidents/run-incidents";
import { LocalDynamoDb, startDynalite } from "../support/dynalite";
import { createIncidentsTable, queryByFingerprint, queryNewestFirst, scanAll } from "../support/incidents-table";
import { dataMessage, logsEvent } from "../support/logs-payload";
import { localDynamoDbClient } from "../support/test-dynamodb-client";

/**
 * DynamoDB's per-partition limit, which every partition of a table and of each global secondary index has on its own:
 * "each individual partition is limited to 1,000 write units per second and 3,000 read units per second" (Amazon
 * DynamoDB Developer Guide, "Understanding DynamoDB warm throughput in different scenarios",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/warm-throughput-scenarios.html); a GSI that cannot
 * take its updates throttles writes to the base table ("Understanding GSI write throttling and back pressure",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/gsi-throttling.html). An item up to 1 KB costs one
 * write unit ("DynamoDB item sizes and formats").
 */
const PARTITION_WRITE_UNITS_PER_SECOND = 1000;
/** The rate the README promises per log group, here all of it one repeating failure. */
const HOT_FAILURE_INCIDENTS_PER_SECOND = 10_000;

const TABLE = "log-monitor-test-incidents";
const NOW = Date.UTC(2024, 4, 1, 12, 0, 0, 0);
const FAILURE = "ERROR: upstream timeout after 3001 ms calling https://payments.example.com/v1/charge";
const GROUPS = ["/aws/lambda/checkout", "/aws/lambda/payments"];
const OCCURRENCES_PER_GROUP = 800;

/** One group's occurrences of the same failure, one log stream, one event a second up to NOW. */
function occurrences(logGroup: string): Incident[] {
  const events = Array.from({ length: OCCURRENCES_PER_GROUP }, (_, index) => ({
    id: `3800000000000000000000000000000000000000000000000${String(index).padStart(6, "0")}`,
    timestamp: NOW - (OCCURRENCES_PER_GROUP - index) * 1000,
    message: FAILURE,
  }));
  return buildIncidents(decodeLogsEvent(logsEvent(dataMessage(events, { logGroup, logStream: "2024/05/01/[$LATEST]hot" }))), { ttlDays: 30 });
}

describe("by-fingerprint shard key (property-based)", () => {
  // One second of one failure at the README's rate: incident ids are SHA-256 of (group, stream, event id), so any
  // deliveries will do; fast-check draws their names. The hottest shard must stay under one partition's write units.
  it("spreads one second of a failure at 10,000 incidents over every shard, none near one partition's 1,000 writes", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ minLength: 1, maxLength: 40 }), fc.nat(), (group, stream, firstEvent) => {
        const counts = new Array<number>(FINGERPRINT_SHARD_COUNT).fill(0);
        for (let n = 0; n < HOT_FAILURE_INCIDENTS_PER_SECOND; n++) {
          const shard = fingerprintShardOf(incidentIdOf(`/aws/lambda/${group}`, stream, String(firstEvent + n)));
          counts[shard] = (counts[shard] as number) + 1;
        }
        const mean = HOT_FAILURE_INCIDENTS_PER_SECOND / FINGERPRINT_SHARD_COUNT; // 625
        expect(Math.min(...counts)).toBeGreaterThan(mean * 0.8);
        // Items up to 1 KB: one write unit each. 1.25 x the mean is 781, well under 1,000.
        expect(Math.max(...counts)).toBeLessThan(mean * 1.25);
        expect(Math.max(...counts)).toBeLessThan(PARTITION_WRITE_UNITS_PER_SECOND);
      }),
      { numRuns: 20, seed: 17 },
    );
  });

  it("spreads one second of a log group at 10,000 incidents over its 16 by-log-group shards the same way", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.nat(), (stream, firstEvent) => {
        const counts = new Array<number>(LOG_GROUP_SHARD_COUNT).fill(0);
        for (let n = 0; n < HOT_FAILURE_INCIDENTS_PER_SECOND; n++) {
          const shard = logGroupShardOf(incidentIdOf("/aws/lambda/noisy", stream, String(firstEvent + n)));
          counts[shard] = (counts[shard] as number) + 1;
        }
        expect(Math.max(...counts)).toBeLessThan((HOT_FAILURE_INCIDENTS_PER_SECOND / LOG_GROUP_SHARD_COUNT) * 1.25);
        expect(Math.max(...counts)).toBeLessThan(PARTITION_WRITE_UNITS_PER_SECOND);
      }),
      { numRuns: 10, seed: 17 },
    );
  });

  it("gives an incident the same shard every time (a replayed delivery rewrites the same index key), within 0..15", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{64}$/), (id) => {
        const shard = fingerprintShardOf(id);
        expect(shard).toBe(fingerprintShardOf(id));
        expect(Number.isInteger(shard) && shard >= 0 && shard < FINGERPRINT_SHARD_COUNT).toBe(true);
      }),
      { seed: 17 },
    );
    expect(fingerprintShardKeys("f")).toEqual(Array.from({ length: 16 }, (_, n) => `f#${n}`));
  });

  // DynamoDB's model: an index name is 3 to 255 characters of [a-zA-Z0-9_.-] (botocore/data/dynamodb/2012-08-10/
  // service-2.json, shape IndexName: "min":3, "max":255, "pattern":"[a-zA-Z0-9_.-]+"); a key attribute name is 1 to
  // 255 bytes (shape KeySchemaAttributeName: "min":1, "max":255); a partition key value at most 2,048 bytes
  // ("Constraints in Amazon DynamoDB", Partition key length). The shard key adds "#15" to a 32-character fingerprint.
  it("keeps the index within DynamoDB's model: its name, its key attribute, and a shard key's length", () => {
    expect(BY_FINGERPRINT_INDEX.name).toMatch(/^[a-zA-Z0-9_.-]{3,255}$/);
    expect(Buffer.byteLength(BY_FINGERPRINT_INDEX.partitionKey)).toBeLessThanOrEqual(255);
    expect(BY_FINGERPRINT_INDEX.partitionKey).toBe(INCIDENT_ATTRIBUTES.fingerprintShard);
    expect(Buffer.byteLength(fingerprintShardKeys("0123456789abcdef0123456789abcdef")[15] as string)).toBe(35);
  });
});

/**
 * The sharded by-fingerprint index against dynalite: one repeating failure in two groups, written by the processor's
 * store, read back by the incidents CLI (which queries every shard in parallel and merges) and by the test support.
 */
describe("sharded by-fingerprint index: a repeating failure and its readers", () => {
  let dynamo: LocalDynamoDb;
  let client: DynamoDBClient;
  let written: Incident[];
  let fingerprint: string;

  beforeAll(async () => {
    dynamo = await startDynalite();
    client = localDynamoDbClient(dynamo.endpoint);
    await createIncidentsTable(client, TABLE);
    written = GROUPS.flatMap(occurrences);
    fingerprint = written[0]?.fingerprint as string;
    await new DynamoDbIncidentStore(client, { tableName: TABLE }).putAll(written);
  });

  afterAll(async () => {
    client.destroy();
    await dynamo.stop();
  });

  async function run(args: string[]): Promise<{ code: number; stdout: string }> {
    let stdout = "";
    const code = await runIncidentsCommand(args, {
      env: { LOG_MONITOR_ENV: "test", AWS_REGION: "eu-west-1" },
      createClient: () => client,
      now: () => NOW,
      stdout: (text) => void (stdout += text),
      stderr: (text) => void (stdout += text),
    });
    return { code, stdout };
  }

  it("writes one failure's incidents over all 16 shards, each under the key its id gives", async () => {
    // Assess
    expect(new Set(written.map((incident) => incident.fingerprint))).toEqual(new Set([fingerprint]));
    const items = await scanAll(client, TABLE);
    expect(items).toHaveLength(GROUPS.length * OCCURRENCES_PER_GROUP);
    for (const item of items) {
      expect(item.fingerprint_shard?.S).toBe(`${fingerprint}#${fingerprintShardOf(fromIncidentItem(item).incidentId)}`);
    }
    expect(new Set(items.map((item) => item.fingerprint_shard?.S))).toEqual(new Set(fingerprintShardKeys(fingerprint)));
  });

  it("the CLI lists every occurrence exactly once, newest first, and counts them all with --groups", async () => {
    // Act
    const listed = await run(["--fingerprint", fingerprint, "--since", "1h", "--limit", "100000"]);
    const grouped = await run(["--fingerprint", fingerprint, "--since", "1h", "--groups"]);
    // Assess
    expect(listed.code).toBe(0);
    const rows = listed.stdout.split("\n").filter((line) => /^\d{4}-\d\d-\d\dT/.test(line));
    expect(rows).toHaveLength(GROUPS.length * OCCURRENCES_PER_GROUP);
    const times = rows.map((row) => row.slice(0, 24));
    expect(times).toEqual([...times].sort().reverse());
    expect(listed.stdout).toContain(`${GROUPS.length * OCCURRENCES_PER_GROUP} incidents.`);
    expect(grouped.code).toBe(0);
    expect(grouped.stdout).toContain(`1 failure, ${GROUPS.length * OCCURRENCES_PER_GROUP} incidents.`);
  });

  it("with --log-group keeps that group's occurrences only, across every shard", async () => {
    const result = await run(["--fingerprint", fingerprint, "--log-group", GROUPS[1] as string, "--since", "1h", "--limit", "100000"]);
    expect(result.stdout).toContain(`${OCCURRENCES_PER_GROUP} incidents.`);
  });

  it("reports more when --limit cuts the merged list, though each shard alone holds fewer", async () => {
    const result = await run(["--fingerprint", fingerprint, "--since", "1h", "--limit", "60"]);
    expect(result.stdout.split("\n").filter((line) => /^\d{4}-\d\d-\d\dT/.test(line))).toHaveLength(60);
    expect(result.stdout).toContain("60 incidents shown; there are more (raise --limit above 60 or shorten --since).");
  });

  it("would miss occurrences if a reader queried the fingerprint unsharded or one shard only (the merge is needed)", async () => {
    const unsharded = await queryNewestFirst(client, TABLE, BY_FINGERPRINT_INDEX, fingerprint);
    const oneShard = await queryNewestFirst(client, TABLE, BY_FINGERPRINT_INDEX, `${fingerprint}#0`);
    const all = await queryByFingerprint(client, TABLE, fingerprint, 100);
    expect(unsharded).toEqual([]);
    expect(oneShard.length).toBeGreaterThan(0);
    expect(oneShard.length).toBeLessThan(all.length / 8);
    expect(all.map((incident) => incident.incidentId).sort()).toEqual(written.map((incident) => incident.incidentId).sort());
  });

  // The sweeper's question (handlers/quiet-notices/episodes.ts, latestIncident): the newest incident of one failure in
  // its own scope. Its scope's incidents sit on different shards, behind newer ones of other scopes.
  it("newestMatchingItem finds the newest match of a filter across every shard, not the newest of shard 0", async () => {
    // Prepare: ids chosen for their shard (hex digits 8..15 = n gives shard n % 16)
    const other = "fedcba9876543210fedcba9876543210";
    const id = (n: number) => `${"a".repeat(8)}${n.toString(16).padStart(8, "0")}${"0".repeat(48)}`;
    const put = (n: number, logGroup: string, message: string, at: string) =>
      client.send(
        new PutItemCommand({
          TableName: TABLE,
          Item: toIncidentItem({ incidentId: id(n), logGroup, logStream: "s", eventId: String(n), occurredAt: at, timestampMs: Date.parse(at), severity: "ERROR", message, fingerprint: other, expiresAt: 0 }),
        }),
      );
    await put(0, "/aws/lambda/own", "ERROR own, older, shard 0", "2024-05-01T11:00:00.000Z");
    await put(16, "/aws/lambda/other", "ERROR other group, newest, shard 0", "2024-05-01T11:59:00.000Z");
    await put(7, "/aws/lambda/own", "ERROR own, newest, shard 7", "2024-05-01T11:30:00.000Z");
    await put(23, "/aws/lambda/other", "ERROR other group, shard 7", "2024-05-01T11:45:00.000Z");
    const query = (logGroup: string) =>
      newestMatchingItem(client, {
        tableName: TABLE,
        index: BY_FINGERPRINT_INDEX,
        partitionKeys: fingerprintShardKeys(other),
        filterExpression: "#logGroup = :logGroup",
        expressionAttributeNames: { "#logGroup": INCIDENT_ATTRIBUTES.logGroup },
        expressionAttributeValues: { ":logGroup": { S: logGroup } },
        pageSize: 1,
        maxPagesPerShard: 5,
      });
    // Act
    const own = await query("/aws/lambda/own");
    const none = await query("/aws/lambda/none");
    // Assess
    expect(own?.[INCIDENT_ATTRIBUTES.message]?.S).toBe("ERROR own, newest, shard 7");
    expect(own?.[INCIDENT_ATTRIBUTES.fingerprintShard]?.S).toBe(`${other}#7`);
    expect(none).toBeUndefined();
  });
});
