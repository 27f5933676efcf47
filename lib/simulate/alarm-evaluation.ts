/**
 * CloudWatch's evaluation of a metric alarm, as the CloudWatch User Guide describes it ("Using Amazon CloudWatch
 * alarms": "Evaluating an alarm", "Configuring how CloudWatch alarms treat missing data", "How alarm state is
 * evaluated when data is missing"; awsdocs/amazon-cloudwatch-user-guide, doc_source/AlarmThatSendsEmail.md).
 *
 * At the end of every period the alarm looks at an *evaluation range* of recent periods, longer than
 * `evaluation_periods`:
 * - with at least `evaluation_periods` real data points in the range, the most recent `evaluation_periods` of
 *   them decide, and missing data does not matter;
 * - with fewer, missing data points are filled in by `treat_missing_data` as few times as possible:
 *   `notBreaching` and `breaching` fill them as good or bad; `missing` and `ignore` fill none, and when the real
 *   data points cannot decide, `missing` goes to INSUFFICIENT_DATA and `ignore` keeps the current state;
 * - then ALARM when at least `datapoints_to_alarm` of the evaluated points breach, else OK.
 *
 * The guide's examples retrieve 5 periods for 3 evaluation periods; the real number "depends on the length of the
 * alarm period" and is not published, so this model uses `evaluation_periods + 2` throughout. It reproduces every
 * row of the guide's two example tables but one: with `missing`, a lone breaching point at the *oldest* end of the
 * range (`X - - - -`, 3 of 3) is ALARM in the guide and INSUFFICIENT_DATA here, as the guide's own rule for the
 * mirrored row (`- - - - X`) gives.
 */

/** The states of a CloudWatch alarm. */
export type AlarmState = "OK" | "ALARM" | "INSUFFICIENT_DATA";

/** The comparison operators of static-threshold alarms (anomaly detection bands are not modelled). */
export const COMPARISON_OPERATORS = [
  "GreaterThanOrEqualToThreshold",
  "GreaterThanThreshold",
  "LessThanThreshold",
  "LessThanOrEqualToThreshold",
] as const;
/** One of {@link COMPARISON_OPERATORS}. */
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

/** The values of `treat_missing_data`; `missing` is CloudWatch's default. */
export const TREAT_MISSING_DATA = ["missing", "ignore", "breaching", "notBreaching"] as const;
/** One of {@link TREAT_MISSING_DATA}. */
export type TreatMissingData = (typeof TREAT_MISSING_DATA)[number];

/** The statistics an alarm can evaluate (extended statistics such as p99 are not modelled). */
export const STATISTICS = ["Sum", "SampleCount", "Average", "Minimum", "Maximum"] as const;
/** One of {@link STATISTICS}. */
export type Statistic = (typeof STATISTICS)[number];

/** What decides an alarm's state, as `aws_cloudwatch_metric_alarm` states it. */
export interface AlarmRule {
  /** `threshold`. */
  readonly threshold: number;
  /** `comparison_operator`. */
  readonly comparisonOperator: ComparisonOperator;
  /** `evaluation_periods` (N). */
  readonly evaluationPeriods: number;
  /** `datapoints_to_alarm` (M); CloudWatch uses N when it is not set. */
  readonly datapointsToAlarm: number;
  /** `treat_missing_data`. */
  readonly treatMissingData: TreatMissingData;
}

/** The data point of one period; `value` is undefined when the metric had no data in it. */
export interface PeriodDatapoint {
  /** Start of the period, in milliseconds since the epoch. */
  readonly startMs: number;
  readonly value: number | undefined;
}

/** The state one evaluation arrives at, and why, in words close to CloudWatch's state reasons. */
export interface EvaluationOutcome {
  readonly state: AlarmState;
  readonly reason: string;
}

/** Periods retrieved beyond `evaluation_periods` (see the module comment). */
export const EXTRA_PERIODS_RETRIEVED = 2;

