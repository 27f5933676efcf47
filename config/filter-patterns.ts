/**
 * The CloudWatch Logs filter patterns the stacks deploy, in one place, with the reasoning.
 * Reference: "Filter pattern syntax for metric filters, subscription filters, and filter log events"
 * (Amazon CloudWatch Logs User Guide, FilterAndPatternSyntax); lib/filter-pattern.ts models it offline.
 */

/**
 * Metric filters counting error events, one per Lambda log format, both publishing to the same metric.
 * A line is either JSON or text, never both, so no event is counted twice; a test checks that.
 *
 * A bare `ERROR` term is deliberately not used: CloudWatch matches terms anywhere in a line, even inside
 * words, so it would also count an INFO line that mentions the word ("no ERROR found", "ERRORS=0").
 * Both patterns look at the level field only.
 */
export const ERROR_EVENTS_METRIC_PATTERNS = {
  /**
   * Lambda's JSON log format (`logging_config { log_format = "JSON" }`, which this project's functions use):
   * `{"timestamp":…,"level":"ERROR","requestId":…,"message":…}` for `console.error`, Python's
   * `logging.error`, and uncaught errors (with `errorType`/`stackTrace`). FATAL and CRITICAL are the levels
   * above ERROR that Lambda's runtimes and common loggers write.
   */
  json: '{ $.level = "ERROR" || $.level = "FATAL" || $.level = "CRITICAL" }',
  /**
   * Lambda's default text format of the Node.js runtime: `<ISO timestamp>\t<requestId>\t<LEVEL>\t<message>`.
   * CloudWatch splits space-delimited patterns on spaces and tabs; the first field must be the runtime's
   * UTC timestamp (ending in Z) and the third the level, so a message that merely contains "ERROR" is not
   * counted. Uncaught exceptions ("ERROR\tInvoke Error \t{…}") have the same shape.
   */
  text: "[timestamp=*Z, request_id, level=ERROR || level=FATAL || level=CRITICAL, ...]",
} as const;

/**
 * Subscription filter: a coarse pre-filter that passes every line the log processor might classify as an
 * error, in any format it understands, and keeps plain INFO/DEBUG lines out, so the function is not invoked
 * for every log line. The processor decides precisely; a line that passes here but is not an error (an INFO
 * line mentioning "error") creates no incident.
 *
 * One regular expression, because terms cannot express all of it (pino's numeric levels, JSON platform
 * records) and a subscription filter takes one pattern (at most two filters per log group). CloudWatch's
 * regex dialect has no groups and no quotes, hence `.{2,3}` for `":` or `": `. Alternatives:
 * - level words in upper case and capitalised or lower case (text formats, JSON `level`/`severity` fields,
 *   logfmt `level=error`, Python's `[ERROR]`), including syslog-style ALERT/EMERG/crit and Go's panic;
 * - pino/bunyan numeric levels 50–69 (`"level":50`);
 * - Lambda platform failures, which carry no level word: "Task timed out after …", "Runtime exited with error",
 *   failed phases ("Status: timeout"), JSON `platform.report` records with `"status":"timeout"`.
 */
export const LOG_PROCESSOR_SUBSCRIPTION_PATTERN =
  "%" +
  [
    "ERROR",
    "FATAL",
    "CRITICAL",
    "ALERT",
    "EMERG",
    "[Ee]rror",
    "[Ff]atal",
    "[Cc]rit",
    "[Ee]merg",
    "[Pp]anic",
    "Task timed out",
    "Runtime exited",
    "Status: timeout",
    "level.{2,3}[56][0-9]",
    "status.{3,4}timeout",
  ].join("|") +
  "%";
