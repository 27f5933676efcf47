import {
  AlarmRule,
  AlarmState,
  evaluateRange,
  evaluationRangeLength,
  isBreaching,
  runAlarm,
  stateWithoutData,
  TreatMissingData,
} from "../../lib/simulate/alarm-evaluation";

const MINUTE = 60_000;
const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);

/** A rule with threshold 3 (GreaterThanOrEqualToThreshold), as in the guide's examples. */
function rule(datapointsToAlarm: number, evaluationPeriods: number, treatMissingData: TreatMissingData): AlarmRule {
  return { threshold: 3, comparisonOperator: "GreaterThanOrEqualToThreshold", evaluationPeriods, datapointsToAlarm, treatMissingData };
}

/** The guide's notation, oldest first: 0 not breaching, X breaching, - missing. */
function range(notation: string): { startMs: number; value: number | undefined }[] {
  return notation.split(" ").map((symbol, index) => ({
    startMs: T0 + index * MINUTE,
    value: symbol === "-" ? undefined : symbol === "X" ? 5 : 0,
  }));
}

const TREATMENTS: readonly TreatMissingData[] = ["missing", "ignore", "breaching", "notBreaching"];
const RETAIN = "retain";

function stateOf(notation: string, m: number, n: number, treatment: TreatMissingData, current: AlarmState = "OK"): AlarmState {
  return evaluateRange(rule(m, n, treatment), range(notation), current).state;
}

describe("evaluateRange: the CloudWatch User Guide's examples (How alarm state is evaluated when data is missing)", () => {
  it("retrieves evaluation_periods + 2 periods, as the guide's examples do (5 for 3)", () => {
    expect(evaluationRangeLength(rule(3, 3, "missing"))).toBe(5);
  });

  // Columns: MISSING, IGNORE, BREACHING, NOT BREACHING.
  const threeOfThree: readonly [string, readonly (AlarmState | typeof RETAIN)[]][] = [
    ["0 - X - X", ["OK", "OK", "OK", "OK"]],
    ["0 - - - -", ["OK", "OK", "OK", "OK"]],
    ["- - - - -", ["INSUFFICIENT_DATA", RETAIN, "ALARM", "OK"]],
    ["0 X X - X", ["ALARM", "ALARM", "ALARM", "ALARM"]],
    ["- - - - X", ["INSUFFICIENT_DATA", RETAIN, "ALARM", "OK"]],
    // The guide has ALARM for MISSING here; see the module comment for why the model says INSUFFICIENT_DATA.
    ["X - - - -", ["INSUFFICIENT_DATA", RETAIN, "ALARM", "OK"]],
  ];
  const twoOfThree: readonly [string, readonly (AlarmState | typeof RETAIN)[]][] = [
    ["0 - X - X", ["ALARM", "ALARM", "ALARM", "ALARM"]],
    ["0 0 X 0 X", ["ALARM", "ALARM", "ALARM", "ALARM"]],
    ["0 - X - -", ["OK", "OK", "ALARM", "OK"]],
    ["- - - - 0", ["OK", "OK", "ALARM", "OK"]],
    ["- - - - X", ["INSUFFICIENT_DATA", RETAIN, "ALARM", "OK"]],
  ];

  for (const [title, m, table] of [
    ["3 out of 3", 3, threeOfThree],
    ["2 out of 3", 2, twoOfThree],
  ] as const) {
    it(`gives the guide's states for a ${title} alarm`, () => {
      for (const [notation, expected] of table) {
        for (const [column, treatment] of TREATMENTS.entries()) {
          // Retaining is shown by evaluating from two different current states.
          const fromOk = stateOf(notation, m, 3, treatment, "OK");
          const fromAlarm = stateOf(notation, m, 3, treatment, "ALARM");
          const actual = fromOk === "OK" && fromAlarm === "ALARM" ? RETAIN : fromOk;
          expect({ notation, treatment, state: actual }).toEqual({ notation, treatment, state: expected[column] });
        }
      }
    });
  }
});