/** How many periods one evaluation looks at. */
export function evaluationRangeLength(rule: AlarmRule): number {
  return rule.evaluationPeriods + EXTRA_PERIODS_RETRIEVED;
}

const OPERATOR_WORDS: Readonly<Record<ComparisonOperator, string>> = {
  GreaterThanOrEqualToThreshold: "greater than or equal to",
  GreaterThanThreshold: "greater than",
  LessThanThreshold: "less than",
  LessThanOrEqualToThreshold: "less than or equal to",
};

/** Whether a value breaches the threshold. */
export function isBreaching(rule: Pick<AlarmRule, "threshold" | "comparisonOperator">, value: number): boolean {
  switch (rule.comparisonOperator) {
    case "GreaterThanOrEqualToThreshold":
      return value >= rule.threshold;
    case "GreaterThanThreshold":
      return value > rule.threshold;
    case "LessThanThreshold":
      return value < rule.threshold;
    case "LessThanOrEqualToThreshold":
      return value <= rule.threshold;
  }
}

/** `hh:mm` (UTC) of a period start, as reasons show it. */
function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

function describePoints(points: readonly PeriodDatapoint[]): string {
  return points.map((point) => `${point.value === undefined ? "missing" : String(point.value)} (${clock(point.startMs)})`).join(", ");
}

/**
 * Evaluates one evaluation range (oldest period first) from the alarm's current state.
 *
 * @throws RangeError when the range is not {@link evaluationRangeLength} long or the rule is inconsistent.
 */
export function evaluateRange(rule: AlarmRule, range: readonly PeriodDatapoint[], current: AlarmState): EvaluationOutcome {
  const n = rule.evaluationPeriods;
  const m = rule.datapointsToAlarm;
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(m) || m < 1 || m > n) {
    throw new RangeError(`datapoints_to_alarm (${m}) must be an integer from 1 to evaluation_periods (${n})`);
  }
  if (range.length !== evaluationRangeLength(rule)) {
    throw new RangeError(`an evaluation range of ${evaluationRangeLength(rule)} periods was expected, got ${range.length}`);
  }
  const words = `${OPERATOR_WORDS[rule.comparisonOperator]} the threshold (${rule.threshold})`;
  const real = range.filter((point) => point.value !== undefined);

  if (real.length >= n) {
    const evaluated = real.slice(-n);
    const breaching = evaluated.filter((point) => isBreaching(rule, point.value as number)).length;
    return decide(breaching, `${breaching} of the last ${n} datapoints [${describePoints(evaluated)}] ${breaching === 1 ? "was" : "were"} ${words}`);
  }

  const missingUsed = n - real.length;
  const realBreaching = real.filter((point) => isBreaching(rule, point.value as number)).length;
  const realGood = real.length - realBreaching;
  const shown = `[${describePoints(real)}${real.length > 0 ? ", " : ""}${missingUsed} missing]`;
  switch (rule.treatMissingData) {
    case "breaching":
    case "notBreaching": {
      const filledBreaching = rule.treatMissingData === "breaching" ? missingUsed : 0;
      const breaching = realBreaching + filledBreaching;
      const treated = rule.treatMissingData === "breaching" ? "Breaching" : "NonBreaching";
      return decide(
        breaching,
        `${breaching} of the last ${n} datapoints ${shown} ${breaching === 1 ? "was" : "were"} ${words}; ${missingUsed} missing datapoint${missingUsed === 1 ? " was" : "s were"} treated as [${treated}]`,
      );
    }
    case "missing":
    case "ignore": {
      // The real points decide only when they already reach M, or when one of them is good (the guide's rows:
      // `0 - - - -` and `0 - X - -` are OK with missing data left unfilled).
      if (real.length > 0 && (realBreaching >= m || realGood > 0)) {
        return decide(realBreaching, `${realBreaching} of ${real.length} datapoints ${shown} ${realBreaching === 1 ? "was" : "were"} ${words}; missing data not filled in`);
      }
      const why = real.length === 0 ? `no datapoints in the last ${range.length} periods` : `too few datapoints to decide ${shown}`;
      return rule.treatMissingData === "missing"
        ? { state: "INSUFFICIENT_DATA", reason: `Insufficient Data: ${why}` }
        : { state: current, reason: `${why}; missing data is ignored, so the alarm stays ${current}` };
    }
  }

  function decide(breaching: number, detail: string): EvaluationOutcome {
    return breaching >= m
      ? { state: "ALARM", reason: `Threshold Crossed: ${detail} (minimum ${m} for ALARM)` }
      : { state: "OK", reason: `Threshold Crossed: ${detail} (minimum ${m} for ALARM)` };
  }
}

