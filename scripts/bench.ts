/**
 * `npm run bench -- [--runs N] [--only SECTION,...]`: the log processor's throughput against the seed plan's
 * approach, the handler bundles' size and load time, the memory and time a maximum-size delivery needs, the
 * filter-pattern engine's match rate, and the loops a user waits on (synth, and npm test's jest run). Everything runs locally: DynamoDB is dynalite in a separate process. Prints medians.
 */
import { measureAlertOverhead } from "../lib/bench/alert-overhead";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { bundleHandler } from "../constructs/bundle-handler";
import { measureBundle } from "../lib/bench/bundle-measurements";
import { runCommand, startDynaliteProcess } from "../lib/bench/child-processes";
import { distinctFailuresDelivery, measureStorm, StormResult } from "../lib/bench/alert-storm";
import { measureMemory } from "../lib/bench/memory-probe";
import { hotGroupArithmetic, measureKinesisPath, PARTITION_WRITE_UNITS_PER_SECOND } from "../lib/bench/kinesis-path";
import { decodeLogsEvent } from "../handlers/log-processor/decode";
import { buildIncidents } from "../handlers/log-processor/incident";
import { itemSizeBytes, toIncidentItem } from "../handlers/log-processor/incident-item";
import { FINGERPRINT_SHARD_COUNT, LOG_GROUP_SHARD_COUNT } from "../handlers/log-processor/incident-schema";
import { measureHotFailure } from "../lib/bench/hot-failure";
import { formatBytes, formatInteger, median } from "../lib/bench/stats";
import { maximumSizeDelivery, syntheticDelivery } from "../lib/bench/synthetic-deliveries";
import {
  addSimulatedRoundTrip,
  compareThroughput,
  incidentsTableInput,
  ThroughputResult,
} from "../lib/bench/throughput";
import { table as textTable } from "../lib/incidents/report";
import { typescriptArgs } from "../lib/cli/run-typescript";
import { parseArgs, readCommandLine } from "../lib/cli/args";
import { runTool, UsageError } from "../lib/cli/errors";
import { LoopResult, synthVariants, testVariants, timeVariants } from "../lib/bench/developer-loops";
import { startLocalSns } from "../lib/local-aws/sns-subscribers";
import { SNSClient } from "@aws-sdk/client-sns";
import * as os from "node:os";

const FAKE_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
  AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};
/** Lambda gives a function one full vCPU at 1,769 MB and a proportional share below (Lambda developer guide, "Memory and computing power"). */
const FULL_VCPU_MB = 1769;
const FUNCTION_MEMORY_MB = 256;
const FUNCTION_TIMEOUT_S = 60;
const TARGET_RATIO = 10;
/** The round trip simulated in the second comparison: same-region DynamoDB answers in single-digit milliseconds. */
const SIMULATED_ROUND_TRIP_MS = 5;

/** The parts of the benchmark, in the order they run. */
const SECTIONS = ["processor", "overhead", "storm", "scale", "filter-pattern", "synth", "test"] as const;
type Section = (typeof SECTIONS)[number];

const BENCH_USAGE = `Usage: npm run bench -- [--runs N] [--only SECTION[,SECTION...]] [--json]

Measures, on this machine, with nothing deployed, and prints medians:
  processor        the log processor's throughput against dynalite (against the seed approach), the handler
                   bundles' size and load time, and a maximum-size delivery's memory and time
  overhead         the processor with real-time alerts (claims, publish, confirmations) against bare
                   BatchWriteItems of the same incidents, on the 1,000-error delivery
  storm            real-time alerts on one delivery of 10,000 distinct failures, with and without storm control
  scale            the Kinesis transport's sustained rate through kinesalite, a hot log group's write rate
                   with and without the sharded index, and one repeating failure's index writes per second
                   through dynalite, per by-fingerprint partition
  filter-pattern   the offline filter-pattern engine's match rate
  synth            npx cdktf synth: an empty CDKTF app, this app as before issue 11, and this app now
  test             npm test's jest run, before issue 11 (ts-jest, default workers) and now, from cold
                   caches as on a fresh clone (a run takes minutes)

  --runs N         runs per measurement, 1 to 99 (default 5; the test section uses N / 5, at least 1)
  --only S         run only these sections, comma-separated (default: all)
  --json           print one JSON document at the end: the machine, the runs, and each section's tables
                   (columns and rows) and notes
  --help           show this text

Exit status: 0 when measured, 1 when a measurement failed, 2 on bad usage.`;

