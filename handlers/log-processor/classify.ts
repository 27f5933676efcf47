import { ParsedLogLine, parseLogLine } from "./log-line";
import { maxSeverity, Severity, severityOfLevel } from "./severity";

/** Why a log line is an incident, and what it says about the failing request. */
export interface Classification {
  /** How bad it is: FATAL > CRITICAL > ERROR. */
  readonly severity: Severity;
  /** The Lambda request id, when the line carries one. */
  readonly requestId?: string;
  /** The error's type (`TypeError`, `KeyError`, `Runtime.ImportModuleError`), when the line carries one. */
  readonly errorType?: string;
}

/**
 * Decides whether one log event message records a failure, and how severe it is; `null` when it does not.
 *
 * What counts as an error:
 * - A level of ERROR or worse, stated by the Lambda runtime (text or JSON log format) or by the application
 *   itself (a JSON `level`/`severity` field, pino/bunyan numbers, a logfmt `level=`, or a level word at the start
 *   of a plain line). When both state a level, the more severe wins: `console.log('{"level":"error"}')` is an
 *   error although the runtime labels it INFO, and `console.error("INFO ...")` is an error because the runtime
 *   and every metric filter on ERROR count it as one.
 * - A Lambda platform failure with no level word: `Task timed out after N seconds`, `RequestId: ... Error:
 *   Runtime exited ...`, `REPORT`/`INIT_REPORT` lines and `platform.*` JSON records whose status is `error`,
 *   `failure` or `timeout`. These are ERROR: the platform tells us an invocation failed, not how much it matters.
 *   A timed-out invoke therefore yields two incidents (the timeout line and the REPORT), which share a request id.
 *
 * Not errors: lines whose level is INFO, WARN, DEBUG or TRACE even if they mention ERROR later
 * (`INFO: no ERROR found`), lines with no level (`ERRORS=0`, `0 errors`), and successful START/END/REPORT lines.
 */
export function classifyLogMessage(message: string): Classification | null {
  return classifyParsedLine(parseLogLine(message));
}

/** {@link classifyLogMessage} of a line already parsed (the processor parses each line once). */
export function classifyParsedLine(line: ParsedLogLine): Classification | null {
  let severity: Severity | undefined = line.platformFailure ? "ERROR" : undefined;
  for (const level of line.levels) severity = maxSeverity(severity, severityOfLevel(level));
  if (severity === undefined) return null;
  return {
    severity,
    ...(line.requestId !== undefined ? { requestId: line.requestId } : {}),
    ...(line.errorType !== undefined ? { errorType: line.errorType } : {}),
  };
}
