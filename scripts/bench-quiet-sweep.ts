import { BatchWriteItemCommand, WriteRequest } from "@aws-sdk/client-dynamodb";
import { BY_FINGERPRINT_INDEX } from "../handlers/log-processor/incident-schema";
import { SUPPRESSION_ATTRIBUTES as A } from "../handlers/log-processor/suppression-schema";
import { SUMMARY_THRESHOLD, sweepQuietEpisodes } from "../handlers/quiet-notices/sweep";
import { median } from "../lib/bench/stats";
import { startLocalDynamoDb } from "../lib/simulate/local-dynamodb";
import { parseArgs, readCommandLine } from "../lib/cli/args";
import { runTool, UsageError } from "../lib/cli/errors";

/**
 * `npm run bench:quiet -- [ITEMS] [QUIET] [--json]`: how long one quiet-again sweep takes against dynalite, the
 * sweep's share of a notice's latency (the other share is the schedule's rate). Seeds the suppression table with
 * `ITEMS` alerted windows, `QUIET` of them quiet, sweeps (publishing to a no-op), and prints the median of 5 runs.
 * The incidents table is empty, so each notice costs its Query but finds no line. More than SUMMARY_THRESHOLD quiet
 * episodes are claimed, noticed in one summary and closed (`npm run bench:quiet -- 12000 10000` is a 10,000-failure
 * storm's end).
 */
const USAGE = `Usage: npm run bench:quiet -- [ITEMS] [QUIET] [--json]

Measures one quiet-again sweep against dynalite, on this machine: seeds the alert-suppression table with ITEMS
alerted windows (default 1000), QUIET of them quiet (default 50), sweeps, and prints the median of 5 runs.

  --json   print one JSON document {"items", "quiet", "medianMs", "runsMs"} instead of the sentence
  --help   show this text

Exit status: 0 when measured, 1 when the sweep failed, 2 on bad usage.`;

/** The command line, with the shared parser (lib/cli/args.ts). @throws UsageError */
function parseQuietBenchArgs(args: readonly string[]): { items: number; quiet: number; json: boolean } | "help" {
  const parsed = parseArgs(args, { options: { "--json": "flag" }, positionals: { max: 2, name: "numbers (ITEMS and QUIET)" } });
  if (parsed.help) return "help";
  const [itemsText = "1000", quietText = "50"] = parsed.positionals;
  for (const [name, text] of [["ITEMS", itemsText], ["QUIET", quietText]] as const) {
    if (!/^\d{1,6}$/.test(text)) throw new UsageError(`${name} takes a whole number from 0 to 999999, not ${JSON.stringify(text)}`);
  }
  const items = Number(itemsText);
  const quiet = Number(quietText);
  if (quiet > items) throw new UsageError(`QUIET (${quiet}) cannot be more than ITEMS (${items})`);
  return { items, quiet, json: parsed.flags.has("--json") };
}

async function main(): Promise<number> {
  const options = readCommandLine("bench:quiet", USAGE, () => parseQuietBenchArgs(process.argv.slice(2)));
  if (typeof options === "number") return options;
  const { items, quiet: quietCount } = options;
  const now = Date.UTC(2026, 10, 30, 12, 0, 0);
  const dynamo = await startLocalDynamoDb(
    [
      { address: "suppression", name: "suppression", hashKey: A.failureKey, attributes: [{ name: A.failureKey, type: "S" }], globalSecondaryIndexes: [] },
      {
        address: "incidents",
        name: "incidents",
        hashKey: "incident_id",
        attributes: [
          { name: "incident_id", type: "S" },
          { name: BY_FINGERPRINT_INDEX.partitionKey, type: "S" },
          { name: BY_FINGERPRINT_INDEX.sortKey, type: "S" },
        ],
        globalSecondaryIndexes: [
          { name: BY_FINGERPRINT_INDEX.name, hashKey: BY_FINGERPRINT_INDEX.partitionKey, rangeKey: BY_FINGERPRINT_INDEX.sortKey, projectionType: "ALL" },
        ],
      },
    ],
    "us-east-1",
  );
  const runs: number[] = [];
  let lastSummary = "";
  try {
    for (let run = 0; run < 5; run++) {
      const requests: WriteRequest[] = Array.from({ length: items }, (_, i) => {
        const quiet = i < quietCount;
        const lastSeen = quiet ? now - 20 * 60_000 : now - 60_000;
        return {
          PutRequest: {
            Item: {
              [A.failureKey]: { S: `123456789012|/aws/lambda/fn-${i % 50}|run${run}-${String(i).padStart(6, "0")}` },
              [A.fingerprint]: { S: `run${run}-${String(i).padStart(6, "0")}` },
              [A.logGroup]: { S: `/aws/lambda/fn-${i % 50}` },
              [A.accountId]: { S: "123456789012" },
              [A.state]: { S: "sent" },
              [A.windowEndsAt]: { N: String(lastSeen + 15 * 60_000) },
              [A.seenCount]: { N: "3" },
              [A.lastSeenAt]: { N: String(lastSeen) },
              [A.episodeCount]: { N: "3" },
              [A.episodeStartedAt]: { N: String(lastSeen - 60_000) },
            },
          },
        };
      });
      for (let start = 0; start < requests.length; start += 25) {
        await dynamo.client.send(new BatchWriteItemCommand({ RequestItems: { suppression: requests.slice(start, start + 25) } }));
      }
      const started = performance.now();
      const summary = await sweepQuietEpisodes({
        client: dynamo.client,
        suppressionTableName: "suppression",
        incidentsTableName: "incidents",
        windowMinutes: 15,
        region: "us-east-1",
        publish: async () => undefined,
        now: () => now,
      });
      runs.push(performance.now() - started);
      // Every quiet episode is noticed in one sweep: individually up to SUMMARY_THRESHOLD, else in one summary.
      const expected = { notified: quietCount, summaries: quietCount > SUMMARY_THRESHOLD ? 1 : 0, failed: 0 };
      if (summary.notified !== expected.notified || summary.summaries !== expected.summaries || summary.failed !== 0) {
        throw new Error(`expected ${JSON.stringify(expected)}, got ${JSON.stringify({ ...summary, failedKeys: summary.failedKeys.length })}`);
      }
      lastSummary = `${summary.notified} episodes closed, ${summary.summaries === 1 ? "1 summary" : `${summary.notified} notices`}`;
      // Close the rest of this run's items so the next run sees only its own.
      for (let start = 0; start < requests.length; start += 25) {
        await dynamo.client.send(
          new BatchWriteItemCommand({
            RequestItems: { suppression: requests.slice(start, start + 25).map((r) => ({ DeleteRequest: { Key: { [A.failureKey]: r.PutRequest?.Item?.[A.failureKey] ?? { S: "" } } } })) },
          }),
        );
      }
    }
  } finally {
    await dynamo.stop();
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ items, quiet: quietCount, closed: lastSummary, medianMs: Math.round(median(runs)), runsMs: runs.map((ms) => Math.round(ms)) })}\n`);
  } else {
    process.stdout.write(
      `quiet-again sweep over ${items} windows (${quietCount} quiet; ${lastSummary}): median ${median(runs).toFixed(0)} ms of 5 runs (${runs.map((ms) => ms.toFixed(0)).join(", ")})\n`,
    );
  }
  return 0;
}

runTool("bench:quiet", main);
