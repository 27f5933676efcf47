/**
 * Decides whether the simulated chain works, link by link, from what the simulation observed. Each problem names
 * its link and says what went wrong with an example, so that a broken chain points at what to fix.
 */
import type { AlarmState } from "./alarm-evaluation";
import { CHAIN_LINKS, ChainLink } from "./monitoring-chain";

/** Something wrong with one link of the chain. */
export interface ChainProblem {
  readonly link: ChainLink;
  readonly message: string;
}

/** One event of the monitored log group, as the checks need it. */
export interface ObservedEvent {
  readonly id: string;
  /** Whether the event records a failure (an ERROR or FATAL line, a timeout, a crash). */
  readonly error: boolean;
  readonly message: string;
}

/** What an alarm did. */
export interface ObservedAlarm {
  readonly name: string;
  readonly actionsEnabled: boolean;
  readonly alarmActions: readonly string[];
  /** Whether any evaluation put it in ALARM. */
  readonly reachedAlarm: boolean;
  /** Its state at the end, after the quiet periods that follow the last event. */
  readonly finalState: AlarmState;
}

/** Everything the checks look at. */
export interface ChainObservations {
  /** Invocations of the emitter that were asked to write an ERROR line. */
  readonly errorsRequested: number;
  /** Invocations of the emitter that failed, described. */
  readonly emitterFailures: readonly string[];
  /** Every event written to the monitored log group. */
  readonly events: readonly ObservedEvent[];
  /** Per event id, the metric filters (on an alarm's metric) that counted it. */
  readonly counted: ReadonlyMap<string, readonly string[]>;
  readonly alarms: readonly ObservedAlarm[];
  /** Per event id, the subscription filters that passed it. */
  readonly passed: ReadonlyMap<string, readonly string[]>;
  /** Deliveries the processor failed on, described. */
  readonly deliveryFailures: readonly string[];
  /** Event ids of the incidents the processor wrote; undefined when its incidents table is unknown. */
  readonly incidentEventIds: ReadonlySet<string> | undefined;
  /** Real-time alerts: whether they are switched on, whether the processor implements them, what it published. */
  readonly alerts: {
    readonly enabled: boolean;
    readonly implemented: boolean;
    readonly topicArn?: string;
    /** The critical topic, where pages (FATAL/CRITICAL alerts) go as well. */
    readonly criticalTopicArn?: string;
    readonly published: readonly { readonly topicArn: string }[];
  };
  /** AWS calls the simulation could not serve, with who made them. */
  readonly unsupportedCalls: readonly { readonly caller: ChainLink; readonly description: string }[];
}

/** At most this much of a log line is quoted in a message. */
const QUOTE_LENGTH = 160;

function quote(message: string): string {
  const flat = message.replace(/\s+$/, "").replace(/\r?\n/g, "\\n").replace(/\t/g, "\\t");
  return JSON.stringify(flat.length > QUOTE_LENGTH ? `${flat.slice(0, QUOTE_LENGTH)}...` : flat);
}

