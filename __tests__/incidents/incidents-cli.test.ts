import { execFile } from "node:child_process";
import { typescriptArgs } from "../../lib/cli/run-typescript";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { fingerprintMessage } from "../../handlers/log-processor/fingerprint";
import { LocalDynamoDb, startDynalite } from "../support/dynalite";
import { createIncidentsTable } from "../support/incidents-table";
import { DISK_FULL, TIMEOUT_A, writeSampleIncidents } from "../support/sample-incidents";
import { localDynamoDbClient } from "../support/test-dynamodb-client";

const PROJECT_ROOT = path.resolve(__dirname, "../..");

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `scripts/incidents.ts` as `npm run incidents` does (with the esbuild loader), in its own process with only
 * the given environment (plus PATH), asynchronously so that dynalite in this process keeps answering.
 */
async function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      typescriptArgs("scripts/incidents.ts", ...args),
      {
        cwd: PROJECT_ROOT,
        env: { PATH: process.env.PATH ?? "", ...env },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

/** stderr without the AWS SDK's notice about the Node.js version, which depends on the machine. */
function ownLines(stderr: string): string[] {
  return stderr.split("\n").filter((line) => line.startsWith("incidents:"));
}

describe("npm run incidents, end to end against dynalite (AWS_ENDPOINT_URL_DYNAMODB)", () => {
  let dynamo: LocalDynamoDb;
  let client: DynamoDBClient;
  let home: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dynamo = await startDynalite();
    client = localDynamoDbClient(dynamo.endpoint);
    await createIncidentsTable(client, "log-monitor-test-incidents");
    await writeSampleIncidents(client, "log-monitor-test-incidents", Date.now());
    // An empty home: no ~/.aws files; and no instance metadata service, so a credential chain with nothing to
    // find fails at once instead of reaching for a network address.
    home = mkdtempSync(path.join(tmpdir(), "incidents-cli-"));
    env = {
      HOME: home,
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_REGION: "eu-west-1",
      LOG_MONITOR_ENV: "test",
      AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
      AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    };
  });

  afterAll(async () => {
    client.destroy();
    await dynamo.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it("groups the test emitter's failures of the last hour by fingerprint", async () => {
    // Act
    const result = await runCli(["--since", "1h", "--groups"], env);
    // Assess
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toMatch(
      /^Failures \(by fingerprint\) among incidents of log group \/aws\/lambda\/log-monitor-test-test-emitter since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \(last 1h\)$/,
    );
    expect(lines.slice(1, 4)).toEqual([
      "Table log-monitor-test-incidents (eu-west-1), index by-log-group",
      "(no --log-group or --fingerprint given: the test emitter's log group)",
      "",
    ]);
    expect(lines[4]).toBe(
      "COUNT  FIRST SEEN (UTC)          LAST SEEN (UTC)           SEVERITY  FINGERPRINT                       ERROR",
    );
    expect(
      lines.slice(5, 7).map((line) =>
        line
          .trim()
          .split(/\s{2,}/)
          .filter((_cell, i) => i !== 1 && i !== 2),
      ),
    ).toEqual([
      [
        "3",
        "ERROR",
        fingerprintMessage(TIMEOUT_A),
        "upstream timeout after 2987 ms calling https://payments.example.com/v1/charge",
      ],
      ["1", "FATAL", fingerprintMessage(DISK_FULL), "disk full: /tmp has 0 bytes free"],
    ]);
    expect(lines.slice(7)).toEqual(["", "2 failures, 4 incidents.", ""]);
  });

  it("lists one fingerprint's occurrences in one log group", async () => {
    // Act
    const result = await runCli(
      ["--fingerprint", fingerprintMessage(TIMEOUT_A), "--log-group", "/aws/lambda/orders-api"],
      env,
    );
    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("\nTable log-monitor-test-incidents (eu-west-1), index by-fingerprint\n");
    expect(result.stdout).toContain("\n2 incidents.\n");
    expect(result.stdout).not.toContain("log-monitor-test-test-emitter");
  });

  it("says which table, region and environment when the table does not exist", async () => {
    // Act
    const result = await runCli([], { ...env, LOG_MONITOR_ENV: "nowhere" });
    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(ownLines(result.stderr)).toEqual([
      "incidents: the incidents table log-monitor-nowhere-incidents (or its by-log-group index) does not exist in eu-west-1: " +
        "is the processing stack deployed for LOG_MONITOR_ENV=nowhere? (Set LOG_MONITOR_ENV and AWS_REGION to the environment and region you deployed.)",
    ]);
  });

  it("names an unknown profile and exits 2, without the SDK's error class", async () => {
    // Prepare: an empty home has no ~/.aws/config, so no profile exists
    const { AWS_ACCESS_KEY_ID: _id, AWS_SECRET_ACCESS_KEY: _secret, ...withoutCredentials } = env;
    // Act
    const result = await runCli([], { ...withoutCredentials, AWS_PROFILE: "no-such-profile" });
    // Assess
    expect(result.code).toBe(2);
    expect(ownLines(result.stderr)).toEqual([
      'incidents: AWS profile "no-such-profile" gave no credentials: is it in ~/.aws/config or ~/.aws/credentials ' +
        "(`aws configure list-profiles`), and is its session current (`aws sso login --profile <profile>`)?",
    ]);
    expect(result.stderr).not.toContain("CredentialsProviderError");
  });

  it("says which service and region it cannot reach, in one line, and exits 1", async () => {
    // Act: nothing listens on port 1 of this machine
    const result = await runCli([], { ...env, AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:1" });
    // Assess
    expect(result.code).toBe(1);
    expect(ownLines(result.stderr)).toEqual([
      "incidents: cannot reach DynamoDB in eu-west-1: connect ECONNREFUSED 127.0.0.1:1, check the network and AWS_REGION",
    ]);
    expect(result.stderr.split("\n").filter((line) => /^\s+at /.test(line))).toEqual([]);
  });

  it("says how to provide credentials when there are none", async () => {
    // Prepare
    const { AWS_ACCESS_KEY_ID: _id, AWS_SECRET_ACCESS_KEY: _secret, ...withoutCredentials } = env;
    // Act
    const result = await runCli([], withoutCredentials);
    // Assess: missing credentials are configuration, exit 2 (lib/cli/errors.ts)
    expect(result.code).toBe(2);
    expect(ownLines(result.stderr)).toEqual([
      "incidents: no AWS credentials found. Provide them the standard way: AWS_PROFILE=<profile> (after `aws configure` or " +
        "`aws sso login --profile <profile>`), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for " +
        "temporary credentials), or run where an IAM role is available.",
    ]);
  });
});