/**
 * The state an alarm settles in when its metric has had no data for as long as it looks back: a deployed alarm on
 * an error count that nothing has incremented yet. INSUFFICIENT_DATA (an alarm's state when created) for
 * `missing` and `ignore`.
 */
export function stateWithoutData(rule: AlarmRule): AlarmState {
  const empty = Array.from({ length: evaluationRangeLength(rule) }, (_, index) => ({ startMs: index, value: undefined }));
  return evaluateRange(rule, empty, "INSUFFICIENT_DATA").state;
}

/** One evaluation of the alarm, at the end of a period. */
export interface AlarmEvaluation extends EvaluationOutcome {
  /** When the evaluation happened: the end of the most recent period of its range. */
  readonly atMs: number;
}

/** A change of state; CloudWatch runs the actions of the new state on each one. */
export interface AlarmTransition {
  readonly atMs: number;
  readonly from: AlarmState;
  readonly to: AlarmState;
  readonly reason: string;
}

/** What an alarm did over a stretch of time. */
export interface AlarmHistory {
  /** The state before the first evaluation. */
  readonly initialState: AlarmState;
  readonly evaluations: readonly AlarmEvaluation[];
  readonly transitions: readonly AlarmTransition[];
  /** The state after the last evaluation. */
  readonly finalState: AlarmState;
}

/**
 * Evaluates an alarm at the end of every period that ends after `fromMs` and no later than `toMs`; periods are
 * aligned to multiples of the period since the epoch, as CloudWatch aligns them.
 *
 * @param datapoint the alarm's statistic over the period starting at the given time, or undefined when missing.
 * @param initialState the state before the first evaluation. @default {@link stateWithoutData}
 */
export function runAlarm(
  rule: AlarmRule & { readonly periodSeconds: number },
  datapoint: (periodStartMs: number) => number | undefined,
  fromMs: number,
  toMs: number,
  initialState: AlarmState = stateWithoutData(rule),
): AlarmHistory {
  const periodMs = rule.periodSeconds * 1000;
  if (!Number.isInteger(rule.periodSeconds) || rule.periodSeconds <= 0) {
    throw new RangeError(`period must be a positive whole number of seconds, got ${rule.periodSeconds}`);
  }
  const rangeLength = evaluationRangeLength(rule);
  const evaluations: AlarmEvaluation[] = [];
  const transitions: AlarmTransition[] = [];
  let state = initialState;
  for (let end = Math.floor(fromMs / periodMs) * periodMs + periodMs; end <= toMs; end += periodMs) {
    const range = Array.from({ length: rangeLength }, (_, index) => {
      const startMs = end - (rangeLength - index) * periodMs;
      return { startMs, value: datapoint(startMs) };
    });
    const outcome = evaluateRange(rule, range, state);
    evaluations.push({ atMs: end, ...outcome });
    if (outcome.state !== state) transitions.push({ atMs: end, from: state, to: outcome.state, reason: outcome.reason });
    state = outcome.state;
  }
  return { initialState, evaluations, transitions, finalState: state };
}
