/**
 * The triage widget's configuration, read once from the environment at cold start.
 */
import { ConfigurationError } from "../log-processor/config";

export { ConfigurationError };

/** What the widget reads and links to. */
export interface TriageWidgetConfig {
  /** The alert-suppression table holding each failure's state (`SUPPRESSION_TABLE_NAME`). */
  readonly suppressionTableName: string;
  /**
   * The log processor's log group (`PROCESSOR_LOG_GROUP`): it logs one JSON line per failure and delivery, carrying the
   * fingerprint, so a Logs Insights query there finds every delivery of one failure.
   */
  readonly processorLogGroup: string;
  /** The function's region, for console links (`AWS_REGION`). */
  readonly region: string;
}

export const SUPPRESSION_TABLE_VARIABLE = "SUPPRESSION_TABLE_NAME";
export const PROCESSOR_LOG_GROUP_VARIABLE = "PROCESSOR_LOG_GROUP";

/** Parses the widget's environment. @throws ConfigurationError naming the variable. */
export function readTriageWidgetConfig(env: Readonly<Record<string, string | undefined>>): TriageWidgetConfig {
  const required = (variable: string, purpose: string): string => {
    const value = env[variable]?.trim();
    if (value === undefined || value === "") throw new ConfigurationError(variable, `not set; it must ${purpose}`);
    return value;
  };
  return {
    suppressionTableName: required(SUPPRESSION_TABLE_VARIABLE, "name the alert-suppression table"),
    processorLogGroup: required(PROCESSOR_LOG_GROUP_VARIABLE, "name the log processor's log group"),
    region: required("AWS_REGION", "name the function's region"),
  };
}