interface BenchOptions {
  readonly runs: number;
  readonly sections: ReadonlySet<Section>;
  /** Print one JSON document at the end instead of text as it goes (`--json`). */
  readonly json: boolean;
}

/** Parses the arguments with the shared parser (lib/cli/args.ts); "help" for --help. @throws UsageError */
export function parseBenchArgs(args: readonly string[]): BenchOptions | "help" {
  const parsed = parseArgs(args, { options: { "--runs": "value", "--only": "value", "--json": "flag" } });
  if (parsed.help) return "help";
  const runsText = parsed.values.get("--runs");
  if (runsText !== undefined && !/^[1-9]\d?$/.test(runsText)) {
    throw new UsageError(`--runs takes a whole number from 1 to 99, not ${JSON.stringify(runsText)}`);
  }
  let sections: Set<Section> = new Set(SECTIONS);
  const onlyText = parsed.values.get("--only");
  if (onlyText !== undefined) {
    const names = onlyText.split(",").map((name) => name.trim()).filter((name) => name !== "");
    const unknown = names.find((name) => !(SECTIONS as readonly string[]).includes(name));
    if (names.length === 0 || unknown !== undefined) {
      throw new UsageError(`--only takes sections among ${SECTIONS.join(", ")}, not ${JSON.stringify(unknown ?? onlyText)}`);
    }
    sections = new Set(names as Section[]);
  }
  return { runs: runsText === undefined ? 5 : Number(runsText), sections, json: parsed.flags.has("--json") };
}

/**
 * Where the report goes: stdout as text, or, with --json, one JSON document printed at the end,
 * `{"runs", "machine", "sections": {"<section>": {"tables": [{"columns", "rows"}], "lines": [...]}}}`: each table's
 * cells as printed (with their units), and the section's text lines (targets met or not, notes) beside them.
 */
let jsonSections: Record<string, { tables: { columns: readonly string[]; rows: readonly (readonly string[])[] }[]; lines: string[] }> | undefined;
let currentSection = "header";
const jsonSection = (): { tables: { columns: readonly string[]; rows: readonly (readonly string[])[] }[]; lines: string[] } =>
  ((jsonSections as NonNullable<typeof jsonSections>)[currentSection] ??= { tables: [], lines: [] });

/** The text of every table rendered, so that --json keeps a table once (as cells), not also as lines. */
const renderedTables = new Set<string>();

/** A table of the report: rendered as text, and kept with its cells for --json. */
function table(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: readonly boolean[] = []): string {
  const text = textTable(header, rows, rightAligned);
  if (jsonSections !== undefined) {
    jsonSection().tables.push({ columns: header, rows });
    renderedTables.add(text);
  }
  return text;
}
const out = (line = ""): void => {
  if (jsonSections === undefined) {
    process.stdout.write(`${line}\n`);
    return;
  }
  // A table's text is in its `tables` entry already; the other lines are kept as they are.
  if (renderedTables.has(line)) return;
  jsonSection().lines.push(...line.split("\n"));
};
/** Starts a section of the --json document. */
const section = (name: string): void => {
  currentSection = name;
};

