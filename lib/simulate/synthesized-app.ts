import { typescriptArgs } from "../cli/run-typescript";
import { spawnSync } from "node:child_process";
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
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.env)) if (value !== undefined) env[key] = value;
  const result = spawnSync(process.execPath, typescriptArgs("main.ts"), {
    cwd: options.projectRoot,
    env: { ...env, CDKTF_OUTDIR: options.outdir },
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
  });
  if (result.error !== undefined) throw new SynthesisError(`could not run main.ts: ${result.error.message}`);
  if (result.status !== 0) {
    // What an error says comes before its stack frames; the frames only point into the tooling.
    const lines = result.stderr.trim().split("\n");
    const firstFrame = lines.findIndex((line) => /^\s+at /.test(line));
    const said = (firstFrame > 0 ? lines.slice(0, firstFrame) : lines.slice(-15)).join("\n").trim();
    throw new SynthesisError(`main.ts exited with status ${result.status}${said === "" ? "" : `:\n${said}`}`);
  }
  return readSynthesizedApp(options.outdir);
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
