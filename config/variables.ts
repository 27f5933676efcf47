/**
 * The configuration variables the project reads, in one list: `loadConfig` reads only names from it (its reader
 * takes a {@link KnownVariable}, so TypeScript refuses a name that is not listed), and a `LOG_MONITOR_*` variable
 * in the environment that is not listed is refused with a "did you mean" for a near miss, instead of being
 * silently ignored. To add a variable, add its name here.
 */
import { ConfigurationError } from "./config-error";

/** The prefix every variable of the project shares. */
export const VARIABLE_PREFIX = "LOG_MONITOR_";

/** Every `LOG_MONITOR_*` variable the configuration reads. */
export const KNOWN_VARIABLES = [
  "LOG_MONITOR_ENV",
  "LOG_MONITOR_STATE_BUCKET",
  "LOG_MONITOR_STATE_REGION",
  "LOG_MONITOR_ALERT_EMAILS",
  "LOG_MONITOR_METRIC_NAMESPACE",
  "LOG_MONITOR_METRIC_NAME",
  "LOG_MONITOR_LOG_RETENTION_DAYS",
  "LOG_MONITOR_INCIDENT_TTL_DAYS",
  "LOG_MONITOR_REALTIME_ALERTS",
  "LOG_MONITOR_SUPPRESSION_MINUTES",
  "LOG_MONITOR_KMS_KEY_ARN",
  "LOG_MONITOR_PERMISSIONS_BOUNDARY",
  "LOG_MONITOR_RESERVED_CONCURRENCY",
  "LOG_MONITOR_SILENCE_ALARM_MINUTES",
  "LOG_MONITOR_LOG_GROUPS",
  "LOG_MONITOR_DELETION_PROTECTION",
  "LOG_MONITOR_MONTHLY_BUDGET_USD",
  "LOG_MONITOR_ACCOUNT_ID",
  "LOG_MONITOR_MAX_ALERTS_PER_DELIVERY",
  "LOG_MONITOR_TRANSPORT",
  "LOG_MONITOR_ACCOUNT_WIDE",
  "LOG_MONITOR_EXCLUDE_LOG_GROUPS",
  "LOG_MONITOR_KINESIS_BATCH_SIZE",
  "LOG_MONITOR_KINESIS_BATCHING_WINDOW_SECONDS",
  "LOG_MONITOR_SOURCE_ACCOUNTS",
  "LOG_MONITOR_ORGANIZATION_ID",
  "LOG_MONITOR_SOURCE_ACCOUNT_ID",
  "LOG_MONITOR_SLACK_CHANNELS",
  "LOG_MONITOR_TEAMS_CHANNELS",
  "LOG_MONITOR_QUIET_NOTICES",
  "LOG_MONITOR_DEPLOYMENT",
  "LOG_MONITOR_PAGER_ENDPOINT_PARAMETER",
] as const;

/**
 * A variable the configuration reads: a `LOG_MONITOR_*` name from {@link KNOWN_VARIABLES}, or one of the AWS
 * variables that resolve the region (config/regions.ts).
 */
export type KnownVariable = (typeof KNOWN_VARIABLES)[number] | "AWS_REGION" | "AWS_DEFAULT_REGION" | "AWS_PROFILE" | "AWS_CONFIG_FILE";

/**
 * Refuses the first `LOG_MONITOR_*` variable of the environment that the configuration does not read (in name
 * order, so the message is the same on every run), suggesting the closest known name when it is a near miss.
 *
 * @throws ConfigurationError naming the variable.
 */
export function checkUnknownVariables(env: Readonly<Record<string, string | undefined>>): void {
  const known: readonly string[] = KNOWN_VARIABLES;
  const unknown = Object.keys(env)
    .filter((name) => name.startsWith(VARIABLE_PREFIX) && env[name] !== undefined && !known.includes(name))
    .sort();
  const name = unknown[0];
  if (name === undefined) return;
  const suggestion = closestKnownVariable(name);
  throw new ConfigurationError(
    name,
    env[name] ?? "",
    `is not a variable log-monitor reads${suggestion === undefined ? " (see README, Configuration)" : `: did you mean ${suggestion}?`}`,
  );
}

/**
 * The known variable a misspelt name most likely meant, or `undefined` when none is close: an edit distance of at
 * most a third of the name's own part (after the prefix), or one name extending the other (`LOG_MONITOR_ENVIRONMENT`
 * for `LOG_MONITOR_ENV`).
 */
export function closestKnownVariable(name: string): string | undefined {
  const stem = name.slice(VARIABLE_PREFIX.length);
  let best: { name: string; distance: number } | undefined;
  for (const candidate of KNOWN_VARIABLES) {
    const candidateStem = candidate.slice(VARIABLE_PREFIX.length);
    const distance = editDistance(stem, candidateStem);
    const near = distance <= Math.max(1, Math.floor(candidateStem.length / 3)) ||
      (Math.min(stem.length, candidateStem.length) >= 3 && (stem.startsWith(candidateStem) || candidateStem.startsWith(stem)));
    if (near && (best === undefined || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

/** Levenshtein distance (insertions, deletions, substitutions), with a transposition counted as one edit. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) (rows[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = rows[i] as number[];
      const previous = rows[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((previous[j] as number) + 1, (row[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j] as number, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}
