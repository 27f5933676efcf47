import { BatchWriteItemCommand, WriteRequest } from "@aws-sdk/client-dynamodb";
import { BY_FINGERPRINT_INDEX } from "../handlers/log-processor/incident-schema";
import { SUPPRESSION_ATTRIBUTES as A } from "../handlers/log-processor/suppression-schema";
import { sweepQuietEpisodes } from "../handlers/quiet-notices/sweep";
import { median } from "../lib/bench/stats";
import { startLocalDynamoDb } from "../lib/simulate/local-dynamodb";

/**
 * `npx ts-node --transpile-only scripts/bench-quiet-sweep.ts [items] [quiet]`: how long one quiet-again sweep takes
 * against dynalite, the sweep's share of a notice's latency (the other share is the schedule's rate). Seeds the
 * suppression table with `items` alerted windows, `quiet` of them quiet, sweeps (publishing to a no-op), and prints
 * the median of 5 runs. The incidents table is empty, so each notice costs its Query but finds no line.
 */
async function main(): Promise<void> {
  const items = Number(process.argv[2] ?? 1000);
  const quietCount = Number(process.argv[3] ?? 50);
  const now = Date.UTC(2026, 10, 30, 12, 0, 0);
  const dynamo = await startLocalDynamoDb(
    [
      { address: "suppression", name: "suppression", hashKey: "fingerprint", attributes: [{ name: "fingerprint", type: "S" }], globalSecondaryIndexes: [] },
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
  try {
    for (let run = 0; run < 5; run++) {
      const requests: WriteRequest[] = Array.from({ length: items }, (_, i) => {
        const quiet = i < quietCount;
        const lastSeen = quiet ? now - 20 * 60_000 : now - 60_000;
        return {
          PutRequest: {
            Item: {
              [A.fingerprint]: { S: `run${run}-${String(i).padStart(6, "0")}` },
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
      if (summary.notified !== Math.min(quietCount, 50)) throw new Error(`expected ${Math.min(quietCount, 50)} notices, got ${JSON.stringify(summary)}`);
      // Close the rest of this run's items so the next run sees only its own.
      for (let start = 0; start < requests.length; start += 25) {
        await dynamo.client.send(
          new BatchWriteItemCommand({
            RequestItems: { suppression: requests.slice(start, start + 25).map((r) => ({ DeleteRequest: { Key: { [A.fingerprint]: r.PutRequest?.Item?.[A.fingerprint] ?? { S: "" } } } })) },
          }),
        );
      }
    }
  } finally {
    await dynamo.stop();
  }
  process.stdout.write(
    `quiet-again sweep over ${items} windows (${quietCount} quiet): median ${median(runs).toFixed(0)} ms of 5 runs (${runs.map((ms) => ms.toFixed(0)).join(", ")})\n`,
  );
}

void main().catch((error: unknown) => {
  process.stderr.write(`bench-quiet-sweep: ${String(error)}\n`);
  process.exitCode = 1;
});
