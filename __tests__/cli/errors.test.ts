import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigurationError } from "../../config/config";
import { explainError, EXIT_FAILURE, EXIT_USAGE, reportError, UsageError } from "../../lib/cli/errors";

/** The error a call throws (the test fails if it does not throw). */
async function thrown(work: () => unknown): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

const named = (name: string, message: string) => Object.assign(new Error(message), { name });

describe("explainError: one line and an exit status for every error a tool meets", () => {
  it("gives a configuration error its variable, value and reason, with exit 2", () => {
    const explained = explainError(new ConfigurationError("LOG_MONITOR_ENV", "Prod", "is not a valid environment name"));
    expect(explained).toEqual({ message: 'LOG_MONITOR_ENV: "Prod" is not a valid environment name', status: EXIT_USAGE, userError: true });
  });

  it("gives bad usage exit 2", () => {
    expect(explainError(new UsageError("unknown option --verbose"))).toEqual({ message: "unknown option --verbose", status: EXIT_USAGE, userError: true });
  });

  it("turns a refused connection from a real SDK call into 'cannot reach <service> in <region>', exit 1", async () => {
    // Prepare: a port that was just free, so nothing listens on it
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    const client = new DynamoDBClient({
      region: "eu-west-1",
      endpoint: `http://127.0.0.1:${port}`,
      maxAttempts: 1,
      credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
    });
    // Act
    const error = await thrown(() => client.send(new ListTablesCommand({})));
    client.destroy();
    // Assess
    expect(explainError(error, { service: "DynamoDB", region: "eu-west-1" })).toEqual({
      message: `cannot reach DynamoDB in eu-west-1: connect ECONNREFUSED 127.0.0.1:${port}, check the network and AWS_REGION`,
      status: EXIT_FAILURE,
      userError: true,
    });
  });

  it("turns a host that does not resolve (a region that does not exist) into the same line", () => {
    // The shape the SDK's Node.js HTTP handler rejects with (seen with AWS_REGION=moon-1 and no network).
    const error = Object.assign(new Error("getaddrinfo ENOTFOUND dynamodb.moon-1.amazonaws.com"), { code: "ENOTFOUND", $metadata: {} });
    expect(explainError(error, { service: "DynamoDB", region: "moon-1" }).message).toBe(
      "cannot reach DynamoDB in moon-1: getaddrinfo ENOTFOUND dynamodb.moon-1.amazonaws.com, check the network and AWS_REGION",
    );
  });

  it("says how to provide credentials when the chain found none, and names the profile when one was set (exit 2)", () => {
    const error = named("CredentialsProviderError", "Could not load credentials from any providers");
    expect(explainError(error).message).toMatch(/^no AWS credentials found\. Provide them the standard way: AWS_PROFILE=<profile>/);
    expect(explainError(error).status).toBe(EXIT_USAGE);
    expect(explainError(error, { profile: "prod-admin" }).message).toMatch(/^AWS profile "prod-admin" gave no credentials: /);
  });

  it("uses the tool's sentence for a missing table or queue, exit 1", () => {
    const missing = "the dead-letter queue log-monitor-prod-log-processor-dlq does not exist in eu-west-1";
    expect(explainError(named("QueueDoesNotExist", "The specified queue does not exist."), { missingResource: missing })).toEqual({
      message: missing,
      status: EXIT_FAILURE,
      userError: true,
    });
    expect(explainError(named("ResourceNotFoundException", "Requested resource not found"), { service: "DynamoDB", region: "eu-west-1" }).message).toBe(
      "DynamoDB in eu-west-1 says the resource does not exist: Requested resource not found",
    );
  });

  it("names the path of a real file-system error, exit 2", async () => {
    // Prepare: a file where a folder is expected, and a file that does not exist
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-errors-"));
    const file = path.join(dir, "plain-file");
    fs.writeFileSync(file, "");
    try {
      // Act
      const notDir = await thrown(() => fs.mkdirSync(path.join(file, "out"), { recursive: true }));
      const missing = await thrown(() => fs.readFileSync(path.join(dir, "missing.log")));
      // Assess
      expect(explainError(notDir)).toEqual({ message: `${path.join(file, "out")}: a part of the path is a file, not a folder`, status: EXIT_USAGE, userError: true });
      expect(explainError(missing).message).toBe(`${path.join(dir, "missing.log")}: no such file or folder`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("shows an error AWS returned with the service that returned it, never the SDK's class name", () => {
    const error = Object.assign(named("ProvisionedThroughputExceededException", "Rate of requests exceeds the allowed throughput."), { $metadata: {} });
    const explained = explainError(error, { service: "DynamoDB", region: "eu-west-1" });
    expect(explained.message).toBe("DynamoDB in eu-west-1 said: Rate of requests exceeds the allowed throughput.");
    expect(explained.message).not.toContain("Exception");
  });

  it("prints one line for a user error, and the stack only for a bug", () => {
    const lines: string[] = [];
    const output = { stderr: (text: string) => lines.push(text) };
    expect(reportError("redrive", new UsageError("--max takes a whole number"), output)).toBe(EXIT_USAGE);
    expect(lines).toEqual(["redrive: --max takes a whole number\n"]);

    lines.length = 0;
    expect(reportError("redrive", new TypeError("cannot read properties of undefined"), output)).toBe(EXIT_FAILURE);
    expect(lines[0]).toBe("redrive: cannot read properties of undefined\n");
    expect(lines[1]).toMatch(/^\s+at /);
  });
});
