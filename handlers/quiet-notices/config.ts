/**
 * The quiet-notice sweeper's configuration, read once from the environment at cold start.
 */
import {
  ALERT_TOPIC_ARN_VARIABLE,
  ConfigurationError,
  SUPPRESSION_MINUTES_VARIABLE,
  SUPPRESSION_TABLE_VARIABLE,
  TABLE_NAME_VARIABLE,
} from "../log-processor/config";

// The sweeper reads the processor's tables, topic and window under the processor's variable names.
export { ALERT_TOPIC_ARN_VARIABLE, ConfigurationError, SUPPRESSION_MINUTES_VARIABLE, SUPPRESSION_TABLE_VARIABLE };
/** The variable naming the incidents table (the processor's `INCIDENTS_TABLE_NAME`). */
export const INCIDENTS_TABLE_VARIABLE = TABLE_NAME_VARIABLE;

/** What the sweeper reads and where it publishes. */
export interface QuietNoticesConfig {
  /** The alert-suppression table holding the episodes (`SUPPRESSION_TABLE_NAME`). */
  readonly suppressionTableName: string;
  /** The incidents table, for each failure's latest line and log group (`INCIDENTS_TABLE_NAME`). */
  readonly incidentsTableName: string;
  /** The alert topic the notices go to (`ALERT_TOPIC_ARN`). */
  readonly topicArn: string;
  /** A failure is quiet again after this many minutes without an occurrence (`SUPPRESSION_MINUTES`). */
  readonly windowMinutes: number;
  /** The function's region, for console links (`AWS_REGION`). */
  readonly region: string;
}

/** Parses the sweeper's environment. @throws ConfigurationError naming the variable. */
export function readQuietNoticesConfig(env: Readonly<Record<string, string | undefined>>): QuietNoticesConfig {
  const required = (variable: string, purpose: string): string => {
    const value = env[variable]?.trim();
    if (value === undefined || value === "") throw new ConfigurationError(variable, `not set; it must ${purpose}`);
    return value;
  };
  const minutesText = required(SUPPRESSION_MINUTES_VARIABLE, "hold the suppression window in minutes");
  if (!/^\d+$/.test(minutesText) || Number(minutesText) < 1 || Number(minutesText) > 1440) {
    throw new ConfigurationError(SUPPRESSION_MINUTES_VARIABLE, `${JSON.stringify(minutesText)} is not a whole number of minutes from 1 to 1440`);
  }
  return {
    suppressionTableName: required(SUPPRESSION_TABLE_VARIABLE, "name the alert-suppression table"),
    incidentsTableName: required(INCIDENTS_TABLE_VARIABLE, "name the incidents table"),
    topicArn: required(ALERT_TOPIC_ARN_VARIABLE, "hold the ARN of the alert topic"),
    windowMinutes: Number(minutesText),
    region: required("AWS_REGION", "name the function's region"),
  };
}
