/**
 * Settings for monitoring at scale (issue 13): how log events travel to the processor (`LOG_MONITOR_TRANSPORT`),
 * the Kinesis event source mapping's batching, and account-wide monitoring with its exclusions. Parsed by
 * `loadConfig` (config.ts), which is the only reader of the environment.
 */
import type { KnownVariable } from "./variables";
import { ConfigurationError } from "./config-error";

/** How subscription deliveries reach the log processor. */
export type Transport = "direct" | "kinesis";

/** The Kinesis event source mapping's batching (only with `LOG_MONITOR_TRANSPORT=kinesis`). */
export interface KinesisSettings {
  /** Records per invocation at most (`LOG_MONITOR_KINESIS_BATCH_SIZE`). @default 100 */
  readonly batchSize: number;
  /** Seconds Lambda gathers records before invoking (`LOG_MONITOR_KINESIS_BATCHING_WINDOW_SECONDS`). @default 5 */
  readonly batchingWindowSeconds: number;
}

/** Log groups the account-wide subscription must leave out (`LOG_MONITOR_EXCLUDE_LOG_GROUPS`). */
export interface LogGroupExclusions {
  /** Exact names, written into the account policy's selection criteria (`LogGroupName NOT IN [...]`). */
  readonly names: readonly string[];
  /**
   * Name prefixes (entries ending in `*`, without it). The selection criteria of a subscription filter policy accept
   * only exact names, so CloudWatch Logs still delivers these groups; the processor drops their events unread.
   */
  readonly prefixes: readonly string[];
}

/** The scale settings of one environment. */
export interface ScaleSettings {
  /** `LOG_MONITOR_TRANSPORT`: `direct` (CloudWatch Logs invokes the processor) or `kinesis`. @default "direct" */
  readonly transport: Transport;
  /** Batching of the Kinesis event source mapping (defaults apply even when the transport is direct). */
  readonly kinesis: KinesisSettings;
  /** `LOG_MONITOR_ACCOUNT_WIDE`: one account-level subscription filter policy for every log group. @default false */
  readonly accountWide: boolean;
  /** `LOG_MONITOR_EXCLUDE_LOG_GROUPS`: groups left out of account-wide monitoring. @default none */
  readonly excludeLogGroups: LogGroupExclusions;
}

/** Kinesis event source mapping: BatchSize 1 to 10,000 for Kinesis (Lambda API reference, CreateEventSourceMapping). */
export const KINESIS_BATCH_SIZE_MAX = 10_000;
/** MaximumBatchingWindowInSeconds: 0 to 300 (Lambda API reference, CreateEventSourceMapping). */
export const KINESIS_BATCHING_WINDOW_MAX_SECONDS = 300;
/**
 * PutAccountPolicy, selectionCriteria: "the only supported selectionCriteria filter is LogGroupName NOT IN []" for a
 * subscription filter policy, and "The selectionCriteria string can be up to 25KB in length. The length is determined
 * by using its UTF-8 bytes." (CloudWatch Logs API reference, PutAccountPolicy,
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutAccountPolicy.html). "25KB" is read
 * as 25,000 bytes, the stricter of its two readings, so that synth never accepts what AWS may refuse.
 */
export const SELECTION_CRITERIA_MAX_BYTES = 25_000;

// CreateLogGroup: 1 to 512 characters from a-z, A-Z, 0-9, '_', '-', '/', '.', '#'.
const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;

const TRANSPORT_VARIABLE = "LOG_MONITOR_TRANSPORT";
const EXCLUDE_VARIABLE = "LOG_MONITOR_EXCLUDE_LOG_GROUPS";

/**
 * Reads the scale settings. `read` returns a variable's trimmed value, or undefined when unset or blank.
 * @throws ConfigurationError naming the variable and the value.
 */