/** The processor with real-time alerts against bare BatchWriteItems of the same items (target: within 1.3x). */
async function overheadSection(client: DynamoDBClient, runs: number): Promise<void> {
  const delivery = syntheticDelivery("1,000 events, all errors", 1000, 1);
  const result = await measureAlertOverhead(client, delivery, Math.max(runs, 5));
  out(`Overhead of the processor (store, claim, publish, confirm; ${result.failures} distinct failures) over bare BatchWriteItems of 25, 1,000-error delivery, dynalite:`);
  out(`  processor ${result.processorMs.toFixed(0)} ms, bare ${result.bareMs.toFixed(0)} ms: ${result.ratio.toFixed(2)}x (target 1.3x: ${result.ratio <= 1.3 ? "met" : "not met"})`);
  out(`  CPU time (client and dynalite, in this process): processor ${result.processorCpuMs.toFixed(0)} ms, bare ${result.bareCpuMs.toFixed(0)} ms: ${result.cpuRatio.toFixed(2)}x`);
  out();
}

async function main(): Promise<number> {
  const options = readCommandLine("bench", BENCH_USAGE, () => parseBenchArgs(process.argv.slice(2)));
  if (typeof options === "number") return options;
  const { runs, sections } = options;
  if (options.json) jsonSections = {};
  const machine = `Node.js ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "unknown"}), load average ${os.loadavg()[0]?.toFixed(2)} at start`;
  if (!options.json) {
    out(`log-monitor benchmark: medians of ${runs} runs; sections: ${[...sections].join(", ")}`);
    out(`machine: ${machine}`);
    out();
  }
  section("processor");
  if (sections.has("processor")) await processorSections(runs);
  if (sections.has("overhead")) await withDynalite(async (client) => overheadSection(client, runs));
  if (sections.has("storm") || sections.has("scale")) await withDynalite(async (client, endpoint) => {
    const few = Math.max(1, Math.min(runs, 3));
    section("storm");
    if (sections.has("storm")) await measureAlertStorm(client, endpoint, few);
    section("scale");
    if (sections.has("scale")) await reportScale(client, few);
  });
  section("filter-pattern");
  if (sections.has("filter-pattern")) {
    // The filter-pattern engine's own benchmark, in its own process.
    out((await runCommand(process.execPath, typescriptArgs("scripts/bench-filter-pattern.ts", String(Math.max(runs, 3))))).trimEnd());
    out();
  }
  section("synth");
  if (sections.has("synth")) synthSection(runs);
  section("test");
  if (sections.has("test")) testSection(Math.max(1, Math.round(runs / 5)));
  if (jsonSections !== undefined) {
    const sectionsOut = Object.fromEntries(
      Object.entries(jsonSections).map(([name, entry]) => [name, { tables: entry.tables, lines: entry.lines.filter((line) => line !== "") }]),
    );
    process.stdout.write(`${JSON.stringify({ runs, machine, sections: sectionsOut }, null, 2)}\n`);
  }
  return 0;
}

const TARGET_SYNTH_RATIO = 1.3;
const TARGET_TEST_SECONDS = 90;

function synthSection(runs: number): void {
  const [empty, before, now] = timeVariants(synthVariants(), runs) as [LoopResult, LoopResult, LoopResult];
  const ratio = (result: LoopResult): string => `${(result.medianMs / empty.medianMs).toFixed(2)}x`;
  out(`npx cdktf synth (the loop every cdktf diff and deploy runs): medians of ${runs} runs, interleaved`);
  out(
    table(
      ["SYNTH", "median", "vs empty app", "command"],
      [empty, before, now].map((result) => [result.variant.name, `${(result.medianMs / 1000).toFixed(2)} s`, ratio(result), result.variant.command]),
      [false, true, true, false],
    ),
  );
  const met = now.medianMs / empty.medianMs <= TARGET_SYNTH_RATIO;
  out(`Target, synth within ${TARGET_SYNTH_RATIO}x an empty CDKTF app's: ${ratio(now)} (${met ? "met" : "not met"}); before, ${ratio(before)}.`);
  out();
}

