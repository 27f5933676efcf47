import { ChildProcess, execFile, spawn } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";

/** The project's root folder. */
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

/** A dynalite server in a process of its own. */
export interface DynaliteProcess {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts dynalite (in memory, tables ACTIVE at once) in its own Node.js process on 127.0.0.1, so that the server's
 * work does not share the benchmark's event loop and thread (the machine has two cores; Lambda calls DynamoDB over
 * the network, where the server's work is not the function's either).
 */
export async function startDynaliteProcess(): Promise<DynaliteProcess> {
  const code = `
    const server = require("dynalite")({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    server.listen(0, "127.0.0.1", () => process.stdout.write(String(server.address().port) + "\\n"));
    process.on("disconnect", () => process.exit(0));
  `;
  const child = spawn(process.execPath, ["-e", code], {
    cwd: PROJECT_ROOT,
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  const port = await new Promise<string>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (exitCode) => reject(new Error(`dynalite exited with code ${exitCode} before listening`)));
    child.stdout?.once("data", (chunk: Buffer) => resolve(chunk.toString("utf8").trim()));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => stopChild(child),
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill();
  });
}

/** Runs `node -e code` with exactly the given environment (nothing inherited) and returns its last stdout line, parsed as JSON. */
export async function runNodeJson<T>(code: string, env: Record<string, string>, args: string[] = []): Promise<T> {
  const { stdout } = await promisify(execFile)(process.execPath, ["-e", code, ...args], {
    cwd: PROJECT_ROOT,
    env,
    maxBuffer: 16 * 1024 * 1024,
  });
  const lastLine = stdout.trim().split("\n").pop() ?? "";
  return JSON.parse(lastLine) as T;
}

/** Runs a command, returning its standard output (standard error passes through). */
export async function runCommand(command: string, args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(command, args, { cwd: PROJECT_ROOT, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}
