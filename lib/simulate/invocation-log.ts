/**
 * Turns one invocation of a simulated function into the log events Lambda writes to its log group, in order and
 * exactly formatted: platform lines around it (INIT_START on a cold start, START, END, REPORT), the handler's
 * console calls as the Node.js runtime formats them (handlers/test-emitter/lambda-log-format.ts), and the lines
 * Lambda adds when the invocation fails (Invoke Error, Task timed out, Runtime exited).
 */
import { formatLambdaLogLine, LambdaLogFormat, LambdaLogLevel } from "../../handlers/test-emitter/lambda-log-format";
import { endLine, initStartLine, invokeErrorLine, reportLine, startLine, SystemLogLevel, timeoutLine } from "./lambda-platform-lines";
import type { CapturedLine, SandboxInvocation } from "./lambda-sandbox";

/** A line of the log group, before CloudWatch gives it an id. */
export interface InvocationLogLine {
  readonly timestampMs: number;
  readonly message: string;
  /** Written by Lambda itself, or by the function's code (console calls and the runtime's error lines). */
  readonly source: "platform" | "application";
  /** The level of an application line. */
  readonly level?: LambdaLogLevel;
  /** Whether the line records a failure: an application line at ERROR or FATAL, or a timeout or crash. */
  readonly error: boolean;
}

/** The function's settings that shape its log lines. */
export interface FunctionLogSettings {
  readonly functionName: string;
  readonly region: string;
  readonly memorySizeMb: number;
  readonly timeoutSeconds: number;
  readonly logFormat: LambdaLogFormat;
  /** JSON format only: application lines below this level are dropped. */
  readonly applicationLogLevel?: string;
  readonly systemLogLevel?: SystemLogLevel;
}

const LEVEL_ORDER: readonly LambdaLogLevel[] = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];

/** Whether Lambda keeps an application line at `level` under the function's `application_log_level`. */
export function keepsApplicationLine(settings: Pick<FunctionLogSettings, "logFormat" | "applicationLogLevel">, level: LambdaLogLevel): boolean {
  if (settings.logFormat !== "json" || settings.applicationLogLevel === undefined) return true;
  const minimum = LEVEL_ORDER.indexOf(settings.applicationLogLevel.toUpperCase() as LambdaLogLevel);
  return minimum < 0 || LEVEL_ORDER.indexOf(level) >= minimum;
}

/**
 * The log lines of one invocation that started at `startMs`, one millisecond apart, END and REPORT after the
 * handler's measured duration.
 */
export function invocationLogLines(
  settings: FunctionLogSettings,
  invocation: SandboxInvocation,
  at: { readonly startMs: number; readonly requestId: string },
): InvocationLogLine[] {
  const context = { format: settings.logFormat, ...(settings.systemLogLevel === undefined ? {} : { systemLogLevel: settings.systemLogLevel }) };
  const lines: InvocationLogLine[] = [];
  let clock = at.startMs;
  const iso = (ms: number): string => new Date(ms).toISOString();
  const platform = (message: string | undefined, error = false): void => {
    if (message !== undefined) lines.push({ timestampMs: clock++, message, source: "platform", error });
  };
  const application = (captured: CapturedLine, requestId: string): void => {
    if (!keepsApplicationLine(settings, captured.level)) return;
    const timestampMs = clock++;
    lines.push({
      timestampMs,
      message: formatLambdaLogLine(captured.level, captured.message, { format: settings.logFormat, timestamp: iso(timestampMs), requestId }),
      source: "application",
      level: captured.level,
      error: captured.level === "ERROR" || captured.level === "FATAL",
    });
  };

  if (invocation.init !== undefined) {
    clock = at.startMs - Math.ceil(invocation.init.durationMs) - invocation.init.logs.length - 1;
    platform(initStartLine(context, { time: iso(clock), functionName: settings.functionName, region: settings.region }));
    // The runtime writes the literal "undefined" as the request id of lines written before any request.
    for (const captured of invocation.init.logs) application(captured, "undefined");
    clock = Math.max(clock, at.startMs);
  }
  platform(startLine(context, { time: iso(clock), requestId: at.requestId }));
  for (const captured of invocation.logs) application(captured, at.requestId);

  const outcome = invocation.outcome;
  if (outcome.kind === "error") {
    const timestampMs = clock++;
    lines.push({
      timestampMs,
      message: invokeErrorLine(settings.logFormat, outcome.error, { timestamp: iso(timestampMs), requestId: outcome.phase === "init" ? "undefined" : at.requestId }),
      source: "application",
      level: "ERROR",
      error: true,
    });
  }
  clock = Math.max(clock, at.startMs + Math.ceil(invocation.durationMs));
  if (outcome.kind === "timeout") {
    platform(timeoutLine({ time: iso(clock), requestId: at.requestId, timeoutSeconds: settings.timeoutSeconds }), true);
  }
  if (outcome.kind === "crash") {
    platform(`RequestId: ${at.requestId} Error: Runtime exited with error: ${outcome.detail}\nRuntime.ExitError\n`, true);
  }
  platform(endLine(context, { requestId: at.requestId }));
  platform(
    reportLine(context, {
      requestId: at.requestId,
      time: iso(clock),
      durationMs: invocation.durationMs,
      memorySizeMb: settings.memorySizeMb,
      maxMemoryUsedMb: Math.min(settings.memorySizeMb, Math.max(1, invocation.maxMemoryUsedMb)),
      ...(invocation.init === undefined ? {} : { initDurationMs: invocation.init.durationMs }),
      status: outcome.kind === "success" ? "success" : outcome.kind === "timeout" ? "timeout" : "error",
      ...(outcome.kind === "error" ? { errorType: outcome.error.errorType } : outcome.kind === "crash" ? { errorType: "Runtime.ExitError" } : {}),
    }),
  );
  return lines;
}
