/**
 * The execution environment of one simulated Lambda function: a Node.js process that loads the function's bundle
 * (argv: handler file, export name) with the function's environment, and runs invocations the parent sends over
 * IPC. `console` is captured as Lambda's Node.js runtime captures it (src/LogPatch.js: `console.log`/`info` are
 * INFO, `warn` WARN, `error` ERROR, `debug` DEBUG, `trace` TRACE, plus `console.fatal`), each call formatted with
 * `util.format`, and sent back with the result; the parent formats the lines for the log group.
 *
 * The module is loaded lazily, on the first invocation, so that its init phase (duration and log lines) belongs
 * to that invocation as a cold start does.
 */
import { format } from "node:util";
import type { ChildInvocationResult, ChildInvokeRequest, SerializedError } from "./lambda-sandbox";

type Level = "TRACE" | "DEBUG" | "INFO" | "WARN" | "ERROR" | "FATAL";

const [handlerFile, handlerExport] = process.argv.slice(2);
let captured: { level: Level; message: string }[] = [];

const CONSOLE_LEVELS: readonly [string, Level][] = [
  ["log", "INFO"],
  ["info", "INFO"],
  ["warn", "WARN"],
  ["error", "ERROR"],
  ["debug", "DEBUG"],
  ["trace", "TRACE"],
  ["fatal", "FATAL"],
];
const patchable = console as unknown as Record<string, (...args: unknown[]) => void>;
for (const [method, level] of CONSOLE_LEVELS) {
  patchable[method] = (...args: unknown[]) => {
    captured.push({ level, message: format(...args) });
  };
}

function serialize(error: unknown): SerializedError {
  if (error instanceof Error) {
    return { errorType: error.name || "Error", errorMessage: error.message, stack: (error.stack ?? `${error.name}: ${error.message}`).split("\n") };
  }
  return { errorType: "Error", errorMessage: format(error), stack: [] };
}

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

/** The real clock, kept before any invocation shifts `Date.now`. */
const realNow = Date.now.bind(Date);

/** Makes `Date.now()` read the simulated time `clockMs` plus the real time elapsed, or the real clock again. */
function setClock(clockMs: number | undefined): void {
  if (clockMs === undefined) {
    Date.now = realNow;
    return;
  }
  const offset = clockMs - realNow();
  Date.now = () => realNow() + offset;
}
let loaded: { handler?: Handler; error?: SerializedError } | undefined;

function load(): { durationMs: number; logs: { level: Level; message: string }[]; error?: SerializedError } {
  const started = performance.now();
  captured = [];
  try {
    if (handlerFile === undefined || handlerExport === undefined) throw new Error("the sandbox needs a handler file and an export name");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require(handlerFile) as Record<string, unknown>;
    const handler = module[handlerExport];
    if (typeof handler !== "function") {
      const error = new Error(`${handlerFile.split("/").pop()}.${handlerExport} is undefined or not exported`);
      error.name = "Runtime.HandlerNotFound";
      throw error;
    }
    loaded = { handler: handler as Handler };
  } catch (error) {
    loaded = { error: serialize(error) };
  }
  const logs = captured;
  captured = [];
  return { durationMs: performance.now() - started, logs, ...(loaded.error === undefined ? {} : { error: loaded.error }) };
}

async function invoke(request: ChildInvokeRequest): Promise<ChildInvocationResult> {
  const init = loaded === undefined ? load() : undefined;
  if (loaded?.handler === undefined) {
    return {
      id: request.id,
      ...(init === undefined ? {} : { init }),
      outcome: { kind: "error", phase: "init", error: loaded?.error ?? serialize(new Error("the handler failed to load")) },
      logs: [],
      durationMs: 0,
      maxMemoryUsedMb: Math.ceil(process.memoryUsage().rss / 1048576),
    };
  }
  captured = [];
  const context = {
    ...request.context,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, request.context.deadlineMs - realNow()),
  };
  setClock(request.clockMs);
  const started = performance.now();
  let outcome: ChildInvocationResult["outcome"];
  try {
    outcome = { kind: "success", value: await loaded.handler(request.event, context) };
  } catch (error) {
    outcome = { kind: "error", phase: "invoke", error: serialize(error) };
  }
  const durationMs = performance.now() - started;
  const logs = captured;
  captured = [];
  return {
    id: request.id,
    ...(init === undefined ? {} : { init }),
    outcome,
    logs,
    durationMs,
    maxMemoryUsedMb: Math.ceil(process.memoryUsage().rss / 1048576),
  };
}

process.on("message", (request: ChildInvokeRequest) => {
  invoke(request).then(
    (result) => process.send?.(result),
    (error: unknown) => process.send?.({ id: request.id, outcome: { kind: "error", phase: "invoke", error: serialize(error) }, logs: [], durationMs: 0, maxMemoryUsedMb: 0 }),
  );
});
process.on("disconnect", () => process.exit(0));
