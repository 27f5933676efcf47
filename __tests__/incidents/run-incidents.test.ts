import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { fingerprintMessage } from "../../handlers/log-processor/fingerprint";
import { runIncidentsCommand } from "../../lib/incidents/run-incidents";
import { LocalDynamoDb, startDynalite } from "../support/dynalite";
import { createIncidentsTable } from "../support/incidents-table";
import { DISK_FULL, TIMEOUT_A, writeSampleIncidents } from "../support/sample-incidents";
import { localDynamoDbClient } from "../support/test-dynamodb-client";

const NOW = Date.UTC(2024, 4, 1, 12, 0, 0, 0);
const TIMEOUT = fingerprintMessage(TIMEOUT_A);
const DISK = fingerprintMessage(DISK_FULL);

/** Runs the command in-process against dynalite with a fixed clock; returns exit code and output. */
async function run(client: DynamoDBClient, args: string[], env: Record<string, string> = {}) {
  let stdout = "";
  let stderr = "";
  const code = await runIncidentsCommand(args, {
    env: { LOG_MONITOR_ENV: "test", AWS_REGION: "eu-west-1", ...env },
    createClient: () => client,
    now: () => NOW,
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
  });
  return { code, stdout, stderr };
}

describe("npm run incidents (command core) against dynalite", () => {
  let dynamo: LocalDynamoDb;
  let client: DynamoDBClient;

  beforeAll(async () => {
    dynamo = await startDynalite();
    client = localDynamoDbClient(dynamo.endpoint);
    await createIncidentsTable(client, "log-monitor-test-incidents");
    await writeSampleIncidents(client, "log-monitor-test-incidents", NOW);
  });

  afterAll(async () => {
    client.destroy();
    await dynamo.stop();
  });

  it("lists the test emitter's incidents of the last hour, newest first, by default", async () => {
    // Act
    const result = await run(client, ["--since", "1h"]);
    // Assess
    expect(result).toStrictEqual({
      code: 0,
      stderr: "",
      stdout: [
        "Incidents of log group /aws/lambda/log-monitor-test-test-emitter, newest first, since 2024-05-01T11:00:00.000Z (last 1h)",
        "Table log-monitor-test-incidents (eu-west-1), index by-log-group",
        "(no --log-group or --fingerprint given: the test emitter's log group)",
        "",
        "OCCURRED AT (UTC)         SEVERITY  FINGERPRINT                       ERROR",
        `2024-05-01T11:55:00.000Z  ERROR     ${TIMEOUT}  upstream timeout after 2987 ms calling https://payments.example.com/v1/charge`,
        `2024-05-01T11:50:00.000Z  FATAL     ${DISK}  disk full: /tmp has 0 bytes free`,
        `2024-05-01T11:20:00.000Z  ERROR     ${TIMEOUT}  upstream timeout after 2987 ms calling https://payments.example.com/v1/charge`,
        `2024-05-01T11:10:00.000Z  ERROR     ${TIMEOUT}  upstream timeout after 3001 ms calling https://payments.example.com/v1/charge`,
        "",
        "4 incidents.",
        "",
      ].join("\n"),
    });
  });

  it("groups by fingerprint with counts and first and last seen", async () => {
    // Act
    const result = await run(client, ["--groups"]);
    // Assess
    expect(result).toStrictEqual({
      code: 0,
      stderr: "",
      stdout: [
        "Failures (by fingerprint) among incidents of log group /aws/lambda/log-monitor-test-test-emitter since 2024-04-30T12:00:00.000Z (last 24h)",
        "Table log-monitor-test-incidents (eu-west-1), index by-log-group",
        "(no --log-group or --fingerprint given: the test emitter's log group)",
        "",
        "COUNT  FIRST SEEN (UTC)          LAST SEEN (UTC)           SEVERITY  FINGERPRINT                       ERROR",
        `    4  2024-05-01T09:00:00.000Z  2024-05-01T11:55:00.000Z  ERROR     ${TIMEOUT}  upstream timeout after 2987 ms calling https://payments.example.com/v1/charge`,
        `    1  2024-05-01T11:50:00.000Z  2024-05-01T11:50:00.000Z  FATAL     ${DISK}  disk full: /tmp has 0 bytes free`,
        "",
        "2 failures, 5 incidents.",
        "",
      ].join("\n"),
    });
  });

  it("lists every occurrence of one fingerprint across log groups", async () => {
    // Act
    const result = await run(client, ["--fingerprint", TIMEOUT, "--since", "1h"]);
    // Assess
    expect(result).toStrictEqual({
      code: 0,
      stderr: "",
      stdout: [
        `Occurrences of fingerprint ${TIMEOUT}, newest first, since 2024-05-01T11:00:00.000Z (last 1h)`,
        "Table log-monitor-test-incidents (eu-west-1), index by-fingerprint",
        "",
        "OCCURRED AT (UTC)         SEVERITY  LOG GROUP                                  ERROR",
        "2024-05-01T11:55:00.000Z  ERROR     /aws/lambda/log-monitor-test-test-emitter  upstream timeout after 2987 ms calling https://payments.example.com/v1/charge",
        "2024-05-01T11:40:00.000Z  ERROR     /aws/lambda/orders-api                     upstream timeout after 2987 ms calling https://payments.example.com/v1/charge",
        "2024-05-01T11:39:00.000Z  ERROR     /aws/lambda/orders-api                     upstream timeout after 3001 ms calling https://payments.example.com/v1/charge",
        "2024-05-01T11:20:00.000Z  ERROR     /aws/lambda/log-monitor-test-test-emitter  upstream timeout after 2987 ms calling https://payments.example.com/v1/charge",
        "2024-05-01T11:10:00.000Z  ERROR     /aws/lambda/log-monitor-test-test-emitter  upstream timeout after 3001 ms calling https://payments.example.com/v1/charge",
        "",
        "5 incidents.",
        "",
      ].join("\n"),
    });
  });

  it("stops at --limit and says there are more", async () => {
    // Act
    const result = await run(client, ["--limit", "2", "--since", "2d"]);
    // Assess
    expect(result).toStrictEqual({
      code: 0,
      stderr: "",
      stdout: [
        "Incidents of log group /aws/lambda/log-monitor-test-test-emitter, newest first, since 2024-04-29T12:00:00.000Z (last 2d)",
        "Table log-monitor-test-incidents (eu-west-1), index by-log-group",
        "(no --log-group or --fingerprint given: the test emitter's log group)",
        "",
        "OCCURRED AT (UTC)         SEVERITY  FINGERPRINT                       ERROR",
        `2024-05-01T11:55:00.000Z  ERROR     ${TIMEOUT}  upstream timeout after 2987 ms calling https://payments.example.com/v1/charge`,
        `2024-05-01T11:50:00.000Z  FATAL     ${DISK}  disk full: /tmp has 0 bytes free`,
        "",
        "2 incidents shown; there are more (raise --limit above 2 or shorten --since).",
        "",
      ].join("\n"),
    });
  });

  it("says so when nothing was found", async () => {
    // Act
    const result = await run(client, ["--log-group", "/aws/lambda/quiet", "--fingerprint", DISK]);
    // Assess
    expect(result).toStrictEqual({
      code: 0,
      stderr: "",
      stdout: [
        `Occurrences of fingerprint ${DISK} in log group /aws/lambda/quiet, newest first, since 2024-04-30T12:00:00.000Z (last 24h)`,
        "Table log-monitor-test-incidents (eu-west-1), index by-fingerprint",
        "",
        `No occurrences of fingerprint ${DISK} in log group /aws/lambda/quiet since 2024-04-30T12:00:00.000Z.`,
        "",
      ].join("\n"),
    });
  });

  it("names the table, region and environment when the table does not exist", async () => {
    // Act
    const result = await run(client, [], { LOG_MONITOR_ENV: "staging" });
    // Assess
    expect(result).toStrictEqual({
      code: 1,
      stdout: "",
      stderr:
        "incidents: the incidents table log-monitor-staging-incidents (or its by-log-group index) does not exist in eu-west-1: " +
        "is the processing stack deployed for LOG_MONITOR_ENV=staging? (Set LOG_MONITOR_ENV and AWS_REGION to the environment and region you deployed.)\n",
    });
  });

  it("exits 2 with the reason in one line for a bad argument", async () => {
    // Act
    const result = await run(client, ["--since", "yesterday"]);
    // Assess
    expect(result).toStrictEqual({
      code: 2,
      stdout: "",
      stderr: 'incidents: --since takes a duration such as 30m, 1h or 2d, not "yesterday"\n',
    });
  });

  it("refuses a repeated option instead of letting the last one win", async () => {
    // Act
    const result = await run(client, ["--since", "1h", "--since=2d"]);
    // Assess
    expect(result).toStrictEqual({
      code: 2,
      stdout: "",
      stderr: 'incidents: --since given twice ("1h" and "2d"): give it once\n',
    });
  });

  it("prints one JSON document with --json: the query and the incidents, newest first", async () => {
    // Act
    const result = await run(client, ["--since", "1h", "--json"]);
    // Assess
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    const document = JSON.parse(result.stdout) as { query: Record<string, unknown>; more: boolean; incidents: { fingerprint: string; occurredAt: string }[] };
    expect(document.query).toEqual({
      table: "log-monitor-test-incidents",
      region: "eu-west-1",
      index: "by-log-group",
      since: "2024-05-01T11:00:00.000Z",
      sinceText: "1h",
      defaultLogGroup: true,
    });
    expect(document.more).toBe(false);
    expect(document.incidents.map((incident) => [incident.occurredAt, incident.fingerprint])).toEqual([
      ["2024-05-01T11:55:00.000Z", TIMEOUT],
      ["2024-05-01T11:50:00.000Z", DISK],
      ["2024-05-01T11:20:00.000Z", TIMEOUT],
      ["2024-05-01T11:10:00.000Z", TIMEOUT],
    ]);
  });

  it("prints the failures with their counts with --json --groups", async () => {
    // Act
    const result = await run(client, ["--groups", "--json"]);
    // Assess
    const document = JSON.parse(result.stdout) as { incidentCount: number; failures: { fingerprint: string; count: number }[] };
    expect(document.failures.map((failure) => [failure.fingerprint, failure.count])).toEqual(expect.arrayContaining([[TIMEOUT, 4]]));
    expect(document.incidentCount).toBe(document.failures.reduce((sum, failure) => sum + failure.count, 0));
  });

  it("exits 2 naming the variable for a bad configuration", async () => {
    // Act
    const result = await run(client, [], { LOG_MONITOR_ENV: "Prod" });
    // Assess
    expect(result).toStrictEqual({
      code: 2,
      stdout: "",
      stderr:
        'incidents: LOG_MONITOR_ENV: "Prod" is not a valid environment name: use 1 to 16 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen\n',
    });
  });
});
