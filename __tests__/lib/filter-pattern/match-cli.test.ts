import { typescriptArgs } from "../../../lib/cli/run-typescript";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/**
 * End-to-end tests of scripts/match.ts, the offline counterpart of CloudWatch's TestMetricFilter API, run as
 * `npm run match` runs it (with the esbuild loader). They live here because the CLI is the engine's front end.
 */

const ROOT = resolve(__dirname, "../../..");
const SCRIPT = join(ROOT, "scripts", "match.ts");

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runMatch(args: readonly string[], input = ""): Run {
  const result = spawnSync(process.execPath, typescriptArgs(SCRIPT, ...args), {
    cwd: ROOT,
    input,
    encoding: "utf8",
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const LAMBDA_LOG = [
  "START RequestId: 8f5c2a1e Version: $LATEST",
  "2024-05-01T12:00:00.123Z\t8f5c2a1e-3b7d\tINFO\tProcessed 42 records",
  "2024-05-01T12:00:00.456Z\t8f5c2a1e-3b7d\tERROR\tWrite failed: table busy",
  "2024-05-01T12:00:02.000Z\t8f5c2a1e-3b7d\tINFO\tTask timed out after 3.00 seconds",
].join("\n");

describe("npm run match", () => {
  let directory: string;

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), "match-cli-"));
  });

  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it("prints the matching lines of standard input and exits 0", () => {
    // Act
    const run = runMatch(["--pattern", '?ERROR ?"Task timed out"'], `${LAMBDA_LOG}\n`);
    // Assess
    expect(run).toEqual({
      status: 0,
      stdout:
        "2024-05-01T12:00:00.456Z\t8f5c2a1e-3b7d\tERROR\tWrite failed: table busy\n" +
        "2024-05-01T12:00:02.000Z\t8f5c2a1e-3b7d\tINFO\tTask timed out after 3.00 seconds\n",
      stderr: "",
    });
  });

  it("reads a file and, with --json, reports every line with its extracted fields", () => {
    // Prepare: CRLF line ends, as files from Windows have them.
    const file = join(directory, "lambda.log");
    writeFileSync(file, `${LAMBDA_LOG.split("\n").slice(1).join("\r\n")}\r\n`);
    // Act
    const run = runMatch(["--json", "--pattern=[timestamp=*Z, request_id, level=ERROR, message]", file]);
    // Assess
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
    expect(
      run.stdout
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line))
    ).toEqual([
      { line: 1, matched: false, fields: {} },
      {
        line: 2,
        matched: true,
        fields: {
          $timestamp: "2024-05-01T12:00:00.456Z",
          $request_id: "8f5c2a1e-3b7d",
          $level: "ERROR",
          $message: "Write failed: table busy",
        },
      },
      { line: 3, matched: false, fields: {} },
    ]);
  });

  it("treats '-' as standard input and the empty pattern as match-all", () => {
    const run = runMatch(["--pattern", "", "-"], "one\ntwo\n");
    expect(run).toEqual({ status: 0, stdout: "one\ntwo\n", stderr: "" });
  });

  it("exits 1 and prints nothing when no line matches", () => {
    const run = runMatch(["--pattern", "{ $.level = ERROR }"], `${LAMBDA_LOG}\n`);
    expect(run).toEqual({ status: 1, stdout: "", stderr: "" });
  });

  it("exits 1 on empty input", () => {
    expect(runMatch(["--json", "--pattern", "ERROR"], "")).toEqual({ status: 1, stdout: "", stderr: "" });
  });

  it("exits 2 and prints the engine's message for an invalid pattern", () => {
    const run = runMatch(["--pattern", "{ $.level == ERROR }"], `${LAMBDA_LOG}\n`);
    expect(run).toEqual({
      status: 2,
      stdout: "",
      stderr:
        "match: invalid filter pattern: unknown operator '=='; the operators are =, !=, <, <=, >, >= at position 10 " +
        "(0-based)\n  { $.level == ERROR }\n            ^\n",
    });
  });

  it.each([
    [[], "match: --pattern is required"],
    [["--pattern"], "match: --pattern needs a value"],
    [["--pattern", "x", "--verbose"], 'match: unknown argument "--verbose"'],
    [["--pattern", "x", "a.log", "b.log"], 'match: only one FILE can be given, not also "b.log"'],
    [["--pattern", "x", "--pattern", "y"], 'match: --pattern given twice ("x" and "y"): give it once'],
  ])("exits 2 with one line for bad usage %j", (args, message) => {
    const run = runMatch(args);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(`${message}\n`);
  });

  it("exits 2 when the file cannot be read", () => {
    const missing = join(directory, "missing.log");
    const run = runMatch(["--pattern", "ERROR", missing]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(`match: ${missing}: no such file or folder\n`);
  });

  it("exits 2 with one line naming the path when FILE is a folder", () => {
    const run = runMatch(["--pattern", "ERROR", directory]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(`match: ${directory}: is a folder, not a file\n`);
  });

  it("prints usage with --help and exits 0", () => {
    const run = runMatch(["--help"]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("Exit status: 0 when at least one event matched, 1 when none did, 2 for an invalid");
  });
});
