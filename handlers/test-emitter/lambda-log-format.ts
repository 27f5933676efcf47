/**
 * Formats a line exactly as Lambda's Node.js runtime writes `console.*` output to CloudWatch Logs, so tests and
 * simulators can produce real-shaped log events without running Lambda.
 *
 * Source: aws/aws-lambda-nodejs-runtime-interface-client, src/LogPatch.js (and src/logging/formatter.ts in the
 * current layout):
 * - text (`AWS_LAMBDA_LOG_FORMAT` unset or TEXT), `logTextToFd`:
 *   `${time}\t${requestId}\t${level.name}\t${util.format(message, ...params)}\n`
 * - JSON, `formatJsonMessage`: `JSON.stringify({ timestamp, level, requestId, message })`, no trailing newline.
 *
 * In Lambda the runtime writes to the telemetry file descriptor (`_LAMBDA_TELEMETRY_LOG_FD`), where each frame
 * is one CloudWatch event: a text line keeps its inner newlines and ends with `\n`. (Only the stdout fallback,
 * used outside Lambda, turns inner newlines into `\r`.) `util.format` of a single string returns it unchanged,
 * so this takes the message as one string.
 */

/** The runtime's level names (`console.trace` ... `console.fatal`; `console.log` is INFO). */
export type LambdaLogLevel = "TRACE" | "DEBUG" | "INFO" | "WARN" | "ERROR" | "FATAL";

/** Lambda's log formats (`logging_config { log_format }`). */
export type LambdaLogFormat = "text" | "json";

/** Where and when the line was written. */
export interface LambdaLogLineOptions {
  /** `text` (the default in Lambda) or `json`. */
  readonly format: LambdaLogFormat;
  /** ISO-8601 time, as `new Date().toISOString()` gives it. */
  readonly timestamp: string;
  /** The invocation's request id. */
  readonly requestId: string;
}

/** The CloudWatch event message Lambda's Node.js runtime produces for `console.<level>(message)`. */
export function formatLambdaLogLine(level: LambdaLogLevel, message: string, options: LambdaLogLineOptions): string {
  const { format, timestamp, requestId } = options;
  if (format === "json") return JSON.stringify({ timestamp, level, requestId, message });
  return `${timestamp}\t${requestId}\t${level}\t${message}\n`;
}
