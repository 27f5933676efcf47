/**
 * Measures how many log events per second a compiled filter pattern matches, for the three pattern kinds the log
 * monitor uses, on realistic Lambda log lines. Prints the median of several runs.
 *
 * Run: `node -r ./scripts/esbuild-register.js scripts/bench-filter-pattern.ts [runs]` (default 7 runs).
 */
import { parseFilterPattern } from "../lib/filter-pattern";

/** Events matched per run and pattern; enough for each run to last a good fraction of a second. */
const EVENTS_PER_RUN = 300_000;
const DEFAULT_RUNS = 7;

const REQUEST_ID = "8f5c2a1e-3b7d-4c9a-a1f2-0e6d4b9c7a35";

/** Lambda's Node.js text format: timestamp, request id, level and message, tab-separated. */
const TEXT_LINES = [
  `2024-05-01T12:00:00.123Z\t${REQUEST_ID}\tINFO\tProcessed 42 records from shard shardId-000000000001 in 118 ms`,
  `2024-05-01T12:00:00.456Z\t${REQUEST_ID}\tERROR\tInvoke Error \t{"errorType":"TypeError","errorMessage":"Cannot read properties of undefined (reading 'id')"}`,
  `2024-05-01T12:00:01.789Z\t${REQUEST_ID}\tWARN\tRetrying DynamoDB BatchWriteItem: 3 unprocessed items`,
  `START RequestId: ${REQUEST_ID} Version: $LATEST`,
  `REPORT RequestId: ${REQUEST_ID}\tDuration: 123.45 ms\tBilled Duration: 124 ms\tMemory Size: 256 MB\tMax Memory Used: 87 MB`,
  `2024-05-01T12:00:02.000Z\t${REQUEST_ID}\tINFO\tTask timed out after 3.00 seconds`,
];

/** Lambda's JSON log format, as Powertools for AWS Lambda writes it. */
const JSON_LINES = [
  `{"level":"INFO","message":"Processed batch","timestamp":"2024-05-01T12:00:00.123Z","service":"log-processor","cold_start":false,"function_request_id":"${REQUEST_ID}","durationMs":118,"records":42}`,
  `{"level":"ERROR","message":"Write failed","timestamp":"2024-05-01T12:00:00.456Z","service":"log-processor","cold_start":true,"function_request_id":"${REQUEST_ID}","durationMs":2150,"error":{"name":"ProvisionedThroughputExceededException"}}`,
  `{"level":"WARN","message":"Retrying","timestamp":"2024-05-01T12:00:01.789Z","service":"log-processor","cold_start":false,"function_request_id":"${REQUEST_ID}","durationMs":640,"attempt":2}`,
];

const CASES = [
  { name: "terms (?-OR)", pattern: '?ERROR ?WARN ?"Task timed out"', lines: TEXT_LINES },
  { name: "json", pattern: '{ $.level = "ERROR" && $.durationMs > 1000 }', lines: JSON_LINES },
  {
    name: "space-delimited",
    pattern: '[timestamp=*Z, request_id="*-*", level=ERROR || level=WARN, message]',
    lines: TEXT_LINES,
  },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function measure(pattern: string, lines: readonly string[], runs: number): { rate: number; matched: number } {
  const compiled = parseFilterPattern(pattern);
  const rates: number[] = [];
  let matched = 0;
  // One untimed run lets V8 optimise the matcher before the timed ones.
  for (let run = -1; run < runs; run++) {
    matched = 0;
    const started = process.hrtime.bigint();
    for (let i = 0; i < EVENTS_PER_RUN; i++) {
      if (compiled.matches(lines[i % lines.length])) matched++;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (run >= 0) rates.push(EVENTS_PER_RUN / seconds);
  }
  return { rate: median(rates), matched };
}

function main(): void {
  const runs = Number(process.argv[2] ?? DEFAULT_RUNS);
  if (!Number.isInteger(runs) || runs < 1) {
    process.stderr.write("usage: bench-filter-pattern.ts [runs]\n");
    process.exitCode = 2;
    return;
  }
  process.stdout.write(`filter-pattern match rate, median of ${runs} runs of ${EVENTS_PER_RUN} events\n`);
  for (const { name, pattern, lines } of CASES) {
    const { rate, matched } = measure(pattern, lines, runs);
    const perSecond = Math.round(rate).toLocaleString("en-US");
    process.stdout.write(
      `${name.padEnd(16)} ${perSecond.padStart(12)} matches/s  (${matched}/${EVENTS_PER_RUN} matched)  ${pattern}\n`
    );
  }
}

main();
