import { gzipSync } from "node:zlib";

/** A CloudWatch Logs subscription event for the benchmark, with what it holds. */
export interface SyntheticDelivery {
  /** What it is, for the report (`1,000 events, all errors`). */
  readonly name: string;
  /** The Lambda event: `{"awslogs":{"data":"<base64(gzip(JSON))>"}}`. */
  readonly event: { readonly awslogs: { readonly data: string } };
  /** Log events in it. */
  readonly events: number;
  /** Of which error lines (each becomes an incident). */
  readonly errors: number;
  /** Size of the decoded JSON payload, in bytes. */
  readonly payloadBytes: number;
  /** Size of the event as Lambda receives it (base64 of gzip), in bytes. */
  readonly eventBytes: number;
}

/** The largest delivery CloudWatch Logs sends to a subscription: about 1 MB of log events. */
export const MAX_DELIVERY_BYTES = 1_048_576;

const REQUEST_IDS = Array.from(
  { length: 16 },
  (_, i) => `8f2c1a9e-4b7d-4c2e-9a51-${(0x3d0f6b2c7e10 + i).toString(16).padStart(12, "0")}`,
);
const T0 = Date.UTC(2024, 4, 1, 12, 0, 0, 0);

/** A deterministic pseudo-random generator (a 32-bit LCG), so every run benchmarks the same bytes. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

type Line = (n: () => number, at: string, requestId: string) => string;
const int = (n: () => number, max: number) => Math.floor(n() * max);

/**
 * Error lines in the shapes the processor sees (Lambda's Node.js and Python text formats, JSON loggers, platform
 * lines), from one line to a stack trace of a few KB, with numbers and ids that vary so that normalisation works
 * as hard as in production; about a dozen distinct failures.
 */
const ERROR_LINES: readonly Line[] = [
  (n, at, id) =>
    `${at}\t${id}\tERROR\tupstream timeout after ${
      2000 + int(n, 2000)
    } ms calling https://payments.example.com/v1/charges/ch_${int(n, 1e9)}\n`,
  (n, at, id) =>
    `${at}\t${id}\tERROR\tInvoke Error \t{"errorType":"TypeError","errorMessage":"Cannot read properties of undefined (reading 'id')","stack":[` +
    Array.from(
      { length: 8 + int(n, 12) },
      (_, i) => `"    at handler${i} (file:///var/task/index.mjs:${10 + i}:${int(n, 80)})"`,
    ).join(",") +
    "]}\n",
  (n, _at, id) =>
    `[ERROR] KeyError: 'order_${int(n, 100000)}'\nTraceback (most recent call last):\n` +
    Array.from(
      { length: 5 + int(n, 20) },
      (_, i) =>
        `\u00a0\u00a0File "/var/task/app/module_${i}.py", line ${int(
          n,
          400,
        )}, in step_${i}\n\u00a0\u00a0\u00a0\u00a0result = process(record)`,
    ).join("\n") +
    `\n  [request ${id}]`,
  (n, _at, id) =>
    JSON.stringify({
      level: "error",
      time: T0 + int(n, 1e6),
      msg: `payment ${int(n, 1e6)} failed for customer cus_${int(n, 1e9).toString(36)}`,
      requestId: id,
      err: {
        type: "CardDeclinedError",
        message: "card_declined",
        stack: "CardDeclinedError: card_declined\n    at charge (/var/task/pay.js:42:11)",
      },
      attempt: 1 + int(n, 3),
      durationMs: int(n, 5000),
    }),
  (n, at, id) =>
    `${at}\t${id}\tFATAL\tdatabase pool exhausted (${int(n, 200)} waiting) on db-${int(
      n,
      4,
    )}.cluster-abc.eu-west-1.rds.amazonaws.com:5432\n`,
  (n, at, id) => `${at} ${id} Task timed out after ${(3 + int(n, 27)).toFixed(2)} seconds\n`,
  (n, at, id) =>
    `${at}\t${id}\tERROR\tUnhandled Promise Rejection \t{"errorType":"Runtime.UnhandledPromiseRejection","errorMessage":"Error: connect ECONNREFUSED 10.0.${int(
      n,
      255,
    )}.${int(n, 255)}:6379","stack":["Runtime.UnhandledPromiseRejection: Error: connect ECONNREFUSED"]}\n`,
  (n) =>
    `2024-05-01 12:00:${String(int(n, 60)).padStart(2, "0")},${int(n, 1000)} - worker - ERROR - job ${int(
      n,
      1e6,
    )} failed: ValueError('bad row ${int(n, 5000)}')`,
  (_n, _at, id) => `RequestId: ${id} Error: Runtime exited with error: signal: killed\nRuntime.ExitError`,
  (n) =>
    `level=error msg="write failed" table=orders key=${int(n, 1e9).toString(
      16,
    )} err="ProvisionedThroughputExceededException"`,
];

