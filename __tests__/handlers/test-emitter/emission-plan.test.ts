import { classifyLogMessage } from "../../../handlers/log-processor/classify";
import { fingerprintMessage } from "../../../handlers/log-processor/fingerprint";
import { planEmission, RANDOM_ERROR_PROBABILITY } from "../../../handlers/test-emitter/emission-plan";
import { formatLambdaLogLine } from "../../../handlers/test-emitter/lambda-log-format";

/** A random source that must not be consulted. */
const NEVER: () => number = () => {
  throw new Error("random() must not be called when error_count is given");
};

describe("planEmission", () => {
  it("plans one INFO health line and exactly the requested ERROR lines", () => {
    // Act
    const plan = planEmission({ errorCount: 3 }, NEVER);
    // Assess
    expect(plan).toStrictEqual({
      infoLines: ["health check ok: log-monitor test emitter is running, 3 synthetic incident line(s) follow"],
      errorLines: [
        "SyntheticFailure: synthetic failure 1 of 3 from the log-monitor test emitter (safe to ignore)",
        "SyntheticFailure: synthetic failure 2 of 3 from the log-monitor test emitter (safe to ignore)",
        "SyntheticFailure: synthetic failure 3 of 3 from the log-monitor test emitter (safe to ignore)",
      ],
    });
  });

  it("plans only the health line for error_count 0", () => {
    // Act
    const plan = planEmission({ errorCount: 0 }, NEVER);
    // Assess
    expect(plan.infoLines).toHaveLength(1);
    expect(plan.errorLines).toEqual([]);
  });

  it("plans 1,000 distinct ERROR lines at the cap", () => {
    // Act
    const plan = planEmission({ errorCount: 1000 }, NEVER);
    // Assess
    expect(new Set(plan.errorLines).size).toBe(1000);
  });

  it.each([
    [0, 1],
    [RANDOM_ERROR_PROBABILITY - 0.0001, 1],
    [RANDOM_ERROR_PROBABILITY, 0],
    [0.9999, 0],
  ])("without a count, draws %p and plans %p ERROR line(s) (40%% chance of one)", (draw, expected) => {
    // Act
    const plan = planEmission({}, () => draw);
    // Assess
    expect(plan.infoLines).toHaveLength(1);
    expect(plan.errorLines).toHaveLength(expected);
  });

  it("never puts the word error, in any case, in the health line", () => {
    // Act
    const lines = [0, 1, 7].flatMap((errorCount) => planEmission({ errorCount }, NEVER).infoLines);
    // Assess
    for (const line of lines) expect(line).not.toMatch(/error/i);
  });

  it("writes lines the log processor reads as one ERROR each, sharing one fingerprint, and a health line it ignores", () => {
    // Prepare
    const plan = planEmission({ errorCount: 2 }, NEVER);
    const options = {
      format: "text",
      timestamp: "2024-05-01T12:00:00.000Z",
      requestId: "8f2c1a9e-4b7d-4c2e-9a51-3d0f6b2c7e10",
    } as const;
    // Act
    const info = plan.infoLines.map((line) => classifyLogMessage(formatLambdaLogLine("INFO", line, options)));
    const errors = plan.errorLines.map((line) => formatLambdaLogLine("ERROR", line, options));
    // Assess
    expect(info).toEqual([null]);
    expect(errors.map(classifyLogMessage)).toEqual([
      { severity: "ERROR", requestId: options.requestId },
      { severity: "ERROR", requestId: options.requestId },
    ]);
    expect(new Set(errors.map(fingerprintMessage)).size).toBe(1);
  });
});
