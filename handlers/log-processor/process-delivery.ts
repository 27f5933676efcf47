import { decodeLogsEvent } from "./decode";
import { buildIncidents } from "./incident";
import { IncidentStore } from "./incident-store";
import { AlertOutcome, raiseRealtimeAlerts, RealtimeAlerting } from "./realtime-alerts";

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
}

const NO_ALERTS: AlertOutcome = { published: 0, suppressed: 0 };

/**
 * Handles one CloudWatch Logs subscription event: decode, turn error events into incidents, write them, then
 * alert once per failure that has not alerted within its suppression window.
 *
 * Incidents are written before any alert is attempted, so a failed publish never loses an incident: the retry
 * rewrites identical items and alerts again.
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
  const incidents = buildIncidents(payload, { ttlDays: dependencies.ttlDays });
  if (incidents.length > 0) await dependencies.store.putAll(incidents);

  const alerts =
    dependencies.alerting !== undefined && incidents.length > 0
      ? await raiseRealtimeAlerts(incidents, dependencies.alerting)
      : NO_ALERTS;

  const summary: DeliverySummary = {
    processed: payload.messageType === "DATA_MESSAGE" ? payload.logEvents.length : 0,
    incidents_created: incidents.length,
    alerts_published: alerts.published,
    alerts_suppressed: alerts.suppressed,
  };
  dependencies.log(
    JSON.stringify({
      summary: "log delivery processed",
      message_type: payload.messageType,
      ...(payload.messageType === "DATA_MESSAGE" ? { log_group: payload.logGroup, log_stream: payload.logStream } : {}),
      ...summary,
    }),
  );
  return summary;
}
