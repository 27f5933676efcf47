/**
 * `node -r ./scripts/esbuild-register.js scripts/bench-lines.ts [--runs N]`: how long `buildIncidents` takes on
 * deliveries at the limits of what one log line can be, and whether it throws. Prints the median of N runs
 * (default 9) per delivery, after one warm-up run, of CPU time and of wall time.
 *
 * - the bench's maximum-size delivery (1 MB of ordinary error lines, lib/bench/synthetic-deliveries.ts);
 * - one 1 MB JSON error event (CloudWatch Logs' event limit since April 2025);
 * - one 1 MB plain error event of a single line;
 * - 1 MB of 12 KB lines of 6,000 nested JSON arrays, each with a `level` of error, between ordinary errors;
 * - one 1 MB event of 524,288 nested arrays.
 */
import { performance } from "node:perf_hooks";
import { decodeLogsEvent } from "../handlers/log-processor/decode";
import { buildIncidents } from "../handlers/log-processor/incident";
import { LogsDataMessage } from "../handlers/log-processor/logs-payload";
import { maximumSizeDelivery } from "../lib/bench/synthetic-deliveries";
import { median } from "../lib/bench/stats";

const MIB = 1024 * 1024;

function delivery(messages: readonly string[]): LogsDataMessage {
  return {
    messageType: "DATA_MESSAGE",
    owner: "123456789012",
    logGroup: "/aws/lambda/orders-api",
    logStream: "2024/05/01/[$LATEST]0123456789abcdef0123456789abcdef",
    subscriptionFilters: ["log-monitor-errors"],
    logEvents: messages.map((message, i) => ({ id: `38${String(i).padStart(54, "0")}`, timestamp: 1714564800000 + i, message })),
  };
}

const deepLine = `{"level":"error","message":${"[".repeat(6000)}${"]".repeat(6000)}}`;
const deepMixed: string[] = [];
for (let bytes = 0; bytes < MIB; bytes += deepLine.length + 40) deepMixed.push(deepLine, `ERROR: job ${deepMixed.length} failed`);

const CASES: readonly (readonly [string, LogsDataMessage])[] = [
  ["maximum-size delivery (1 MB of ordinary errors)", decodeLogsEvent(maximumSizeDelivery().event) as LogsDataMessage],
  ["one 1 MB JSON error event", delivery([`{"level":"error","message":"too big","body":"${"b".repeat(MIB - 60)}"}`])],
  ["one 1 MB plain error line", delivery([`ERROR: payload rejected ${"x ".repeat(MIB / 2 - 16)}`])],
  [`1 MB: ${deepMixed.length / 2} lines 6,000 arrays deep + as many ordinary errors`, delivery(deepMixed)],
  ["one 1 MB event of 524,288 nested arrays", delivery([`${"[".repeat(MIB / 2)}${"]".repeat(MIB / 2)}`])],
];

const runsArg = process.argv.indexOf("--runs");
const runs = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 9;

// CPU time (user + system) as well as wall time: on a machine shared with other work, wall time mostly measures the
// scheduler, while this process's CPU time stays close to what it needs alone.
for (const [name, payload] of CASES) {
  const wall: number[] = [];
  const cpu: number[] = [];
  let outcome = "";
  for (let run = 0; run <= runs; run++) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    try {
      outcome = `${buildIncidents(payload, { ttlDays: 30 }).length} incidents`;
    } catch (error) {
      outcome = `throws ${(error as Error).name}: ${(error as Error).message}`;
    }
    const used = process.cpuUsage(startCpu);
    if (run > 0) {
      wall.push(performance.now() - start);
      cpu.push((used.user + used.system) / 1000);
    }
  }
  console.log(`${name}: ${median(cpu).toFixed(1)} ms CPU, ${median(wall).toFixed(1)} ms wall (medians of ${runs}), ${outcome}`);
}