describe("evaluateRange: reasons and validation", () => {
  it("says which datapoints breached, with their times", () => {
    // Act
    const outcome = evaluateRange(
      { threshold: 1, comparisonOperator: "GreaterThanOrEqualToThreshold", evaluationPeriods: 1, datapointsToAlarm: 1, treatMissingData: "notBreaching" },
      [
        { startMs: T0, value: undefined },
        { startMs: T0 + MINUTE, value: undefined },
        { startMs: T0 + 2 * MINUTE, value: 3 },
      ],
      "OK",
    );
    // Assess
    expect(outcome).toEqual({
      state: "ALARM",
      reason:
        "Threshold Crossed: 1 of the last 1 datapoints [3 (12:02)] was greater than or equal to the threshold (1) (minimum 1 for ALARM)",
    });
  });

  it("says how missing data was treated when it had to be filled in", () => {
    // Act
    const outcome = evaluateRange(
      { threshold: 1, comparisonOperator: "GreaterThanOrEqualToThreshold", evaluationPeriods: 1, datapointsToAlarm: 1, treatMissingData: "notBreaching" },
      range("- - -"),
      "ALARM",
    );
    // Assess
    expect(outcome).toEqual({
      state: "OK",
      reason:
        "Threshold Crossed: 0 of the last 1 datapoints [1 missing] were greater than or equal to the threshold (1); 1 missing datapoint was treated as [NonBreaching] (minimum 1 for ALARM)",
    });
  });

  it("rejects datapoints_to_alarm above evaluation_periods", () => {
    expect(() => evaluateRange(rule(4, 3, "missing"), range("- - - - -"), "OK")).toThrow(
      new RangeError("datapoints_to_alarm (4) must be an integer from 1 to evaluation_periods (3)"),
    );
  });

  it("rejects a range of the wrong length", () => {
    expect(() => evaluateRange(rule(3, 3, "missing"), range("- - -"), "OK")).toThrow(
      new RangeError("an evaluation range of 5 periods was expected, got 3"),
    );
  });
});

describe("isBreaching", () => {
  it("applies each comparison operator at, above and below the threshold", () => {
    const cases = [
      ["GreaterThanOrEqualToThreshold", [false, true, true]],
      ["GreaterThanThreshold", [false, false, true]],
      ["LessThanThreshold", [true, false, false]],
      ["LessThanOrEqualToThreshold", [true, true, false]],
    ] as const;
    for (const [comparisonOperator, expected] of cases) {
      const actual = [0, 1, 2].map((value) => isBreaching({ threshold: 1, comparisonOperator }, value));
      expect({ comparisonOperator, actual }).toEqual({ comparisonOperator, actual: [...expected] });
    }
  });
});

describe("stateWithoutData", () => {
  it("is where an alarm settles on a metric that has had no data", () => {
    const states = Object.fromEntries(TREATMENTS.map((treatment) => [treatment, stateWithoutData(rule(1, 1, treatment))]));
    expect(states).toEqual({ missing: "INSUFFICIENT_DATA", ignore: "INSUFFICIENT_DATA", breaching: "ALARM", notBreaching: "OK" });
  });
});

describe("runAlarm", () => {
  const errorAlarm = {
    threshold: 1,
    comparisonOperator: "GreaterThanOrEqualToThreshold" as const,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: "notBreaching" as const,
    periodSeconds: 60,
  };

  it("goes OK -> ALARM at the end of the first minute with an error, and back to OK once no datapoint is left in range", () => {
    // Prepare: one error in the minute starting 12:01.
    const datapoints = new Map([[T0 + MINUTE, 1]]);
    // Act
    const history = runAlarm(errorAlarm, (start) => datapoints.get(start), T0, T0 + 10 * MINUTE);
    // Assess: the last real datapoint decides for as long as it is in the 3-period evaluation range.
    expect(history.initialState).toBe("OK");
    expect(history.transitions.map(({ atMs, from, to }) => ({ at: new Date(atMs).toISOString().slice(11, 16), from, to }))).toEqual([
      { at: "12:02", from: "OK", to: "ALARM" },
      { at: "12:05", from: "ALARM", to: "OK" },
    ]);
    expect(history.evaluations).toHaveLength(10);
    expect(history.finalState).toBe("OK");
  });

  it("never leaves OK without data", () => {
    // Act
    const history = runAlarm(errorAlarm, () => undefined, T0, T0 + 5 * MINUTE);
    // Assess
    expect(history.transitions).toEqual([]);
    expect(history.finalState).toBe("OK");
  });

  it("evaluates at the end of each period, aligned to the period", () => {
    // Act
    const history = runAlarm({ ...errorAlarm, periodSeconds: 300 }, () => undefined, T0 + 2 * MINUTE, T0 + 20 * MINUTE);
    // Assess
    expect(history.evaluations.map((evaluation) => new Date(evaluation.atMs).toISOString().slice(11, 16))).toEqual(["12:05", "12:10", "12:15", "12:20"]);
  });

  it("rejects a period that is not a positive whole number of seconds", () => {
    expect(() => runAlarm({ ...errorAlarm, periodSeconds: 0 }, () => undefined, T0, T0 + MINUTE)).toThrow(
      new RangeError("period must be a positive whole number of seconds, got 0"),
    );
  });
});
