import {
  applyMetricFilters,
  LogEvent,
  metricKey,
  MetricFilterSpec,
  minuteStart,
  periodStatistics,
  statisticValue,
} from "../../lib/simulate/metric-filters";

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const MINUTE = 60_000;
const METRIC = { namespace: "LogMonitoring", name: "ErrorCount", value: "1" };
const KEY = metricKey("LogMonitoring", "ErrorCount");

function event(id: string, offsetMs: number, message: string): LogEvent {
  return { id, timestamp: T0 + offsetMs, message };
}

const JSON_FILTER: MetricFilterSpec = { name: "json", pattern: '{ $.level = "ERROR" }', metric: METRIC };
const TEXT_FILTER: MetricFilterSpec = { name: "text", pattern: "[timestamp=*Z, request_id, level=ERROR, ...]", metric: METRIC };
const JSON_ERROR = '{"timestamp":"2024-05-01T12:00:00.000Z","level":"ERROR","requestId":"r","message":"boom"}';
const TEXT_ERROR = "2024-05-01T12:00:00.000Z\tr\tERROR\tboom\n";
const JSON_INFO = '{"timestamp":"2024-05-01T12:00:00.000Z","level":"INFO","requestId":"r","message":"no ERROR found"}';

describe("applyMetricFilters", () => {
  it("records, for every event, which filters matched and what they published", () => {
    // Act
    const result = applyMetricFilters([JSON_FILTER, TEXT_FILTER], [event("a", 0, JSON_ERROR), event("b", 1, TEXT_ERROR), event("c", 2, JSON_INFO)]);
    // Assess
    expect(Object.fromEntries(result.matchesByEvent)).toEqual({
      a: [{ filter: "json", value: 1 }],
      b: [{ filter: "text", value: 1 }],
      c: [],
    });
  });

  it("adds up what several filters publish to one metric, per minute", () => {
    // Act
    const result = applyMetricFilters(
      [JSON_FILTER, TEXT_FILTER],
      [event("a", 0, JSON_ERROR), event("b", 30_000, TEXT_ERROR), event("c", MINUTE + 1, JSON_ERROR), event("d", 3 * MINUTE, JSON_INFO)],
    );
    // Assess
    expect(Object.fromEntries(result.series.get(KEY) ?? [])).toEqual({
      [T0]: { sum: 2, sampleCount: 2, minimum: 1, maximum: 1 },
      [T0 + MINUTE]: { sum: 1, sampleCount: 1, minimum: 1, maximum: 1 },
    });
  });

  it("publishes a field's value, and nothing for an event without it", () => {
    // Prepare
    const latency: MetricFilterSpec = { name: "latency", pattern: "{ $.latency > 0 }", metric: { ...METRIC, name: "Latency", value: "$.latency" } };
    // Act
    const result = applyMetricFilters([latency], [event("a", 0, '{"latency":120}'), event("b", 1, '{"latency":80}'), event("c", 2, '{"other":1}')]);
    // Assess
    expect(result.series.get(metricKey("LogMonitoring", "Latency"))?.get(T0)).toEqual({ sum: 200, sampleCount: 2, minimum: 80, maximum: 120 });
  });

  it("publishes default_value once for a minute in which events arrived and none matched, and never for a minute without events", () => {
    // Prepare
    const withDefault: MetricFilterSpec = { ...JSON_FILTER, metric: { ...METRIC, defaultValue: 0 } };
    // Act
    const result = applyMetricFilters([withDefault], [event("a", 0, JSON_INFO), event("b", 1, JSON_INFO), event("c", 2 * MINUTE, JSON_ERROR)]);
    // Assess
    expect(Object.fromEntries(result.series.get(KEY) ?? [])).toEqual({
      [T0]: { sum: 0, sampleCount: 1, minimum: 0, maximum: 0 },
      [T0 + 2 * MINUTE]: { sum: 1, sampleCount: 1, minimum: 1, maximum: 1 },
    });
  });

  it("keys metrics by dimensions too", () => {
    expect(metricKey("N", "M", { b: "2", a: "1" })).toBe("N/M{a=1,b=2}");
    expect(metricKey("N", "M")).toBe("N/M");
  });
});

describe("periodStatistics and statisticValue", () => {
  const series = new Map([
    [T0, { sum: 3, sampleCount: 3, minimum: 1, maximum: 1 }],
    [T0 + 2 * MINUTE, { sum: 10, sampleCount: 2, minimum: 4, maximum: 6 }],
  ]);

  it("merges the minutes of a longer period", () => {
    expect(periodStatistics(series, T0, 300)).toEqual({ sum: 13, sampleCount: 5, minimum: 1, maximum: 6 });
  });

  it("is undefined for a period without data (a missing datapoint)", () => {
    expect(periodStatistics(series, T0 + MINUTE, 60)).toBeUndefined();
    expect(periodStatistics(undefined, T0, 60)).toBeUndefined();
  });

  it("gives each statistic", () => {
    const statistics = { sum: 13, sampleCount: 5, minimum: 1, maximum: 6 };
    expect((["Sum", "SampleCount", "Average", "Minimum", "Maximum"] as const).map((statistic) => statisticValue(statistics, statistic))).toEqual([13, 5, 2.6, 1, 6]);
  });

  it("aligns times to the start of their minute", () => {
    expect(minuteStart(T0 + 59_999)).toBe(T0);
  });
});
