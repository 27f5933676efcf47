import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runNodeJson } from "./child-processes";

/** What one fresh process used to handle one delivery through the deployed bundle. */
export interface MemoryMeasurement {
  /** Resident set size once the bundle was loaded, before the delivery (MB). */
  readonly rssAfterLoadMb: number;
  /** Peak resident set size of the whole process (getrusage maxrss), what Lambda reports as Max Memory Used (MB). */
  readonly peakRssMb: number;
  /** Highest V8 heap use sampled while handling the delivery (MB). */
  readonly peakHeapUsedMb: number;
  /** Wall-clock milliseconds the handler took, parsing the event included. */
  readonly durationMs: number;
  /** CPU milliseconds (user + system) the process spent in that time. */
  readonly cpuMs: number;
}

// Runs in a fresh process: loads the bundle, then parses the event (as Lambda's runtime does) and handles it,
// sampling the heap every millisecond the event loop allows; prints the figures.
const MEMORY_PROBE = `
  const fs = require("node:fs");
  const { performance } = require("node:perf_hooks");
  const mb = (bytes) => bytes / 1048576;
  const { handler } = require(process.argv[1]);
  const raw = fs.readFileSync(process.argv[2], "utf8");
  global.gc && global.gc();
  const rssAfterLoad = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => { peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed); }, 1);
  const cpu = process.cpuUsage();
  const started = performance.now();
  Promise.resolve()
    .then(() => handler(JSON.parse(raw)))
    .then((summary) => {
      const durationMs = performance.now() - started;
      const used = process.cpuUsage(cpu);
      clearInterval(sampler);
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
      process.stdout.write(JSON.stringify({
        summary,
        rssAfterLoadMb: mb(rssAfterLoad),
        peakRssMb: process.resourceUsage().maxRSS / 1024,
        peakHeapUsedMb: mb(peakHeap),
        durationMs,
        cpuMs: (used.user + used.system) / 1000,
      }) + "\\n");
    });
`;

/**
 * Handles `event` once in a fresh Node.js process through the deployed bundle (`bundleDir/index.js`), writing to
 * dynalite at `endpoint`, and reports memory and time. Real-time alerts are off (the bundle would need SNS).
 */
export async function measureMemory(
  bundleDir: string,
  event: unknown,
  env: Record<string, string>,
): Promise<MemoryMeasurement & { summary: Record<string, number> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "log-monitor-bench-"));
  const eventFile = path.join(dir, "event.json");
  try {
    fs.writeFileSync(eventFile, JSON.stringify(event));
    return await runNodeJson(MEMORY_PROBE, env, [path.join(bundleDir, "index.js"), eventFile]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