function testSection(runs: number): void {
  const [before, now] = timeVariants(testVariants(), runs) as [LoopResult, LoopResult];
  out(
    `npm test's jest run (tsc --noEmit, the same before and after, left out): ${runs === 1 ? "one run" : `medians of ${runs} runs`} each, ` +
      `from cold caches as on a fresh clone, ${os.cpus().length} CPUs. "Before" reverts jest's transformer and worker count; the tests are today's.`,
  );
  out(
    table(
      ["JEST", "median", "command"],
      [before, now].map((result) => [result.variant.name, `${(result.medianMs / 1000).toFixed(1)} s`, result.variant.command]),
      [false, true, false],
    ),
  );
  const met = now.medianMs / 1000 < TARGET_TEST_SECONDS;
  out(`Target, jest under ${TARGET_TEST_SECONDS} s on 2 cores: ${(now.medianMs / 1000).toFixed(1)} s (${met ? "met" : "not met"}); ${(before.medianMs / now.medianMs).toFixed(1)}x faster than before.`);
  out();
}

async function processorSections(runs: number): Promise<void> {
  out("log-processor: DynamoDB is dynalite in its own process on 127.0.0.1; real-time alerts off");
  out();
  const dynamo = await startDynaliteProcess();
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: "us-east-1",
    credentials: {
      accessKeyId: FAKE_CREDENTIALS.AWS_ACCESS_KEY_ID,
      secretAccessKey: FAKE_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
    },
  });
  try {
    // 1. Throughput: the processor against the seed plan's approach (one PutItem per error, sequentially).
    const deliveries = [
      syntheticDelivery("1,000 events, all errors", 1000, 1),
      syntheticDelivery("10,000 events, 10% errors", 10_000, 0.1),
      maximumSizeDelivery(),
    ];
    const results = [];
    for (const delivery of deliveries) results.push(await compareThroughput(client, delivery, runs));
    out(
      "Throughput against dynalite on 127.0.0.1 (log events per second; the processor sends 25 items per BatchWriteItem, 4 in flight)",
    );
    out(throughputTable(results));

    // The same comparison with a network round trip per request, as from Lambda to DynamoDB.
    const remote = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: "us-east-1",
      credentials: {
        accessKeyId: FAKE_CREDENTIALS.AWS_ACCESS_KEY_ID,
        secretAccessKey: FAKE_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
      },
    });
    addSimulatedRoundTrip(remote, SIMULATED_ROUND_TRIP_MS);
    let withRoundTrip: ThroughputResult;
    try {
      withRoundTrip = await compareThroughput(remote, deliveries[0] as (typeof deliveries)[number], runs);
    } finally {
      remote.destroy();
    }
    out();
    out(
      `The same with a simulated ${SIMULATED_ROUND_TRIP_MS} ms network round trip per request (DynamoDB in the same region answers in single-digit milliseconds)`,
    );
    out(throughputTable([withRoundTrip]));
    out();

    const local = results[0] as ThroughputResult;
    const verdict = (ratio: number) => `${ratio.toFixed(1)}x (${ratio >= TARGET_RATIO ? "met" : "not met"})`;
    out(
      `Target, at least ${TARGET_RATIO}x the seed approach on the 1,000-error delivery: on dynalite ${verdict(
        local.ratio,
      )}; with a ${SIMULATED_ROUND_TRIP_MS} ms round trip ${verdict(withRoundTrip.ratio)}.`,
    );
    out(
      "On dynalite both approaches pay dynalite's own work per item (it is single-threaded, and maintains two indexes per item), " +
        "so the ratio there measures the per-request overhead the batches save; over a network the round trips dominate.",
    );
    out();

    // 2. Bundles: size and the local part of a cold start.
    const processorEnv = {
      ...FAKE_CREDENTIALS,
      AWS_REGION: "us-east-1",
      INCIDENTS_TABLE_NAME: "log-monitor-bench-incidents",
      REALTIME_ALERTS: "true",
      ALERT_TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:log-monitor-bench-alerts",
      SUPPRESSION_TABLE_NAME: "log-monitor-bench-alert-suppression",
    };
    const bundles = [
      await measureBundle("log-processor", bundleHandler("log-processor"), processorEnv, Math.max(runs, 7)),
      await measureBundle(
        "test-emitter",
        bundleHandler("test-emitter"),
        { AWS_REGION: "us-east-1" },
        Math.max(runs, 7),
      ),
    ];
    out(
      `Handler bundles (load: median of ${Math.max(runs, 7)} fresh Node.js processes; the local part of a cold start)`,
    );
    out(
      table(
        ["HANDLER", "index.js", "gzipped", "require()", "node start to loaded"],
        bundles.map((b) => [
          b.handler,
          formatBytes(b.bytes),
          formatBytes(b.gzipBytes),
          `${b.loadMs.toFixed(1)} ms`,
          `${b.processMs.toFixed(1)} ms`,
        ]),
        [false, true, true, true, true],
      ),
    );
    out();

    // 3. Memory and time of a maximum-size delivery through the deployed bundle, in fresh processes.
    const biggest = deliveries[2] as (typeof deliveries)[number];
    await client.send(new CreateTableCommand(incidentsTableInput("log-monitor-bench-incidents")));
    const memoryEnv = {
      ...FAKE_CREDENTIALS,
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      INCIDENTS_TABLE_NAME: "log-monitor-bench-incidents",
      REALTIME_ALERTS: "false",
    };
    const probes = [];
    for (let run = 0; run < Math.max(3, Math.min(runs, 5)); run++)
      probes.push(await measureMemory(bundleHandler("log-processor"), biggest.event, memoryEnv));
    const peakRss = Math.max(...probes.map((p) => p.peakRssMb));
    const cpuMs = median(probes.map((p) => p.cpuMs));
    const durationMs = median(probes.map((p) => p.durationMs));
    const cpuShare = FUNCTION_MEMORY_MB / FULL_VCPU_MB;
    out(
      `Maximum-size delivery through the log-processor bundle (${formatInteger(biggest.errors)} errors; ${formatBytes(
        biggest.payloadBytes,
      )} decoded, ${formatBytes(biggest.eventBytes)} event), ${probes.length} fresh processes`,
    );
    out(
      table(
        ["", "median", "max"],
        [
          [
            "RSS after loading the bundle",
            `${median(probes.map((p) => p.rssAfterLoadMb)).toFixed(0)} MB`,
            `${Math.max(...probes.map((p) => p.rssAfterLoadMb)).toFixed(0)} MB`,
          ],
          [
            "peak RSS (Lambda's Max Memory Used)",
            `${median(probes.map((p) => p.peakRssMb)).toFixed(0)} MB`,
            `${peakRss.toFixed(0)} MB`,
          ],
          [
            "peak V8 heap used (sampled)",
            `${median(probes.map((p) => p.peakHeapUsedMb)).toFixed(0)} MB`,
            `${Math.max(...probes.map((p) => p.peakHeapUsedMb)).toFixed(0)} MB`,
          ],
          [
            "handler duration (wall)",
            `${durationMs.toFixed(0)} ms`,
            `${Math.max(...probes.map((p) => p.durationMs)).toFixed(0)} ms`,
          ],
          [
            "CPU time (user + system)",
            `${cpuMs.toFixed(0)} ms`,
            `${Math.max(...probes.map((p) => p.cpuMs)).toFixed(0)} ms`,
          ],
        ],
        [false, true, true],
      ),
    );
    out(
      `At ${FUNCTION_MEMORY_MB} MB the function has ${(cpuShare * 100).toFixed(
        1,
      )}% of a vCPU, so the CPU part takes about ` +
        `${(cpuMs / cpuShare / 1000).toFixed(1)} s there (plus DynamoDB round trips): ` +
        `${((cpuMs / cpuShare / 1000 / FUNCTION_TIMEOUT_S) * 100).toFixed(
          0,
        )}% of the ${FUNCTION_TIMEOUT_S} s timeout; ` +
        `peak memory is ${((peakRss / FUNCTION_MEMORY_MB) * 100).toFixed(0)}% of ${FUNCTION_MEMORY_MB} MB.`,
    );
    out();
  } finally {
    client.destroy();
    await dynamo.stop();
  }
}

