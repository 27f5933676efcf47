import { FilterPatternError, parseFilterPattern } from "../lib/filter-pattern";
import { ConfigurationError } from "./config-error";
import { logGroupId } from "./naming";

/** A log group of the user's application that the pipeline monitors. */
export interface MonitoredLogGroup {
  /** The existing log group's name. */
  readonly name: string;
  /** A metric filter pattern replacing the default pair (Lambda JSON and text formats). @default the defaults */
  readonly metricPattern?: string;
  /** A subscription filter pattern replacing the default pre-filter. @default the default */
  readonly subscriptionPattern?: string;
}

const VARIABLE = "LOG_MONITOR_LOG_GROUPS";
// The log groups of the project's own functions, in any environment: `/aws/lambda/log-monitor-<env>-<function>`.
const PROJECT_LOG_GROUP = /^\/aws\/lambda\/log-monitor-([a-z](?:[a-z0-9-]*[a-z0-9])?)-(test-emitter|log-processor)$/;

function projectGroupReason(fn: string, ownEnvironment: boolean): string {
  if (!ownEnvironment) {
    return "belongs to another environment of the log monitor; environments never subscribe to each other's log groups";
  }
  return fn === "test-emitter"
    ? "is the test emitter's log group, which is always monitored"
    : "is the log processor's own log group: the stack creates it (so a plan cannot read it first), and the processor would process its own error lines";
}
// CreateLogGroup: 1 to 512 characters from a-z, A-Z, 0-9, '_', '-', '/', '.', '#'.
const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
// A Logs Insights query (the dashboard's recent-errors widget) reads at most 50 log groups; one is the emitter's.
const MAX_GROUPS = 49;

/**
 * Parses `LOG_MONITOR_LOG_GROUPS`: either comma-separated names
 * (`/aws/lambda/orders,/ecs/payments`), or, to override a group's patterns, a JSON array whose items are
 * names or `{"name", "metricPattern"?, "subscriptionPattern"?}` objects. Patterns are checked with the
 * offline filter-pattern engine, so a typo fails synth instead of a deploy. The log groups of the project's own
 * functions, in any environment, are refused; `reservedNames` are this environment's, for the message.
 */
export function parseLogGroups(value: string | undefined, reservedNames: readonly string[]): readonly MonitoredLogGroup[] {
  if (value === undefined || value.trim() === "") return [];
  const trimmed = value.trim();
  const groups = trimmed.startsWith("[") || trimmed.startsWith("{") ? parseJsonForm(value) : parseListForm(value);
  if (groups.length === 0) {
    throw new ConfigurationError(VARIABLE, value, "lists no log group: give names separated by commas, or unset it");
  }

  if (groups.length > MAX_GROUPS) {
    throw new ConfigurationError(VARIABLE, value, `lists ${groups.length} log groups; at most ${MAX_GROUPS} fit one Logs Insights query`);
  }
  const seen = new Set<string>();
  const ids = new Map<string, string>();
  for (const group of groups) {
    if (!LOG_GROUP_NAME.test(group.name)) {
      throw new ConfigurationError(
        VARIABLE,
        group.name,
        "is not a valid log group name: use 1 to 512 letters, digits and . - _ / #",
      );
    }
    const projectGroup = PROJECT_LOG_GROUP.exec(group.name);
    if (projectGroup !== null) {
      throw new ConfigurationError(VARIABLE, group.name, projectGroupReason(projectGroup[2] ?? "", reservedNames.includes(group.name)));
    }
    if (seen.has(group.name)) throw new ConfigurationError(VARIABLE, group.name, "is listed more than once");
    seen.add(group.name);
    const id = logGroupId(group.name);
    if (id === "") {
      throw new ConfigurationError(VARIABLE, group.name, "has no letter or digit to name its resources after");
    }
    const clash = ids.get(id);
    if (clash !== undefined) {
      throw new ConfigurationError(
        VARIABLE,
        group.name,
        `cannot be told apart from ${JSON.stringify(clash)} in resource names (both become "${id}"); rename one`,
      );
    }
    ids.set(id, group.name);
    checkPattern(group.name, "metricPattern", group.metricPattern);
    checkPattern(group.name, "subscriptionPattern", group.subscriptionPattern);
  }
  return groups;
}

function parseListForm(value: string): MonitoredLogGroup[] {
  return value
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "")
    .map((name) => ({ name }));
}

function parseJsonForm(value: string): MonitoredLogGroup[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new ConfigurationError(VARIABLE, value, `is not valid JSON (${(error as Error).message})`);
  }
  if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
    throw new ConfigurationError(VARIABLE, value, 'is a JSON object, not an array: wrap it in [ ], as in [{"name": "/aws/lambda/orders"}]');
  }
  if (!Array.isArray(parsed)) throw new ConfigurationError(VARIABLE, value, "must be a JSON array of names or objects");
  return parsed.map((item: unknown): MonitoredLogGroup => {
    if (typeof item === "string") return { name: item };
    if (item === null || typeof item !== "object" || Array.isArray(item)) {
      throw new ConfigurationError(VARIABLE, JSON.stringify(item), 'is neither a log group name nor an object with "name"');
    }
    const { name, metricPattern, subscriptionPattern, ...unknownKeys } = item as Record<string, unknown>;
    const extra = Object.keys(unknownKeys);
    if (extra.length > 0) {
      throw new ConfigurationError(VARIABLE, JSON.stringify(item), `has unknown key "${extra[0]}" (expected name, metricPattern, subscriptionPattern)`);
    }
    if (typeof name !== "string") throw new ConfigurationError(VARIABLE, JSON.stringify(item), 'has no string "name"');
    for (const [key, pattern] of Object.entries({ metricPattern, subscriptionPattern })) {
      if (pattern !== undefined && typeof pattern !== "string") {
        throw new ConfigurationError(VARIABLE, JSON.stringify(item), `has a "${key}" that is not a string`);
      }
    }
    return {
      name,
      ...(typeof metricPattern === "string" ? { metricPattern } : {}),
      ...(typeof subscriptionPattern === "string" ? { subscriptionPattern } : {}),
    };
  });
}

function checkPattern(groupName: string, key: string, pattern: string | undefined): void {
  if (pattern === undefined) return;
  try {
    parseFilterPattern(pattern);
  } catch (error) {
    if (error instanceof FilterPatternError) {
      throw new ConfigurationError(VARIABLE, pattern, `is not a valid filter pattern for ${key} of ${groupName}: ${error.reason} at position ${error.position}`);
    }
    throw error;
  }
}
