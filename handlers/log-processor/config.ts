/**
 * The log processor's configuration, read once from the environment at cold start.
 */
export interface ProcessorConfig {
  /** The DynamoDB table incidents are written to (`INCIDENTS_TABLE_NAME`). */
  readonly tableName: string;
  /** Days an incident is kept before DynamoDB's TTL deletes it (`INCIDENT_TTL_DAYS`). */
  readonly ttlDays: number;
}

/** The variable naming the incidents table; required. */
export const TABLE_NAME_VARIABLE = "INCIDENTS_TABLE_NAME";
/** The variable setting the incidents' time to live in days; optional. */
export const TTL_DAYS_VARIABLE = "INCIDENT_TTL_DAYS";
/** Days incidents are kept when `INCIDENT_TTL_DAYS` is not set. */
export const DEFAULT_TTL_DAYS = 30;

/**
 * The function's environment is wrong. Names the variable and says what it must hold, so the fix is obvious
 * from the Lambda init error alone.
 */
export class ConfigurationError extends Error {
  /** The environment variable at fault. */
  public readonly variable: string;

  constructor(variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.name = "ConfigurationError";
    this.variable = variable;
  }
}

/**
 * Parses the processor's environment.
 *
 * @param env the environment, normally `process.env`.
 * @throws ConfigurationError when `INCIDENTS_TABLE_NAME` is missing or empty, or `INCIDENT_TTL_DAYS` is set to
 *   anything but a positive integer.
 */
export function readProcessorConfig(env: Readonly<Record<string, string | undefined>>): ProcessorConfig {
  const tableName = env[TABLE_NAME_VARIABLE]?.trim();
  if (tableName === undefined || tableName === "") {
    throw new ConfigurationError(TABLE_NAME_VARIABLE, "not set; it must name the DynamoDB table incidents are written to");
  }

  const rawTtl = env[TTL_DAYS_VARIABLE];
  let ttlDays = DEFAULT_TTL_DAYS;
  if (rawTtl !== undefined && rawTtl.trim() !== "") {
    ttlDays = Number(rawTtl.trim());
    if (!/^\d+$/.test(rawTtl.trim()) || !Number.isSafeInteger(ttlDays) || ttlDays <= 0) {
      throw new ConfigurationError(TTL_DAYS_VARIABLE, `${JSON.stringify(rawTtl)} is not a positive integer number of days`);
    }
  }
  return { tableName, ttlDays };
}