/** Ordinary lines the subscription's pre-filter might still pass, or that a broader filter would: not incidents. */
const OTHER_LINES: readonly Line[] = [
  (n, at, id) => `${at}\t${id}\tINFO\tprocessed ${int(n, 500)} orders with 0 errors in ${int(n, 900)} ms\n`,
  (_n, _at, id) => `START RequestId: ${id} Version: $LATEST\n`,
  (_n, _at, id) => `END RequestId: ${id}\n`,
  (n, _at, id) =>
    `REPORT RequestId: ${id}\tDuration: ${(n() * 900).toFixed(2)} ms\tBilled Duration: ${
      int(n, 900) + 1
    } ms\tMemory Size: 256 MB\tMax Memory Used: ${60 + int(n, 40)} MB\t\n`,
  (n, at, id) => `${at}\t${id}\tWARN\tretrying after ERROR response from upstream (attempt ${1 + int(n, 3)})\n`,
  (n) => JSON.stringify({ level: "info", msg: "cache refreshed", entries: int(n, 1e5), errors: 0 }),
];

/** A delivery of `events` log events of which the share `errorShare` (0..1) are errors, spread evenly. */
export function syntheticDelivery(name: string, events: number, errorShare: number, seed = 1): SyntheticDelivery {
  const n = random(seed);
  const errorEvery = errorShare > 0 ? Math.round(1 / errorShare) : Number.POSITIVE_INFINITY;
  const logEvents: { id: string; timestamp: number; message: string }[] = [];
  let errors = 0;
  for (let i = 0; i < events; i++) {
    const isError = i % errorEvery === 0;
    if (isError) errors++;
    logEvents.push(logEvent(i, isError, n));
  }
  return encode(name, logEvents, errors);
}

/**
 * A maximum-size delivery: error events only (the worst case: every event becomes an item to write and a
 * fingerprint to compute), added until the decoded payload reaches {@link MAX_DELIVERY_BYTES}.
 */
export function maximumSizeDelivery(seed = 7): SyntheticDelivery {
  const n = random(seed);
  const logEvents: { id: string; timestamp: number; message: string }[] = [];
  // The envelope (owner, group, stream, filter names) and the per-event JSON overhead count towards the size.
  let bytes = 300;
  for (let i = 0; ; i++) {
    const event = logEvent(i, true, n);
    const size = Buffer.byteLength(JSON.stringify(event)) + 1;
    if (bytes + size > MAX_DELIVERY_BYTES) break;
    bytes += size;
    logEvents.push(event);
  }
  return encode(
    `maximum-size delivery (1 MB, ${logEvents.length.toLocaleString("en-US")} errors)`,
    logEvents,
    logEvents.length,
  );
}

function logEvent(
  index: number,
  isError: boolean,
  n: () => number,
): { id: string; timestamp: number; message: string } {
  const timestamp = T0 + index * 7;
  const at = new Date(timestamp).toISOString();
  const requestId = REQUEST_IDS[index % REQUEST_IDS.length] as string;
  const lines = isError ? ERROR_LINES : OTHER_LINES;
  const line = lines[int(n, lines.length)] as Line;
  return { id: `38${String(index).padStart(54, "0")}`, timestamp, message: line(n, at, requestId) };
}

function encode(
  name: string,
  logEvents: { id: string; timestamp: number; message: string }[],
  errors: number,
): SyntheticDelivery {
  const payload = JSON.stringify({
    messageType: "DATA_MESSAGE",
    owner: "123456789012",
    logGroup: "/aws/lambda/log-monitor-bench-test-emitter",
    logStream: "2024/05/01/[$LATEST]0123456789abcdef0123456789abcdef",
    subscriptionFilters: ["log-monitor-bench-log-processor"],
    logEvents,
  });
  const data = gzipSync(Buffer.from(payload, "utf8")).toString("base64");
  return {
    name,
    event: { awslogs: { data } },
    events: logEvents.length,
    errors,
    payloadBytes: Buffer.byteLength(payload),
    eventBytes: Buffer.byteLength(JSON.stringify({ awslogs: { data } })),
  };
}
