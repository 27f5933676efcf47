import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { decodeLogsEvent } from "../../handlers/log-processor/decode";
import { fingerprintMessage } from "../../handlers/log-processor/fingerprint";
import { buildIncidents } from "../../handlers/log-processor/incident";
import { DynamoDbIncidentStore } from "../../handlers/log-processor/incident-store";
import { runIncidentsCommand } from "../../lib/incidents/run-incidents";
import { LocalDynamoDb, startDynalite } from "../support/dynalite";
import { createIncidentsTable } from "../support/incidents-table";
import { dataMessage, logsEvent } from "../support/logs-payload";
import { localDynamoDbClient } from "../support/test-dynamodb-client";

const NOW = Date.UTC(2024, 4, 1, 12, 0, 0, 0);
const TABLE = "log-monitor-test-incidents";
const GROUP = "/aws/lambda/checkout";
const LINE_A = "2024-05-01T12:00:00.000Z\tr-1\tERROR\tcard network unreachable\n";
const LINE_B = "2024-05-01T12:00:00.000Z\tr-2\tERROR\tinventory lock timeout\n";

async function run(client: DynamoDBClient, args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runIncidentsCommand(args, {
    env: { LOG_MONITOR_ENV: "test", AWS_REGION: "eu-west-1" },
    createClient: () => client,
    now: () => NOW,
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
  });
  return { code, stdout, stderr };
}

// Cross-account delivery: CloudWatch Logs puts the source account in each delivery's `owner` (CloudWatch Logs User
// Guide, "Subscription filters", log data format). Two accounts with a log group of the same name share the
// by-log-group partitions; --account tells them apart, filtering on the client.
describe("npm run incidents --account (cross-account incidents) against dynalite", () => {
  let dynamo: LocalDynamoDb;
  let client: DynamoDBClient;

  beforeAll(async () => {
    dynamo = await startDynalite();
    client = localDynamoDbClient(dynamo.endpoint);
    await createIncidentsTable(client, TABLE);
    const delivery = (owner: string, stream: string, events: [number, string][]) =>
      buildIncidents(
        decodeLogsEvent(
          logsEvent(
            dataMessage(
              events.map(([minutesAgo, message], i) => ({ id: `3800000000000000000000000000000000000000000000000${owner.slice(0, 1)}${String(i).padStart(6, "0")}`, timestamp: NOW - minutesAgo * 60_000, message })),
              { owner, logGroup: GROUP, logStream: stream },
            ),
          ),
        ),
        { ttlDays: 30 },
      );
    // The newest incidents are account 2's, so a filter applied after the limit would find none of account 1's.
    await new DynamoDbIncidentStore(client, { tableName: TABLE }).putAll([
      ...delivery("111111111111", "s-1", [[30, LINE_A], [20, LINE_A]]),
      ...delivery("222222222222", "s-2", [[10, LINE_B], [5, LINE_B], [1, LINE_B]]),
    ]);
  });

  afterAll(async () => {
    client.destroy();
    await dynamo.stop();
  });

  it("shows an ACCOUNT column when a log group's incidents come from several accounts", async () => {
    const result = await run(client, ["--log-group", GROUP, "--since", "1h"]);
    expect(result.code).toBe(0);
    const rows = result.stdout.split("\n").filter((line) => line.startsWith("2024-"));
    expect(result.stdout).toContain("ACCOUNT");
    expect(rows.map((row) => row.split(/\s{2,}/)[3])).toEqual(["222222222222", "222222222222", "222222222222", "111111111111", "111111111111"]);
  });

  it("lists only the given account's incidents, and skipped ones do not use up --limit", async () => {
    const result = await run(client, ["--log-group", GROUP, "--since", "1h", "--account", "111111111111", "--limit", "2"]);
    expect(result).toStrictEqual({
      code: 0,
      stderr: "",
      stdout: [
        `Incidents of log group ${GROUP}, newest first, since 2024-05-01T11:00:00.000Z (last 1h)`,
        "Table log-monitor-test-incidents (eu-west-1), index by-log-group",
        "Only account 111111111111 (filtered after reading the index)",
        "",
        "OCCURRED AT (UTC)         SEVERITY  FINGERPRINT                       ERROR",
        `2024-05-01T11:40:00.000Z  ERROR     ${fingerprintMessage(LINE_A)}  card network unreachable`,
        `2024-05-01T11:30:00.000Z  ERROR     ${fingerprintMessage(LINE_A)}  card network unreachable`,
        "",
        "2 incidents.",
        "",
      ].join("\n"),
    });
  });

  it("filters a fingerprint query too, and says so when the account has none", async () => {
    const result = await run(client, ["--fingerprint", fingerprintMessage(LINE_B), "--account", "111111111111"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("No ");
  });

  it.each([
    [["--log-group", GROUP, "--account", "1111"], 'incidents: --account takes a 12-digit AWS account id, not "1111"'],
    [["--account", "111111111111"], "incidents: --account filters a --log-group or --fingerprint query (no index is keyed by account); add one of them"],
  ])("refuses %j with one line and usage", async (args, line) => {
    const result = await run(client, args);
    expect(result.code).toBe(2);
    expect(result.stderr.split("\n")[0]).toBe(line);
  });
});
