/**
 * The project's command-line tools, found from package.json rather than listed: every npm script that runs
 * `node -r ./scripts/esbuild-register.js scripts/<file>.ts`, and a way to run one as its script does, without an
 * npm start-up per run.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

/** One tool: its npm script name and the file the script runs. */
export interface NpmTool {
  readonly name: string;
  readonly script: string;
}

const TOOL_SCRIPT = /^node -r \.\/scripts\/esbuild-register\.js (scripts\/[\w.-]+\.ts)$/;

/** Every tool of `scripts` (package.json's), in the order package.json lists them. */
export function toolsOf(scripts: Readonly<Record<string, string>>): NpmTool[] {
  return Object.entries(scripts).flatMap(([name, command]) => {
    const match = TOOL_SCRIPT.exec(command.trim());
    return match === null ? [] : [{ name, script: match[1] as string }];
  });
}

/** The tools of this project's package.json. */
export function projectTools(): NpmTool[] {
  const scripts = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  return toolsOf(scripts);
}

/** What a run printed and its exit status. */
export interface ToolRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a tool's script with `args`, in the project folder, on the pinned Node.js (node_modules/.bin first on PATH,
 * as npm puts it), offline (no CDKTF update check, no instance metadata).
 */
export function runTool(tool: NpmTool, args: readonly string[]): Promise<ToolRun> {
  const env: Record<string, string> = { PATH: `${path.join(PROJECT_ROOT, "node_modules", ".bin")}${path.delimiter}${process.env.PATH ?? ""}` };
  for (const name of ["HOME", "TMPDIR", "LANG"]) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, { CI: "true", CHECKPOINT_DISABLE: "1", AWS_EC2_METADATA_DISABLED: "true" });
  return new Promise((resolve, reject) => {
    const child = spawn("node", ["-r", "./scripts/esbuild-register.js", tool.script, ...args], { cwd: PROJECT_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.once("error", reject);
    child.once("close", (status) => resolve({ status, stdout: Buffer.concat(stdout).toString("utf8"), stderr: Buffer.concat(stderr).toString("utf8") }));
  });
}

/**
 * The options a tool's usage line (its first line: the main command, not subcommands) shows with a value
 * (`--since 1h`, `--log-group NAME`, `--pattern '<p>'`, `--only S`): the ones that must be refused when given twice.
 */
export function valueOptionsOf(usage: string): string[] {
  const usageLine = usage.split("\n")[0] ?? "";
  return [...new Set([...usageLine.matchAll(/(?<![\w-])(--[a-z][a-z-]*)[ =](?:[A-Z<'"]|\d)/g)].map((match) => match[1] as string))];
}
