/**
 * What CloudWatch Logs metric filters publish for a stream of log events: for each event, the filters that match
 * it and the value each publishes; per metric, one-minute statistics (metric filters publish at one-minute
 * resolution); and the statistic an alarm reads over its period.
 *
 * Semantics (CloudWatch Logs User Guide, "Creating metrics from log events using filters"; project NOTES):
 * - a matching event publishes the metric value: a number, or a field of the event (`$.latency`, `$size`);
 *   when that field is missing or not a number, nothing is published for the event;
 * - `default_value` is published once for a minute in which events arrived and none matched the filter;
 * - several filters may publish to one metric; their data points simply add up.
 */
import { parseFilterPattern } from "../filter-pattern";
import type { Statistic } from "./alarm-evaluation";

/** A log event as CloudWatch Logs stores it. */
export interface LogEvent {
  /** CloudWatch Logs' id of the event. */
  readonly id: string;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  /** The event's text. */
  readonly message: string;
}

/** The metric a filter publishes to, as `metric_transformation` states it. */
export interface MetricTransformation {
  readonly namespace: string;
  readonly name: string;
  /** A number (`"1"`) or a field reference (`"$.latency"`). */
  readonly value: string;
  /** `default_value`, published for minutes with events but no match. @default none */
  readonly defaultValue?: number;
  /** `dimensions`. @default none */
  readonly dimensions?: Readonly<Record<string, string>>;
}

/** A metric filter: its name (for reports), pattern and metric. */
export interface MetricFilterSpec {
  readonly name: string;
  readonly pattern: string;
  readonly metric: MetricTransformation;
}

/** Statistics of the values published in one minute (or one period). */
export interface Statistics {
  readonly sum: number;
  readonly sampleCount: number;
  readonly minimum: number;
  readonly maximum: number;
}

/** One filter's match on one event. */
export interface FilterMatch {
  /** The filter's name. */
  readonly filter: string;
  /** The value published, or undefined when the referenced field was missing or not a number. */
  readonly value: number | undefined;
}

/** What the filters made of the events. */
export interface MetricFilterResult {
  /** For every event id, the filters that matched it (empty when none did). */
  readonly matchesByEvent: ReadonlyMap<string, readonly FilterMatch[]>;
  /** For every metric ({@link metricKey}), statistics per minute start (ms). */
  readonly series: ReadonlyMap<string, ReadonlyMap<number, Statistics>>;
}

const MINUTE_MS = 60_000;

/** The start of the minute a time falls in. */
export function minuteStart(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

/** Identifies a metric: namespace, name and dimensions (sorted). */
export function metricKey(namespace: string, name: string, dimensions: Readonly<Record<string, string>> = {}): string {
  const dims = Object.entries(dimensions)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${value}`)
    .join(",");
  return `${namespace}/${name}${dims === "" ? "" : `{${dims}}`}`;
}

function add(statistics: Statistics | undefined, value: number): Statistics {
  if (statistics === undefined) return { sum: value, sampleCount: 1, minimum: value, maximum: value };
  return {
    sum: statistics.sum + value,
    sampleCount: statistics.sampleCount + 1,
    minimum: Math.min(statistics.minimum, value),
    maximum: Math.max(statistics.maximum, value),
  };
}

function merge(a: Statistics | undefined, b: Statistics): Statistics {
  if (a === undefined) return b;
  return { sum: a.sum + b.sum, sampleCount: a.sampleCount + b.sampleCount, minimum: Math.min(a.minimum, b.minimum), maximum: Math.max(a.maximum, b.maximum) };
}

/**
 * Applies metric filters to the events of one log group.
 *
 * @throws FilterPatternError for a pattern CloudWatch would reject, MetricValueSpecError for a bad metric value.
 */
export function applyMetricFilters(filters: readonly MetricFilterSpec[], events: readonly LogEvent[]): MetricFilterResult {
  const compiled = filters.map((filter) => ({ filter, pattern: parseFilterPattern(filter.pattern) }));
  const matchesByEvent = new Map<string, FilterMatch[]>();
  const series = new Map<string, Map<number, Statistics>>();
  const publish = (metric: MetricTransformation, minute: number, value: number): void => {
    const key = metricKey(metric.namespace, metric.name, metric.dimensions);
    const minutes = series.get(key) ?? new Map<number, Statistics>();
    minutes.set(minute, add(minutes.get(minute), value));
    series.set(key, minutes);
  };

  const minutesWithEvents = new Set<number>();
  const minutesMatched = new Map<string, Set<number>>(filters.map((filter) => [filter.name, new Set<number>()]));
  for (const event of events) {
    const minute = minuteStart(event.timestamp);
    minutesWithEvents.add(minute);
    const matches: FilterMatch[] = [];
    for (const { filter, pattern } of compiled) {
      if (!pattern.matches(event.message)) continue;
      const value = pattern.metricValue(event.message, filter.metric.value);
      matches.push({ filter: filter.name, value });
      minutesMatched.get(filter.name)?.add(minute);
      if (value !== undefined) publish(filter.metric, minute, value);
    }
    matchesByEvent.set(event.id, matches);
  }

  for (const filter of filters) {
    if (filter.metric.defaultValue === undefined) continue;
    for (const minute of minutesWithEvents) {
      if (!minutesMatched.get(filter.name)?.has(minute)) publish(filter.metric, minute, filter.metric.defaultValue);
    }
  }
  return { matchesByEvent, series };
}

/** Statistics of a series over `[fromMs, fromMs + periodSeconds)`, or undefined when nothing was published. */
export function periodStatistics(series: ReadonlyMap<number, Statistics> | undefined, fromMs: number, periodSeconds: number): Statistics | undefined {
  let total: Statistics | undefined;
  for (let minute = minuteStart(fromMs); minute < fromMs + periodSeconds * 1000; minute += MINUTE_MS) {
    const statistics = series?.get(minute);
    if (statistics !== undefined) total = merge(total, statistics);
  }
  return total;
}

/** One statistic of a period's statistics. */
export function statisticValue(statistics: Statistics, statistic: Statistic): number {
  switch (statistic) {
    case "Sum":
      return statistics.sum;
    case "SampleCount":
      return statistics.sampleCount;
    case "Average":
      return statistics.sum / statistics.sampleCount;
    case "Minimum":
      return statistics.minimum;
    case "Maximum":
      return statistics.maximum;
  }
}
