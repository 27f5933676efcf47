import { BatchWriteItemCommand, WriteRequest } from "@aws-sdk/client-dynamodb";
import { BY_FINGERPRINT_INDEX } from "../handlers/log-processor/incident-schema";
import { SUPPRESSION_ATTRIBUTES as A } from "../handlers/log-processor/suppression-schema";
import { SUMMARY_THRESHOLD, sweepQuietEpisodes } from "../handlers/quiet-notices/sweep";
import { median } from "../lib/bench/stats";
import { startLocalDynamoDb } from "../lib/simulate/local-dynamodb";

/**
 * `npx ts-node --transpile-only scripts/bench-quiet-sweep.ts [items] [quiet]`: how long one quiet-again sweep takes
 * against dynalite, the sweep's share of a notice's latency (the other share is the schedule's rate). Seeds the
 * suppression table with `items` alerted windows, `quiet` of them quiet, sweeps (publishing to a no-op), and prints
 * the median of 5 runs. The incidents table is empty, so each notice costs its Query but finds no line. More than
 * SUMMARY_THRESHOLD quiet episodes are claimed, noticed in one summary and closed (`npm run bench:quiet -- 12000 10000`
 * is a 10,000-failure storm's end).
 */
async function main(): Promise<void> {
  const items = Number(process.argv[2] ?? 1000);
  const quietCount = Number(process.argv[3] ?? 50);
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
          { name: "fingerprint", type: "S" },
          { name: "occurred_at", type: "S" },
        ],
        globalSecondaryIndexes: [{ name: BY_FINGERPRINT_INDEX.name, hashKey: "fingerprint", rangeKey: "occurred_at", projectionType: "ALL" }],
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
  process.stdout.write(
    `quiet-again sweep over ${items} windows (${quietCount} quiet; ${lastSummary}): median ${median(runs).toFixed(0)} ms of 5 runs (${runs.map((ms) => ms.toFixed(0)).join(", ")})\n`,
  );
}

void main().catch((error: unknown) => {
  process.stderr.write(`bench-quiet-sweep: ${String(error)}\n`);
  process.exitCode = 1;
});