function events(count: number, word = "event"): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** Every problem of the chain, in the order of its links. */
export function checkChain(observed: ChainObservations): ChainProblem[] {
  const problems: ChainProblem[] = [];
  const problem = (link: ChainLink, message: string): void => {
    problems.push({ link, message });
  };
  const errorEvents = observed.events.filter((event) => event.error);
  const otherEvents = observed.events.filter((event) => !event.error);

  // test emitter
  for (const failure of observed.emitterFailures) problem("test emitter", failure);
  const emittedErrorLines = errorEvents.length;
  if (observed.emitterFailures.length === 0 && emittedErrorLines !== observed.errorsRequested) {
    problem("test emitter", `wrote ${events(emittedErrorLines, "ERROR line")} for ${observed.errorsRequested} requested`);
  }

  // metric filter
  const countedBy = (event: ObservedEvent): readonly string[] => observed.counted.get(event.id) ?? [];
  const uncounted = errorEvents.filter((event) => countedBy(event).length === 0);
  if (uncounted.length > 0) {
    problem(
      "metric filter",
      `${uncounted.length} of ${events(errorEvents.length, "error event")} matched no metric filter, so the alarm never saw ${uncounted.length === 1 ? "it" : "them"}; first: ${quote(uncounted[0]?.message ?? "")}`,
    );
  }
  const falselyCounted = otherEvents.filter((event) => countedBy(event).length > 0);
  if (falselyCounted.length > 0) {
    problem("metric filter", `counted ${events(falselyCounted.length, "non-error event")}; first: ${quote(falselyCounted[0]?.message ?? "")}`);
  }
  const countedTwice = observed.events.filter((event) => countedBy(event).length > 1);
  if (countedTwice.length > 0) {
    const first = countedTwice[0] as ObservedEvent;
    problem("metric filter", `counted ${events(countedTwice.length)} more than once (${countedBy(first).join(" and ")}); first: ${quote(first.message)}`);
  }

  // alarm
  const countedErrors = errorEvents.length - uncounted.length;
  for (const alarm of observed.alarms) {
    if (countedErrors > 0 && !alarm.reachedAlarm) {
      problem("alarm", `${alarm.name} never went to ALARM although ${events(countedErrors, "error event")} ${countedErrors === 1 ? "was" : "were"} counted`);
    }
    if (errorEvents.length === 0 && alarm.reachedAlarm) problem("alarm", `${alarm.name} went to ALARM although no error event was logged`);
    if (alarm.finalState === "ALARM") problem("alarm", `${alarm.name} was still in ALARM after the errors stopped: it would never recover`);
    if (alarm.reachedAlarm && !alarm.actionsEnabled) problem("alarm", `${alarm.name} has actions_enabled = false: going to ALARM notifies nobody`);
    if (alarm.reachedAlarm && alarm.actionsEnabled && alarm.alarmActions.length === 0) {
      problem("alarm", `${alarm.name} has no alarm_actions: going to ALARM notifies nobody`);
    }
  }

  // subscription filter
  const passedBy = (event: ObservedEvent): readonly string[] => observed.passed.get(event.id) ?? [];
  const missed = errorEvents.filter((event) => passedBy(event).length === 0);
  if (missed.length > 0) {
    problem(
      "subscription filter",
      `${missed.length} of ${events(errorEvents.length, "error event")} did not pass any subscription filter, so the processor never saw ${missed.length === 1 ? "it" : "them"}; first: ${quote(missed[0]?.message ?? "")}`,
    );
  }

  // log processor
  for (const failure of observed.deliveryFailures) problem("log processor", failure);
  if (observed.incidentEventIds === undefined) {
    problem("log processor", "its environment names no incidents table (INCIDENTS_TABLE_NAME), so no incident can be checked");
  } else {
    const incidents = observed.incidentEventIds;
    const delivered = errorEvents.filter((event) => passedBy(event).length > 0);
    const withoutIncident = delivered.filter((event) => !incidents.has(event.id));
    if (observed.deliveryFailures.length === 0 && withoutIncident.length > 0) {
      problem(
        "log processor",
        `recorded no incident for ${withoutIncident.length} of ${events(delivered.length, "delivered error event")}; first: ${quote(withoutIncident[0]?.message ?? "")}`,
      );
    }
    const spurious = otherEvents.filter((event) => incidents.has(event.id));
    if (spurious.length > 0) problem("log processor", `recorded ${events(spurious.length, "incident")} for non-error events; first: ${quote(spurious[0]?.message ?? "")}`);
  }

  // real-time alerts
  const { alerts } = observed;
  if (alerts.enabled && alerts.implemented && errorEvents.length > 0 && alerts.published.length === 0 && observed.deliveryFailures.length === 0) {
    problem("real-time alerts", `REALTIME_ALERTS is true and ${events(errorEvents.length, "error event")} reached the processor, but it published no alert`);
  }
  if (!alerts.enabled && alerts.published.length > 0) problem("real-time alerts", `REALTIME_ALERTS is false, but the processor published ${events(alerts.published.length, "alert")}`);
  const elsewhere = alerts.published.filter(
    (alert) => alerts.topicArn !== undefined && alert.topicArn !== alerts.topicArn && alert.topicArn !== alerts.criticalTopicArn,
  );
  if (elsewhere.length > 0) {
    problem("real-time alerts", `${events(elsewhere.length, "alert")} went to ${elsewhere[0]?.topicArn}, not to the alert topic ${alerts.topicArn}`);
  }

  for (const call of observed.unsupportedCalls) problem(call.caller, `called an AWS API the simulation does not serve: ${call.description}`);

  return problems.sort((a, b) => CHAIN_LINKS.indexOf(a.link) - CHAIN_LINKS.indexOf(b.link));
}

/** The first link with a problem, in the order an error event travels the chain; undefined when none has one. */
export function firstBrokenLink(problems: readonly ChainProblem[]): ChainLink | undefined {
  return CHAIN_LINKS.find((link) => problems.some((problem) => problem.link === link));
}