export function parseScaleSettings(read: (name: KnownVariable) => string | undefined): ScaleSettings {
  const transportValue = read(TRANSPORT_VARIABLE) ?? "direct";
  if (transportValue !== "direct" && transportValue !== "kinesis") {
    throw new ConfigurationError(TRANSPORT_VARIABLE, transportValue, 'is not a transport (expected "direct" or "kinesis")');
  }
  const accountWideValue = read("LOG_MONITOR_ACCOUNT_WIDE");
  if (accountWideValue !== undefined && accountWideValue !== "true" && accountWideValue !== "false") {
    throw new ConfigurationError("LOG_MONITOR_ACCOUNT_WIDE", accountWideValue, "is not a boolean (expected true or false)");
  }
  const accountWide = accountWideValue === "true";
  const excludeValue = read(EXCLUDE_VARIABLE);
  if (excludeValue !== undefined && !accountWide) {
    throw new ConfigurationError(EXCLUDE_VARIABLE, excludeValue, "is set but LOG_MONITOR_ACCOUNT_WIDE is not true: exclusions apply only to account-wide monitoring");
  }
  return {
    transport: transportValue,
    kinesis: {
      batchSize: integer(read, "LOG_MONITOR_KINESIS_BATCH_SIZE", 100, 1, KINESIS_BATCH_SIZE_MAX),
      batchingWindowSeconds: integer(read, "LOG_MONITOR_KINESIS_BATCHING_WINDOW_SECONDS", 5, 0, KINESIS_BATCHING_WINDOW_MAX_SECONDS),
    },
    accountWide,
    excludeLogGroups: parseExclusions(excludeValue),
  };
}

/**
 * Parses `LOG_MONITOR_EXCLUDE_LOG_GROUPS`: comma-separated log group names, or prefixes ending in one `*`
 * (`/aws/lambda/noisy-*`). Refuses anything else: a `*` elsewhere, a character CloudWatch Logs does not allow in a
 * name, an empty prefix (which would exclude every group), a duplicate.
 */
export function parseExclusions(value: string | undefined): LogGroupExclusions {
  if (value === undefined) return { names: [], prefixes: [] };
  const names: string[] = [];
  const prefixes: string[] = [];
  const seen = new Set<string>();
  for (const entry of value.split(",").map((part) => part.trim())) {
    if (entry === "") throw new ConfigurationError(EXCLUDE_VARIABLE, value, "has an empty entry (two commas, or a comma at an end)");
    if (seen.has(entry)) throw new ConfigurationError(EXCLUDE_VARIABLE, entry, "is listed more than once");
    seen.add(entry);
    const isPrefix = entry.endsWith("*");
    const name = isPrefix ? entry.slice(0, -1) : entry;
    if (name === "") throw new ConfigurationError(EXCLUDE_VARIABLE, entry, "would exclude every log group; unset LOG_MONITOR_ACCOUNT_WIDE instead");
    if (name.includes("*")) {
      throw new ConfigurationError(EXCLUDE_VARIABLE, entry, "has a * that is not at its end; only prefixes (a name followed by one *) are supported");
    }
    if (!LOG_GROUP_NAME.test(name)) {
      throw new ConfigurationError(EXCLUDE_VARIABLE, entry, "is not a log group name or prefix: use 1 to 512 letters, digits and . - _ / #, optionally followed by *");
    }
    (isPrefix ? prefixes : names).push(name);
  }
  return { names, prefixes };
}

/**
 * The account policy's selection criteria: `LogGroupName NOT IN ["a", "b"]`, names sorted (so that the order of the
 * variable does not change the plan). JSON string quoting is what AWS's examples use.
 * @throws ConfigurationError when the criteria exceed {@link SELECTION_CRITERIA_MAX_BYTES}.
 */
export function selectionCriteria(excludedNames: readonly string[]): string {
  const criteria = `LogGroupName NOT IN [${[...new Set(excludedNames)].sort().map((name) => JSON.stringify(name)).join(", ")}]`;
  const bytes = Buffer.byteLength(criteria, "utf8");
  if (bytes > SELECTION_CRITERIA_MAX_BYTES) {
    throw new ConfigurationError(
      EXCLUDE_VARIABLE,
      `${excludedNames.length} names`,
      `make selection criteria of ${bytes} bytes; CloudWatch Logs accepts at most ${SELECTION_CRITERIA_MAX_BYTES} (exclude by prefix, ending an entry in *)`,
    );
  }
  return criteria;
}

function integer(read: (name: KnownVariable) => string | undefined, variable: KnownVariable, defaultValue: number, min: number, max: number): number {
  const value = read(variable);
  if (value === undefined) return defaultValue;
  if (!/^\d+$/.test(value)) throw new ConfigurationError(variable, value, `is not a whole number (expected ${min} to ${max})`);
  const number = Number(value);
  if (number < min || number > max) throw new ConfigurationError(variable, value, `is out of range (expected ${min} to ${max})`);
  return number;
}
