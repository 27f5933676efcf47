import { decodeLogsEvent } from "./decode";
import { emfRecord, failureRecords } from "./delivery-records";
import { buildIncidents } from "./incident";
import { IncidentStore, IncidentWriteError } from "./incident-store";
import { AlertDeadline, AlertOutcome, raiseRealtimeAlerts, RealtimeAlertError, RealtimeAlerting } from "./realtime-alerts";

/** What the handler returns for one delivery. */
export interface DeliverySummary {
  /** Log events in the delivery (0 for a CONTROL_MESSAGE, which carries none of the application's). */
  readonly processed: number;
  /** Incident items written; a replayed delivery writes (overwrites) the same items and reports the same number. */
  readonly incidents_created: number;
  /** Real-time alerts published: failures that had not alerted within their suppression window (0 when alerts are off). */
  readonly alerts_published: number;
  /** Failures that were only counted, because they alerted within their suppression window (0 when alerts are off). */
  readonly alerts_suppressed: number;
  /** Failures alerted together in the delivery's digest, beyond the per-delivery alert limit (0 when none). */
  readonly alerts_digested: number;
}

/** The ports {@link processDelivery} works through. */
export interface ProcessDeliveryDependencies {
  /** Where incidents are written. */
  readonly store: IncidentStore;
  /** Days before an incident expires. */
  readonly ttlDays: number;
  /** Receives the one-line JSON summary of the delivery. */
  readonly log: (line: string) => void;
  /**
   * Real-time alerting.
   * @default none: no alert is published and no suppression window is touched (`REALTIME_ALERTS=false`)
   */
  readonly alerting?: RealtimeAlerting;
  /**
   * When the invocation must stop starting work (from the Lambda context).
   * @default none: no deadline (tests and tools)
   */
  readonly deadline?: AlertDeadline;
  /**
   * Receives the delivery's structured records, one line each: a JSON line per failure written, then, with
   * `metrics`, an embedded-metric-format line. The adapter writes them straight to standard output, so that Lambda's
   * JSON log format does not wrap them (an EMF line must be the whole log event).
   * @default none: no records
   */
  readonly records?: (line: string) => void;
  /**
   * Namespace and environment of the delivery metrics (EMF). @default none: failure records only
   */
  readonly metrics?: { readonly namespace: string; readonly environment: string };
  /**
   * Log groups whose deliveries are dropped unread (account-wide exclusion prefixes, account-scope.ts).
   * @default none excluded
   */
  readonly excludeLogGroup?: (logGroup: string) => boolean;
  /**
   * The current time in epoch milliseconds, to compare with `deadline`.
   * @default Date.now
   */
  readonly now?: () => number;
}

/** Both writing some incidents and alerting for some failures failed; the message has both reasons. */
export class DeliveryIncompleteError extends Error {
  constructor(
    readonly writeError: IncidentWriteError,
    readonly alertError: RealtimeAlertError,
  ) {
    super(`${writeError.message}. Also: ${alertError.message}`, { cause: writeError });
    this.name = "DeliveryIncompleteError";
  }
}

const NO_ALERTS: AlertOutcome = { published: 0, suppressed: 0, digested: 0 };

/**
 * Handles one CloudWatch Logs subscription event: decode, turn error events into incidents, write them, then
 * alert once per failure that has not alerted within its suppression window.
 *
 * Incidents are written before any alert is attempted, so a failed publish never loses an incident: the retry
 * rewrites identical items and alerts again. Poison isolation: an incident that cannot be written does not stop
 * the others, and every failure whose incidents were written alerts before the invocation fails for the rest.
 *
 * Anything that cannot be processed throws (a malformed event, a failed write, an alert that could not be
 * published): Lambda then retries the asynchronous invocation and finally keeps the event in the dead-letter
 * queue, instead of losing it.
 */
export async function processDelivery(
  event: unknown,
  dependencies: ProcessDeliveryDependencies,
): Promise<DeliverySummary> {
  const payload = decodeLogsEvent(event);
  if (payload.messageType === "DATA_MESSAGE" && dependencies.excludeLogGroup?.(payload.logGroup) === true) {
    dependencies.log(JSON.stringify({ summary: "log delivery skipped: excluded log group", log_group: payload.logGroup }));
    return { processed: 0, incidents_created: 0, alerts_published: 0, alerts_suppressed: 0, alerts_digested: 0 };
  }
  const incidents = buildIncidents(payload, { ttlDays: dependencies.ttlDays });
  const now = dependencies.now ?? Date.now;
  const { deadline } = dependencies;
  const nearDeadline = (): boolean => deadline !== undefined && now() >= deadline.stopStartingAtMs;

  let writeError: IncidentWriteError | undefined;
  try {
    if (incidents.length > 0) await dependencies.store.putAll(incidents, nearDeadline);
  } catch (error) {
    if (!(error instanceof IncidentWriteError)) throw error;
    writeError = error;
  }
  const stored = writeError === undefined ? incidents : incidents.filter((i) => !writeError?.failedIncidentIds.has(i.incidentId));

  let alerts = NO_ALERTS;
  if (dependencies.alerting !== undefined && stored.length > 0) {
    try {
      alerts = await raiseRealtimeAlerts(stored, dependencies.alerting, deadline);
    } catch (error) {
      if (!(error instanceof RealtimeAlertError)) throw error;
      if (writeError !== undefined) throw new DeliveryIncompleteError(writeError, error);
      throw error;
    }
  }
  if (writeError !== undefined) throw writeError;

  const summary: DeliverySummary = {
    processed: payload.messageType === "DATA_MESSAGE" ? payload.logEvents.length : 0,
    incidents_created: incidents.length,
    alerts_published: alerts.published,
    alerts_suppressed: alerts.suppressed,
    alerts_digested: alerts.digested,
  };
  dependencies.log(
    JSON.stringify({
      summary: "log delivery processed",
      message_type: payload.messageType,
      ...(payload.messageType === "DATA_MESSAGE" ? { log_group: payload.logGroup, log_stream: payload.logStream } : {}),
      ...summary,
      alerts_muted: alerts.muted ?? 0,
    }),
  );
  if (dependencies.records !== undefined) {
    for (const line of failureRecords(stored)) dependencies.records(line);
    if (dependencies.metrics !== undefined) {
      dependencies.records(
        emfRecord(
          {
            incidentsWritten: stored.length,
            alertsPublished: alerts.published,
            alertsSuppressed: alerts.suppressed - (alerts.muted ?? 0),
            alertsMuted: alerts.muted ?? 0,
          },
          { ...dependencies.metrics, timestampMs: now() },
        ),
      );
    }
  }
  return summary;
}
