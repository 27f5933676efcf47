/**
 * Parsers of single configuration values, each failing with a {@link ConfigurationError} that names the variable and
 * the value: whole numbers in a range, booleans, ARNs, region and environment names, log retention.
 */
import { ConfigurationError } from "./config-error";
import { checkRegion, partitionOfRegion } from "./regions";

// Commercial, China and GovCloud region names, e.g. us-east-1, cn-north-1, us-gov-west-1, ap-southeast-5.
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
// Lower-case so that it fits S3 keys, IAM names and Lambda names alike; short so that
// "log-monitor-<env>-log-processor-dlq" stays well inside the 64-character limits of IAM and Lambda.
const ENVIRONMENT = /^[a-z](?:[a-z0-9-]{0,14}[a-z0-9])?$/;

/** Retention periods CloudWatch Logs accepts (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS_ALLOWED: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** `{ key: value }` when the value is defined, `{}` otherwise, so optional fields stay absent rather than undefined. */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** The value when it matches the ARN (or id) pattern, `undefined` when unset. */
export function parseArn(variable: string, value: string | undefined, pattern: RegExp, expected: string): string | undefined {
  if (value === undefined) return undefined;
  if (!pattern.test(value)) throw new ConfigurationError(variable, value, `is not ${expected}`);
  return value;
}

/** An AWS region name, in any partition. */
export function parseRegion(variable: "AWS_REGION" | "AWS_DEFAULT_REGION" | "AWS_PROFILE" | "LOG_MONITOR_STATE_REGION", value: string, source?: string): string {
  if (!REGION.test(value)) {
    const from = source === undefined ? "" : ` (the region of ${source})`;
    throw new ConfigurationError(variable, value, `is not an AWS region name${from} (for example us-east-1 or eu-west-2)`);
  }
  if (variable === "LOG_MONITOR_STATE_REGION") {
    if (partitionOfRegion(value) === undefined) {
      throw new ConfigurationError(variable, value, "is not an AWS region: use a region of the aws, aws-cn or aws-us-gov partition, for example us-east-1 or eu-west-2");
    }
    return value;
  }
  return checkRegion({ region: value, variable, ...(source === undefined ? {} : { source }) });
}

/** An environment name (`LOG_MONITOR_ENV`), short and lower-case enough for every resource name. */
export function parseEnvironment(value: string): string {
  if (!ENVIRONMENT.test(value)) {
    throw new ConfigurationError(
      "LOG_MONITOR_ENV",
      value,
      "is not a valid environment name: use 1 to 16 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen",
    );
  }
  return value;
}

/** A log retention in days that CloudWatch Logs accepts (`LOG_MONITOR_LOG_RETENTION_DAYS`). */
export function parseRetention(value: string | undefined, defaultDays: number): number {
  const days = parseInteger("LOG_MONITOR_LOG_RETENTION_DAYS", value, { defaultValue: defaultDays, min: 1, max: 3653 });
  if (!LOG_RETENTION_DAYS_ALLOWED.includes(days)) {
    throw new ConfigurationError(
      "LOG_MONITOR_LOG_RETENTION_DAYS",
      String(value),
      `is not a retention CloudWatch Logs accepts: use one of ${LOG_RETENTION_DAYS_ALLOWED.join(", ")}`,
    );
  }
  return days;
}

/** A whole number from `min` to `max`, `defaultValue` when unset. */
export function parseInteger(
  variable: string,
  value: string | undefined,
  { defaultValue, min, max }: { defaultValue: number; min: number; max: number },
): number {
  if (value === undefined) return defaultValue;
  if (!/^\d+$/.test(value)) {
    throw new ConfigurationError(variable, value, `is not a whole number (expected ${min} to ${max})`);
  }
  const number = Number(value);
  if (number < min || number > max) {
    throw new ConfigurationError(variable, value, `is out of range (expected ${min} to ${max})`);
  }
  return number;
}

/** `true` or `false`, `undefined` when unset. */
export function parseBoolean(variable: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === "true") return true;
  if (value === "false") return false;
  throw new ConfigurationError(variable, value, "is not a boolean (expected true or false)");
}
