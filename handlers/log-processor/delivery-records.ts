/**
 * What the processor writes about each delivery for the dashboard: one JSON line per failure (the "top failures"
 * Logs Insights table reads them) and one CloudWatch embedded-metric-format line with the delivery's figures.
 * Pure: the adapter writes the lines to standard output.
 */
import { errorFirstLine } from "./alert-message";
import { Incident } from "./incident";
import { groupByFingerprint } from "./realtime-alerts";
import { firstCodePoints } from "./well-formed";

/** The `record` field of a failure line, for `filter record = "failure"`. */
export const FAILURE_RECORD = "failure";

/** Longest first line written in a failure record (the incident keeps the whole message). */
export const MAX_RECORD_LINE_LENGTH = 200;

/** One failure's line: what the "top failures" table sums. */
export interface FailureRecord {
  readonly record: typeof FAILURE_RECORD;
  readonly log_group: string;
  readonly fingerprint: string;
  readonly error_type: string;
  readonly first_line: string;
  readonly severity: string;
  /** Occurrences in this delivery. */
  readonly count: number;
}

/** One JSON line per failure (fingerprint) in the written incidents, most frequent first. */
export function failureRecords(incidents: readonly Incident[]): string[] {
  return groupByFingerprint(incidents)
    .sort((a, b) => b.count - a.count)
    .map(({ fingerprint, count, representative }) => {
      const line = errorFirstLine(representative.message);
      const record: FailureRecord = {
        record: FAILURE_RECORD,
        log_group: representative.logGroup,
        fingerprint,
        error_type: representative.errorType ?? errorTypeOf(line),
        first_line: firstCodePoints(line, MAX_RECORD_LINE_LENGTH) === line ? line : `${firstCodePoints(line, MAX_RECORD_LINE_LENGTH - 3)}...`,
        severity: representative.severity,
        count,
      };
      return JSON.stringify(record);
    });
}

/** `TypeError` from `TypeError: x is undefined`; `-` when the line names no error type. */
function errorTypeOf(line: string): string {
  const match = /^([A-Z][A-Za-z0-9_.]*(?:Error|Exception|Fault|Failure))\b/.exec(line);
  return match?.[1] ?? "-";
}

/** The figures of one delivery, as metrics. */
export interface DeliveryFigures {
  readonly incidentsWritten: number;
  readonly alertsPublished: number;
  readonly alertsSuppressed: number;
  readonly alertsMuted: number;
}

/** Names of the metrics, as the dashboard charts them. */
export const DELIVERY_METRICS = {
  incidentsWritten: "IncidentsWritten",
  alertsPublished: "AlertsPublished",
  alertsSuppressed: "AlertsSuppressed",
  alertsMuted: "AlertsMuted",
} as const;

/** The dimension every delivery metric carries. */
export const ENVIRONMENT_DIMENSION = "Environment";

/**
 * One embedded-metric-format line ("Specification: Embedded metric format", Amazon CloudWatch User Guide,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html):
 * a root `_aws` object with `Timestamp` (epoch ms) and one `CloudWatchMetrics` directive (namespace, one dimension set
 * `[Environment]`, the four metrics with unit Count), and the dimension and metric values as root members.
 */
export function emfRecord(figures: DeliveryFigures, context: { readonly namespace: string; readonly environment: string; readonly timestampMs: number }): string {
  return JSON.stringify({
    _aws: {
      Timestamp: context.timestampMs,
      CloudWatchMetrics: [
        {
          Namespace: context.namespace,
          Dimensions: [[ENVIRONMENT_DIMENSION]],
          Metrics: Object.values(DELIVERY_METRICS).map((name) => ({ Name: name, Unit: "Count" })),
        },
      ],
    },
    [ENVIRONMENT_DIMENSION]: context.environment,
    [DELIVERY_METRICS.incidentsWritten]: figures.incidentsWritten,
    [DELIVERY_METRICS.alertsPublished]: figures.alertsPublished,
    [DELIVERY_METRICS.alertsSuppressed]: figures.alertsSuppressed,
    [DELIVERY_METRICS.alertsMuted]: figures.alertsMuted,
  });
}
