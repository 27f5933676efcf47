import * as fs from "node:fs";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { median } from "./stats";
import { runNodeJson } from "./child-processes";

/** Size and load time of one handler bundle. */
export interface BundleMeasurement {
  readonly handler: string;
  /** Bytes of index.js. */
  readonly bytes: number;
  /** Bytes of index.js gzipped (about the deployment zip's size). */
  readonly gzipBytes: number;
  /** Median milliseconds to `require` the bundle in a fresh Node.js process (module init included). */
  readonly loadMs: number;
  /** Median milliseconds from starting `node` to the bundle being loaded (Node's own start-up included). */
  readonly processMs: number;
}

// Runs in the fresh process: how long `require(bundle)` takes, and how long the process has existed by then.
const LOAD_PROBE = `
  const { performance } = require("node:perf_hooks");
  const started = performance.now();
  require(process.argv[1]);
  const loaded = performance.now();
  process.stdout.write(JSON.stringify({ loadMs: loaded - started, processMs: loaded }) + "\\n");
`;

/**
 * Measures a bundle: its size, and the median over `runs` fresh processes of the time to load it, which is the
 * local part of a cold start (Lambda adds downloading the code and starting the runtime). `env` is what the
 * handler reads at cold start.
 */
export async function measureBundle(
  handler: string,
  bundleDir: string,
  env: Record<string, string>,
  runs: number,
): Promise<BundleMeasurement> {
  const file = path.join(bundleDir, "index.js");
  const contents = fs.readFileSync(file);
  const loads: number[] = [];
  const processes: number[] = [];
  for (let run = 0; run < runs; run++) {
    const { loadMs, processMs } = await runNodeJson<{ loadMs: number; processMs: number }>(LOAD_PROBE, env, [file]);
    loads.push(loadMs);
    processes.push(processMs);
  }
  return {
    handler,
    bytes: contents.length,
    gzipBytes: gzipSync(contents, { level: 9 }).length,
    loadMs: median(loads),
    processMs: median(processes),
  };
}