/** Runs `body` with a fresh dynalite process and a client for it, and stops both afterwards. */
async function withDynalite(body: (client: DynamoDBClient, endpoint: string) => Promise<void>): Promise<void> {
  const dynamo = await startDynaliteProcess();
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: FAKE_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: FAKE_CREDENTIALS.AWS_SECRET_ACCESS_KEY },
  });
  try {
    await body(client, dynamo.endpoint);
  } finally {
    client.destroy();
    await dynamo.stop();
  }
}

/** The default batch size of the Kinesis event source mapping (LOG_MONITOR_KINESIS_BATCH_SIZE). */
const KINESIS_BATCH_SIZE = 100;

/** Section 5: the Kinesis path's sustained rate (kinesalite, batches of the configured size). */
async function reportScale(client: DynamoDBClient, runs: number): Promise<void> {
  const result = await measureKinesisPath(client, { records: 300, eventsPerRecord: 100, batchSize: KINESIS_BATCH_SIZE, runs });
  out(
    `Kinesis transport, sustained (kinesalite in memory, dynalite in its own process): ${formatInteger(result.records)} records of ` +
      `${result.eventsPerRecord} events (${result.errorsPerRecord} errors each), batches of ${result.batchSize}, one shard poller; median of ${runs} runs`,
  );
  out(
    table(
      ["", "median"],
      [
        ["read and process every record", `${result.medianMs.toFixed(0)} ms`],
        ["log events per second", formatInteger(Math.round(result.eventsPerSecond))],
        ["incidents written per second", formatInteger(Math.round(result.incidentsPerSecond))],
      ],
      [false, true],
    ),
  );
  out();

  // The hot group: on paper, from DynamoDB's per-partition limit (dynalite enforces none, so it cannot show it).
  const sample = syntheticDelivery("1,000 events, all errors", 1000, 1);
  const items = buildIncidents(decodeLogsEvent(sample.event), { ttlDays: 30 }).map((incident) => itemSizeBytes(toIncidentItem(incident)));
  const meanItemBytes = items.reduce((sum, size) => sum + size, 0) / items.length;
  const underOneKb = items.filter((size) => size <= 1024).length / items.length;
  const hot = hotGroupArithmetic(LOG_GROUP_SHARD_COUNT, 1024);
  out("A hot log group's index writes (arithmetic: one DynamoDB partition takes 1,000 write units a second)");
  out(
    table(
      ["by-log-group key", "partitions for one group", "incidents/s before throttling (items <= 1 KB)"],
      [
        ["log_group (before)", "1", `${formatInteger(PARTITION_WRITE_UNITS_PER_SECOND)} / ${hot.writeUnitsPerIncident} WCU = ${formatInteger(hot.unshardedIncidentsPerSecond)}`],
        [
          `log_group#n, n < ${LOG_GROUP_SHARD_COUNT} (now)`,
          String(LOG_GROUP_SHARD_COUNT),
          `${LOG_GROUP_SHARD_COUNT} x ${formatInteger(hot.unshardedIncidentsPerSecond)} = ${formatInteger(hot.shardedIncidentsPerSecond)}`,
        ],
      ],
      [false, true, true],
    ),
  );
  out(
    `Incident items of the benchmark's error lines: mean ${meanItemBytes.toFixed(0)} bytes, ${(underOneKb * 100).toFixed(0)}% at most 1 KB ` +
      "(one write unit each in the index, which projects ALL attributes; a larger item costs one unit per started KB, and the limits shrink alike).",
  );
  out(
    `One shard poller above wrote ${formatInteger(Math.round(result.incidentsPerSecond))} incidents/s on dynalite; an on-demand stream runs one poller per shard, ` +
      `so ${Math.ceil(PARTITION_WRITE_UNITS_PER_SECOND / Math.max(1, result.incidentsPerSecond))} such pollers on one group saturate an unsharded partition, ` +
      `${Math.ceil(hot.shardedIncidentsPerSecond / Math.max(1, result.incidentsPerSecond))} a sharded one.`,
  );
  out();

  // One repeating failure: measured through dynalite, then laid over the by-fingerprint index's partitions.
  const failure = await measureHotFailure(client, { deliveries: 10, eventsPerDelivery: 1000, runs });
  out(
    `One repeating failure (one fingerprint), ${formatInteger(failure.deliveries * failure.eventsPerDelivery)} incidents in ` +
      `${failure.deliveries} deliveries of ${formatInteger(failure.eventsPerDelivery)}, processed one after another by the processor's code into dynalite; median of ${runs} runs`,
  );
  out(
    table(
      ["by-fingerprint key", "partitions for the failure", "incidents on the fullest", "index writes/s on the fullest partition"],
      [
        ["fingerprint (before)", "1", formatInteger(failure.deliveries * failure.eventsPerDelivery), formatInteger(failure.unshardedPartitionWritesPerSecond)],
        [
          `fingerprint#n, n < ${FINGERPRINT_SHARD_COUNT} (now)`,
          String(failure.shards),
          `${formatInteger(failure.fullestShardIncidents)} (emptiest ${formatInteger(failure.emptiestShardIncidents)})`,
          formatInteger(failure.fullestPartitionWritesPerSecond),
        ],
      ],
      [false, true, true, true],
    ),
  );
  const share = failure.fullestShardIncidents / (failure.deliveries * failure.eventsPerDelivery);
  out(
    `The failure's items: mean ${failure.meanItemBytes.toFixed(0)} bytes, largest ${formatInteger(failure.maxItemBytes)} (one write unit each up to 1 KB). ` +
      `A partition takes ${formatInteger(PARTITION_WRITE_UNITS_PER_SECOND)} write units a second: unsharded, ${plural(Math.ceil(PARTITION_WRITE_UNITS_PER_SECOND / Math.max(1, failure.incidentsPerSecond)), "instance")} ` +
      `writing this failure at this rate saturate its one partition; sharded, the fullest shard takes ${(share * 100).toFixed(1)}% of its writes, ` +
      `so the failure throttles at about ${formatInteger(PARTITION_WRITE_UNITS_PER_SECOND / share)} incidents a second (${formatInteger(PARTITION_WRITE_UNITS_PER_SECOND / share / Math.max(1, failure.incidentsPerSecond))} such instances).`,
  );
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** Real-time alerts on a delivery of 10,000 distinct failures: with storm control, and without it (the old behaviour). */
async function measureAlertStorm(client: DynamoDBClient, dynamoEndpoint: string, runs: number): Promise<void> {
  const failures = 10_000;
  const delivery = distinctFailuresDelivery(failures);
  // SNS is fauxqs (a child process) behind the fault proxy, which refuses what SNS would; an SQS queue subscribed to
  // the topic receives what SNS delivers, and is counted after the timed runs.
  const sns = await startLocalSns({ region: "us-east-1" });
  const snsClient = (roundTripMs: number) => {
    const created = new SNSClient({
      endpoint: sns.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: FAKE_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: FAKE_CREDENTIALS.AWS_SECRET_ACCESS_KEY },
    });
    if (roundTripMs > 0) addSimulatedRoundTrip(created, roundTripMs);
    return created;
  };
  const remote = new DynamoDBClient({
    endpoint: dynamoEndpoint,
    region: "us-east-1",
    credentials: { accessKeyId: FAKE_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: FAKE_CREDENTIALS.AWS_SECRET_ACCESS_KEY },
  });
  addSimulatedRoundTrip(remote, SIMULATED_ROUND_TRIP_MS);
  const localSns = snsClient(0);
  const remoteSns = snsClient(SIMULATED_ROUND_TRIP_MS);
  const rows: [string, StormResult][] = [];
  let delivered = 0;
  try {
    const topicArn = await sns.createTopic("log-monitor-bench-alerts");
    rows.push(["storm control (10 alerts + digest), dynalite", await measureStorm(client, localSns, delivery.event, { maxAlertsPerDelivery: 10, runs, topicArn })]);
    rows.push([`storm control, ${SIMULATED_ROUND_TRIP_MS} ms round trip`, await measureStorm(remote, remoteSns, delivery.event, { maxAlertsPerDelivery: 10, runs, topicArn })]);
    rows.push(["no storm control (one alert per failure), dynalite", await measureStorm(client, localSns, delivery.event, { maxAlertsPerDelivery: failures, runs, topicArn })]);
    rows.push([`no storm control, ${SIMULATED_ROUND_TRIP_MS} ms round trip`, await measureStorm(remote, remoteSns, delivery.event, { maxAlertsPerDelivery: failures, runs, topicArn })]);
    delivered = (await sns.received()).length;
  } finally {
    remote.destroy();
    localSns.destroy();
    remoteSns.destroy();
    await sns.stop();
  }
  out(
    `Alert storm: one delivery of ${formatInteger(failures)} distinct failures (${formatBytes(delivery.payloadBytes)} decoded), ` +
      `real-time alerts on, SNS is fauxqs behind the fault proxy; median of ${runs} runs, fresh tables each`,
  );
  out(
    table(
      ["", "SNS MESSAGES", "DIGESTED", "median ms", "max ms", `OF ${FUNCTION_TIMEOUT_S} s`],
      rows.map(([name, r]) => [
        name,
        formatInteger(r.messages),
        formatInteger(r.digested),
        r.medianMs.toFixed(0),
        r.maxMs.toFixed(0),
        `${((r.medianMs / 1000 / FUNCTION_TIMEOUT_S) * 100).toFixed(0)}%`,
      ]),
      [false, true, true, true, true, true],
    ),
  );
  const [controlled, , uncontrolled] = rows;
  if (controlled !== undefined && uncontrolled !== undefined) {
    out(
      `Storm control sends ${formatInteger(controlled[1].messages)} messages instead of ${formatInteger(uncontrolled[1].messages)}, ` +
        `in ${(uncontrolled[1].medianMs / controlled[1].medianMs).toFixed(1)}x less time (same run, dynalite).`,
    );
  }
  const published = rows.reduce((sum, [, r]) => sum + r.messages * runs, 0);
  out(`The topic's SQS subscriber received ${formatInteger(delivered)} messages; the runs published ${formatInteger(published)} (alerts and digests).`);
  out();
}

function throughputTable(results: readonly ThroughputResult[]): string {
  return table(
    ["DELIVERY", "EVENTS", "ERRORS", "EVENT SIZE", "PROCESSOR", "ms", "SEED (1 PutItem each)", "ms", "RATIO"],
    results.map((r) => [
      r.delivery.name,
      formatInteger(r.delivery.events),
      formatInteger(r.delivery.errors),
      formatBytes(r.delivery.eventBytes),
      `${formatInteger(r.processorEventsPerSecond)} ev/s`,
      r.processorMs.toFixed(0),
      `${formatInteger(r.seedEventsPerSecond)} ev/s`,
      r.seedMs.toFixed(0),
      `${r.ratio.toFixed(1)}x`,
    ]),
    [false, true, true, true, true, true, true, true, true],
  );
}


runTool("bench", main);
