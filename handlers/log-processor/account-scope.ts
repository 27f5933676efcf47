/**
 * Account-wide monitoring (`LOG_MONITOR_ACCOUNT_WIDE=true`): the account-level subscription filter policy can leave
 * out log groups only by exact name (`LogGroupName NOT IN [...]`), so the user's exclusion prefixes
 * (`LOG_MONITOR_EXCLUDE_LOG_GROUPS=/aws/lambda/noisy-*`) are applied here: a delivery from a group under one of them
 * is dropped unread. The stack passes the prefixes as a JSON array of strings.
 */

/** The variable holding the excluded prefixes (a JSON array of strings); optional. */
export const EXCLUDED_PREFIXES_VARIABLE = "EXCLUDED_LOG_GROUP_PREFIXES";

/** The variable's value cannot be used; the message names it and says what is expected. */
export class ExcludedPrefixesError extends Error {
  constructor(value: string) {
    super(`${EXCLUDED_PREFIXES_VARIABLE}: ${JSON.stringify(value)} is not a JSON array of non-empty strings`);
    this.name = "ExcludedPrefixesError";
  }
}

/**
 * Reads the excluded prefixes at cold start.
 * @throws ExcludedPrefixesError when the variable is set to anything but a JSON array of non-empty strings.
 */
export function readExcludedPrefixes(env: Readonly<Record<string, string | undefined>>): readonly string[] {
  const value = env[EXCLUDED_PREFIXES_VARIABLE];
  if (value === undefined || value.trim() === "") return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new ExcludedPrefixesError(value);
  }
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === "string" && item !== "")) throw new ExcludedPrefixesError(value);
  return parsed as string[];
}

/** A predicate telling whether a log group is under one of the prefixes. */
export function excludedBy(prefixes: readonly string[]): (logGroup: string) => boolean {
  return (logGroup) => prefixes.some((prefix) => logGroup.startsWith(prefix));
}
