/**
 * The log events Lambda itself writes around each invocation of a Node.js function (the "system" or "platform"
 * logs), in both log formats, and the line the Node.js runtime writes when a handler throws.
 *
 * Shapes, and where each comes from:
 * - Text format: `INIT_START Runtime Version: ...`, `START RequestId: <id> Version: $LATEST`, `END RequestId: <id>`,
 *   `REPORT RequestId: <id>\tDuration: ... ms\tBilled Duration: ... ms\tMemory Size: ... MB\tMax Memory Used: ... MB\t`
 *   (AWS Lambda Developer Guide, "Using CloudWatch Logs with Lambda"), and `<ts> <requestId> Task timed out after
 *   N.00 seconds` for a timeout ("Failures during the invoke phase").
 * - JSON format: `{"time","type":"platform.start"|"platform.report"|"platform.initStart","record":{...}}`
 *   (telemetry-schema-reference). Lambda filters system records by `system_log_level`: `platform.initStart`,
 *   `platform.start` and `platform.report` are INFO records, so `system_log_level = "WARN"` drops them; the text
 *   format cannot be filtered and always has them.
 * - A handler that throws: the Node.js runtime logs `Invoke Error \t{errorType, errorMessage, stack}` at ERROR in
 *   the text format, and `{"timestamp","level":"ERROR","requestId","message":{errorType, errorMessage, stackTrace}}`
 *   in JSON (aws/aws-lambda-nodejs-runtime-interface-client: src/CallbackContext.js, src/LogPatch.js).
 *
 * Not modelled: the X-Ray `XRAY TraceId` line of traced functions, and `platform.runtimeDone` (a DEBUG record).
 */
import type { LambdaLogFormat } from "../../handlers/test-emitter/lambda-log-format";

/** Lambda's system log levels, least severe first (`logging_config { system_log_level }`). */
export const SYSTEM_LOG_LEVELS = ["DEBUG", "INFO", "WARN"] as const;

/** One of Lambda's system log levels. */
export type SystemLogLevel = (typeof SYSTEM_LOG_LEVELS)[number];

/** The runtime version the INIT_START line names; any real one has the same shape. */
export const SIMULATED_RUNTIME_VERSION = "nodejs:24.v13";

/** Where a platform line is written from. */
export interface PlatformLineContext {
  /** `text` or `json`, from the function's `logging_config`. */
  readonly format: LambdaLogFormat;
  /** The function's system log level; JSON records below it are dropped. @default "INFO" */
  readonly systemLogLevel?: SystemLogLevel;
}

/** What the REPORT line of one invocation says. */
export interface InvocationReport {
  /** The invocation's request id. */
  readonly requestId: string;
  /** ISO-8601 time of the REPORT line. */
  readonly time: string;
  /** How long the handler ran, in milliseconds. */
  readonly durationMs: number;
  /** The function's memory size (`memory_size`). */
  readonly memorySizeMb: number;
  /** Peak memory of the execution environment, in MB. */
  readonly maxMemoryUsedMb: number;
  /** Present on the first invocation of an execution environment: how long its init phase took. */
  readonly initDurationMs?: number;
  /** `success`, or `timeout` when the handler ran past the function's timeout, or `error` when it threw. */
  readonly status: "success" | "timeout" | "error";
  /** With `status: "error"`: the error's type. */
  readonly errorType?: string;
}

function emitsInfoRecords(context: PlatformLineContext): boolean {
  return context.format === "text" || (context.systemLogLevel ?? "INFO") !== "WARN";
}

/** The INIT_START line (text) or `platform.initStart` record (JSON) of a cold start; undefined when filtered out. */
export function initStartLine(
  context: PlatformLineContext,
  init: { readonly time: string; readonly functionName: string; readonly region: string },
): string | undefined {
  if (!emitsInfoRecords(context)) return undefined;
  const runtimeVersionArn = `arn:aws:lambda:${init.region}::runtime:${"0".repeat(64)}`;
  if (context.format === "text") {
    return `INIT_START Runtime Version: ${SIMULATED_RUNTIME_VERSION}\tRuntime Version ARN: ${runtimeVersionArn}\n`;
  }
  return JSON.stringify({
    time: init.time,
    type: "platform.initStart",
    record: {
      initializationType: "on-demand",
      phase: "init",
      runtimeVersion: SIMULATED_RUNTIME_VERSION,
      runtimeVersionArn,
      functionName: init.functionName,
      functionVersion: "$LATEST",
    },
  });
}

