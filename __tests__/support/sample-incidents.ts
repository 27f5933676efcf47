import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { decodeLogsEvent } from "../../handlers/log-processor/decode";
import { buildIncidents, Incident } from "../../handlers/log-processor/incident";
import { DynamoDbIncidentStore } from "../../handlers/log-processor/incident-store";
import { dataMessage, logsEvent } from "./logs-payload";

/** The test emitter's log group in the environment the incident tests use (`LOG_MONITOR_ENV=test`). */
export const EMITTER_GROUP = "/aws/lambda/log-monitor-test-test-emitter";
/** A second monitored group. */
export const ORDERS_GROUP = "/aws/lambda/orders-api";

const REQUEST_ID = "8f2c1a9e-4b7d-4c2e-9a51-3d0f6b2c7e10";
const MINUTE = 60_000;

/** A Node.js runtime text-format line, as Lambda writes `console.error`/`console.fatal` output. */
function nodeLine(level: "ERROR" | "FATAL", text: string): string {
  return `2024-05-01T12:00:00.000Z\t${REQUEST_ID}\t${level}\t${text}\n`;
}

/** The same failure twice (numbers differ, fingerprint does not) and a second failure. */
export const TIMEOUT_A = nodeLine(
  "ERROR",
  "upstream timeout after 3001 ms calling https://payments.example.com/v1/charge",
);
export const TIMEOUT_B = nodeLine(
  "ERROR",
  "upstream timeout after 2987 ms calling https://payments.example.com/v1/charge",
);
export const DISK_FULL = nodeLine("FATAL", "disk full: /tmp has 0 bytes free");

/**
 * Writes, through the processor's own code (decode, classify, fingerprint, BatchWriteItem), seven incidents with
 * times relative to `nowMs`:
 * - test emitter group: timeouts at -50, -40 and -5 minutes, disk full at -10 minutes, a timeout at -3 hours;
 * - orders group: timeouts at -21 and -20 minutes.
 * Returns them newest first per group, as the indexes return them.
 */
export async function writeSampleIncidents(
  client: DynamoDBClient,
  tableName: string,
  nowMs: number,
): Promise<{ emitter: Incident[]; orders: Incident[] }> {
  const delivery = (logGroup: string, logStream: string, events: [number, string][]) =>
    buildIncidents(
      decodeLogsEvent(
        logsEvent(
          dataMessage(
            events.map(([minutesAgo, message], index) => ({
              id: `38000000000000000000000000000000000000000000000000${String(index).padStart(6, "0")}`,
              timestamp: nowMs - minutesAgo * MINUTE,
              message,
            })),
            { logGroup, logStream },
          ),
        ),
      ),
      { ttlDays: 30 },
    );
  const emitter = [
    ...delivery(EMITTER_GROUP, "2024/05/01/[$LATEST]aaaa", [
      [180, TIMEOUT_A],
      [50, TIMEOUT_A],
      [40, TIMEOUT_B],
    ]),
    ...delivery(EMITTER_GROUP, "2024/05/01/[$LATEST]bbbb", [
      [10, DISK_FULL],
      [5, TIMEOUT_B],
    ]),
  ];
  const orders = delivery(ORDERS_GROUP, "2024/05/01/[$LATEST]cccc", [
    [21, TIMEOUT_A],
    [20, TIMEOUT_B],
  ]);
  await new DynamoDbIncidentStore(client, { tableName }).putAll([...emitter, ...orders]);
  const newestFirst = (incidents: Incident[]) =>
    [...incidents].sort((a, b) => b.occurredAt.localeCompare(a.occurredAt));
  return { emitter: newestFirst(emitter), orders: newestFirst(orders) };
}
