/**
 * How bad an incident is. Only these three levels make an incident; everything below ERROR is not one.
 *
 * Ordering: FATAL > CRITICAL > ERROR.
 */
export type Severity = "ERROR" | "CRITICAL" | "FATAL";

const RANK: Readonly<Record<Severity, number>> = { ERROR: 1, CRITICAL: 2, FATAL: 3 };

/** Every severity, least severe first. */
export const SEVERITIES: readonly Severity[] = ["ERROR", "CRITICAL", "FATAL"];

/** The more severe of two severities; `undefined` counts as "not an incident". */
export function maxSeverity(a: Severity | undefined, b: Severity | undefined): Severity | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * Level words and the severity each stands for; words mapped to `undefined` are known levels that are
 * not incidents (so a line that starts `INFO` is settled as "not an error" even if it mentions ERROR later).
 *
 * The mapping follows syslog's order (emerg > alert > crit > err), which Google Cloud Logging's
 * `severity` and most loggers copy:
 * - ERROR: `error`, `err`, java.util.logging's `severe`.
 * - CRITICAL: `critical`, `crit`, `alert` (syslog puts alert above crit, but both mean "act now, the process
 *   still runs"), and zap's `dpanic` (a panic in development, only logged in production).
 * - FATAL: `fatal`, `emerg`/`emergency`, `panic` — the process is going down or the system is unusable.
 */
const LEVEL_WORDS: ReadonlyMap<string, Severity | undefined> = new Map<string, Severity | undefined>([
  ["trace", undefined],
  ["debug", undefined],
  ["verbose", undefined],
  ["info", undefined],
  ["information", undefined],
  ["notice", undefined],
  ["warn", undefined],
  ["warning", undefined],
  ["error", "ERROR"],
  ["err", "ERROR"],
  ["severe", "ERROR"],
  ["critical", "CRITICAL"],
  ["crit", "CRITICAL"],
  ["alert", "CRITICAL"],
  ["dpanic", "CRITICAL"],
  ["fatal", "FATAL"],
  ["emerg", "FATAL"],
  ["emergency", "FATAL"],
  ["panic", "FATAL"],
]);

/** Whether `word` (any case) is a log level name, whether or not it is an incident level. */
export function isLevelWord(word: string): boolean {
  return LEVEL_WORDS.has(word.toLowerCase());
}

/**
 * The severity a level stands for, or `undefined` when it is not an incident level or not a level at all.
 *
 * Strings are matched in any case (`error`, `Error`, `ERROR`). Numbers are pino's and bunyan's levels
 * (10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal): 50 to 59 is ERROR, 60 and above FATAL.
 * Python's numeric levels (40 = ERROR) are not recognised because they collide with pino's 40 = warn;
 * Python loggers write the level name instead.
 */
export function severityOfLevel(level: unknown): Severity | undefined {
  if (typeof level === "string") return LEVEL_WORDS.get(level.trim().toLowerCase());
  if (typeof level === "number" && Number.isFinite(level)) {
    if (level >= 60) return "FATAL";
    if (level >= 50) return "ERROR";
  }
  return undefined;
}