/** The START line (text) or `platform.start` record (JSON) of an invocation; undefined when filtered out. */
export function startLine(context: PlatformLineContext, start: { readonly time: string; readonly requestId: string }): string | undefined {
  if (!emitsInfoRecords(context)) return undefined;
  if (context.format === "text") return `START RequestId: ${start.requestId} Version: $LATEST\n`;
  return JSON.stringify({ time: start.time, type: "platform.start", record: { requestId: start.requestId, version: "$LATEST" } });
}

/** The END line of an invocation; the JSON format has no counterpart at INFO, so undefined there. */
export function endLine(context: PlatformLineContext, end: { readonly requestId: string }): string | undefined {
  return context.format === "text" ? `END RequestId: ${end.requestId}\n` : undefined;
}

/** The REPORT line (text) or `platform.report` record (JSON) of an invocation; undefined when filtered out. */
export function reportLine(context: PlatformLineContext, report: InvocationReport): string | undefined {
  if (!emitsInfoRecords(context)) return undefined;
  const durationMs = round2(report.durationMs);
  const billedDurationMs = Math.max(1, Math.ceil(report.durationMs));
  if (context.format === "text") {
    const fields = [
      `REPORT RequestId: ${report.requestId}`,
      `Duration: ${durationMs.toFixed(2)} ms`,
      `Billed Duration: ${billedDurationMs} ms`,
      `Memory Size: ${report.memorySizeMb} MB`,
      `Max Memory Used: ${report.maxMemoryUsedMb} MB`,
      ...(report.initDurationMs === undefined ? [] : [`Init Duration: ${round2(report.initDurationMs).toFixed(2)} ms`]),
      ...(report.status === "timeout" ? ["Status: timeout"] : []),
    ];
    return `${fields.join("\t")}\t\n`;
  }
  return JSON.stringify({
    time: report.time,
    type: "platform.report",
    record: {
      requestId: report.requestId,
      metrics: {
        durationMs,
        billedDurationMs,
        memorySizeMB: report.memorySizeMb,
        maxMemoryUsedMB: report.maxMemoryUsedMb,
        ...(report.initDurationMs === undefined ? {} : { initDurationMs: round2(report.initDurationMs) }),
      },
      status: report.status,
      ...(report.status === "error" && report.errorType !== undefined ? { errorType: report.errorType } : {}),
    },
  });
}

/** The line Lambda writes when an invocation runs past the function's timeout (either format: it is not JSON). */
export function timeoutLine(timeout: { readonly time: string; readonly requestId: string; readonly timeoutSeconds: number }): string {
  return `${timeout.time} ${timeout.requestId} Task timed out after ${timeout.timeoutSeconds.toFixed(2)} seconds\n`;
}

/** An error thrown by a handler, as the runtime serialises it. */
export interface HandlerError {
  /** The error's `name` (`InvalidEmitRequestError`, `TypeError`). */
  readonly errorType: string;
  /** The error's `message`. */
  readonly errorMessage: string;
  /** The stack, one frame per entry, the first being `<type>: <message>`. */
  readonly stack: readonly string[];
}

/** The ERROR line the Node.js runtime writes when the handler throws (`Invoke Error`). */
export function invokeErrorLine(
  format: LambdaLogFormat,
  error: HandlerError,
  at: { readonly timestamp: string; readonly requestId: string },
): string {
  if (format === "json") {
    return JSON.stringify({
      timestamp: at.timestamp,
      level: "ERROR",
      requestId: at.requestId,
      message: { errorType: error.errorType, errorMessage: error.errorMessage, stackTrace: error.stack },
    });
  }
  const details = JSON.stringify({ errorType: error.errorType, errorMessage: error.errorMessage, stack: error.stack });
  return `${at.timestamp}\t${at.requestId}\tERROR\tInvoke Error \t${details}\n`;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
