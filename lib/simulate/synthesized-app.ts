import { spawn, SpawnOptions, spawnSync } from "node:child_process";
import { typescriptArgs } from "../cli/run-typescript";
import * as fs from "node:fs";
import * as path from "node:path";

/** A JSON object as read from synthesized Terraform JSON. */
export type JsonObject = { readonly [key: string]: unknown };

/** One synthesized stack. */
export interface SynthesizedStack {
  /** The stack's id (`alerting`). */
  readonly id: string;
  /** Absolute path of the stack's folder (Terraform's working directory), which holds its assets. */
  readonly directory: string;
  /** Its `cdk.tf.json`, parsed. */
  readonly json: JsonObject;
}

/** What `cdktf synth` wrote: every stack of the app. */
export interface SynthesizedApp {
  /** The output folder (`cdktf.out`). */
  readonly outdir: string;
  /** The stacks by id. */
  readonly stacks: Readonly<Record<string, SynthesizedStack>>;
}

/** Synthesis failed; the message carries what `main.ts` wrote to stderr. */
export class SynthesisError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SynthesisError";
  }
}

/** Where and how to synthesize. */
export interface SynthesizeOptions {
  /** The project folder (holding `main.ts` and `cdktf.json`). */
  readonly projectRoot: string;
  /** An empty folder to write the app into. */
  readonly outdir: string;
  /** The environment `main.ts` reads its configuration from (LOG_MONITOR_*, AWS_REGION). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Synthesizes the app as `cdktf synth` does (`cdktf.json` runs `node -r ./scripts/esbuild-register.js main.ts` in its own
 * process), into `outdir`, and reads the result. What is simulated is then exactly what would be deployed,
 * bundles included.
 *
 * @throws SynthesisError with main.ts's stderr when synthesis fails (an invalid configuration, say).
 */
export function synthesizeApp(options: SynthesizeOptions): SynthesizedApp {
  const { args, spawnOptions } = synthesisCommand(options);
  const result = spawnSync(process.execPath, args, { ...spawnOptions, encoding: "utf8" });
  checkSynthesis(result.error, result.status, result.stderr);
  return readSynthesizedApp(options.outdir);
}

/**
 * {@link synthesizeApp} without blocking, so that several configurations synthesize at once (the bundles are shared
 * safely: each is written to a staging folder and renamed into place).
 */
export function synthesizeAppAsync(options: SynthesizeOptions): Promise<SynthesizedApp> {
  const { args, spawnOptions } = synthesisCommand(options);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, spawnOptions);
    let stderr = "";
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.stdout?.resume();
    child.on("error", (error) => reject(new SynthesisError(`could not run main.ts: ${error.message}`)));
    child.on("close", (status) => {
      try {
        checkSynthesis(undefined, status, stderr);
        resolve(readSynthesizedApp(options.outdir));
      } catch (error) {
        reject(error);
      }
    });
  });
}

function synthesisCommand(options: SynthesizeOptions): { args: string[]; spawnOptions: SpawnOptions } {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.env)) if (value !== undefined) env[key] = value;
  return {
    args: typescriptArgs("main.ts"),
    spawnOptions: { cwd: options.projectRoot, env: { ...env, CDKTF_OUTDIR: options.outdir }, stdio: ["ignore", "pipe", "pipe"] },
  };
}

function checkSynthesis(error: Error | undefined, status: number | null, stderr: string): void {
  if (error !== undefined) throw new SynthesisError(`could not run main.ts: ${error.message}`);
  if (status !== 0) {
    // What an error says comes before its stack frames; the frames only point into the tooling.
    const lines = stderr.trim().split("\n");
    const firstFrame = lines.findIndex((line) => /^\s+at /.test(line));
    const said = (firstFrame > 0 ? lines.slice(0, firstFrame) : lines.slice(-15)).join("\n").trim();
    throw new SynthesisError(`main.ts exited with status ${status}${said === "" ? "" : `:\n${said}`}`);
  }
}

/** Reads a synthesized app from its output folder, through `manifest.json` as the CDKTF CLI does. */
export function readSynthesizedApp(outdir: string): SynthesizedApp {
  const manifestPath = path.join(outdir, "manifest.json");
  if (!fs.existsSync(manifestPath)) throw new SynthesisError(`${manifestPath} does not exist: nothing was synthesized`);
  const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8")) as {
    stacks?: Record<string, { synthesizedStackPath?: string; workingDirectory?: string }>;
  };
  const stacks: Record<string, SynthesizedStack> = {};
  for (const [id, entry] of Object.entries(manifest.stacks ?? {})) {
    if (entry.synthesizedStackPath === undefined || entry.workingDirectory === undefined) {
      throw new SynthesisError(`manifest.json has no synthesizedStackPath or workingDirectory for stack ${id}`);
    }
    stacks[id] = {
      id,
      directory: path.join(outdir, entry.workingDirectory),
      json: JSON.parse(fs.readFileSync(path.join(outdir, entry.synthesizedStackPath), "utf8")) as JsonObject,
    };
  }
  return { outdir, stacks };
}
