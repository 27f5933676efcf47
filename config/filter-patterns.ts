/**
 * The CloudWatch Logs filter patterns the stacks deploy, in one place, with the reasoning.
 * Reference: "Filter pattern syntax for metric filters, subscription filters, and filter log events"
 * (Amazon CloudWatch Logs User Guide, FilterAndPatternSyntax).
 */

/**
 * Metric filter: counts error events of functions that log in Lambda's JSON log format
 * (`logging_config { log_format = "JSON" }`, which every function of this project uses).
 *
 * Lambda's runtimes write each application line as `{"timestamp":…,"level":"ERROR","requestId":…,"message":…}`
 * (Node.js `console.error`, Python `logging.error`, uncaught exceptions with `errorType`/`stackTrace`), so
 * the level is matched exactly. A bare `ERROR` term would also count an INFO line that merely mentions the
 * word ("no ERROR found"); a JSON pattern does not. FATAL and CRITICAL are the levels above ERROR that
 * Lambda's runtimes and common loggers write.
 */
export const ERROR_EVENTS_METRIC_PATTERN = '{ $.level = "ERROR" || $.level = "FATAL" || $.level = "CRITICAL" }';

/**
 * Subscription filter: a coarse pre-filter that passes every line the log processor might classify as an
 * error, in any of the formats it understands, and keeps plain INFO/DEBUG lines out so the function is not
 * invoked for every log line. The processor decides precisely; a line that passes here but is not an error
 * (an INFO line mentioning "error") creates no incident.
 *
 * Terms joined by `?` match when any of them occurs. They cover level words in upper and lower case (text
 * formats, JSON `level`/`severity` fields, logfmt `level=error`), and Lambda platform failures, which carry
 * no level word: timeouts ("Task timed out after …"), crashes ("Runtime exited with error …") and failed
 * init phases ("Status: error", "Status: timeout").
 */
export const LOG_PROCESSOR_SUBSCRIPTION_PATTERN = [
  "ERROR",
  "FATAL",
  "CRITICAL",
  "Error",
  "Fatal",
  "Critical",
  "error",
  "fatal",
  "critical",
  '"Task timed out"',
  '"Runtime exited"',
  '"Status: timeout"',
]
  .map((term) => `?${term}`)
  .join(" ");
