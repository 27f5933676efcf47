import { classifyLogMessage } from "../../handlers/log-processor/classify";
import { NON_ERROR_LINES, REQUEST_ID } from "../fixtures/log-lines";
import { FunctionLogSettings, invocationLogLines } from "../../lib/simulate/invocation-log";
import { endLine, reportLine, startLine, timeoutLine } from "../../lib/simulate/lambda-platform-lines";
import type { SandboxInvocation } from "../../lib/simulate/lambda-sandbox";

const T0 = Date.UTC(2024, 4, 1, 12, 0, 5);
const SETTINGS: FunctionLogSettings = {
  functionName: "log-monitor-dev-test-emitter",
  region: "us-east-1",
  memorySizeMb: 128,
  timeoutSeconds: 10,
  logFormat: "json",
  applicationLogLevel: "INFO",
  systemLogLevel: "INFO",
};

function invocation(overrides: Partial<SandboxInvocation> = {}): SandboxInvocation {
  return {
    outcome: { kind: "success", value: {} },
    logs: [
      { level: "INFO", message: "health check ok" },
      { level: "ERROR", message: "SyntheticFailure: synthetic failure 1 of 1" },
    ],
    durationMs: 3.2,
    maxMemoryUsedMb: 70,
    ...overrides,
  };
}

describe("invocationLogLines", () => {
  it("writes a warm JSON-format invocation as platform.start, the console lines and platform.report", () => {
    // Act
    const lines = invocationLogLines(SETTINGS, invocation(), { startMs: T0, requestId: REQUEST_ID });
    // Assess
    expect(lines.map((line) => ({ source: line.source, error: line.error, at: line.timestampMs - T0, message: line.message }))).toEqual([
      {
        source: "platform",
        error: false,
        at: 0,
        message: `{"time":"2024-05-01T12:00:05.000Z","type":"platform.start","record":{"requestId":"${REQUEST_ID}","version":"$LATEST"}}`,
      },
      {
        source: "application",
        error: false,
        at: 1,
        message: `{"timestamp":"2024-05-01T12:00:05.001Z","level":"INFO","requestId":"${REQUEST_ID}","message":"health check ok"}`,
      },
      {
        source: "application",
        error: true,
        at: 2,
        message: `{"timestamp":"2024-05-01T12:00:05.002Z","level":"ERROR","requestId":"${REQUEST_ID}","message":"SyntheticFailure: synthetic failure 1 of 1"}`,
      },
      {
        source: "platform",
        error: false,
        at: 4,
        message:
          `{"time":"2024-05-01T12:00:05.004Z","type":"platform.report","record":{"requestId":"${REQUEST_ID}",` +
          '"metrics":{"durationMs":3.2,"billedDurationMs":4,"memorySizeMB":128,"maxMemoryUsedMB":70},"status":"success"}}',
      },
    ]);
  });

  it("writes the text format with START, END and REPORT, and INIT_START and Init Duration on a cold start", () => {
    // Act
    const lines = invocationLogLines(
      { ...SETTINGS, logFormat: "text" },
      invocation({ init: { durationMs: 150.25, logs: [] } }),
      { startMs: T0, requestId: REQUEST_ID },
    );
    // Assess
    expect(lines.map((line) => line.message.split(/[\t ]/)[0])).toEqual(["INIT_START", "START", "2024-05-01T12:00:05.001Z", "2024-05-01T12:00:05.002Z", "END", "REPORT"]);
    expect(lines[5]?.message).toBe(
      `REPORT RequestId: ${REQUEST_ID}\tDuration: 3.20 ms\tBilled Duration: 4 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\tInit Duration: 150.25 ms\t\n`,
    );
    expect(lines[0]?.timestampMs).toBeLessThan(T0);
  });

  it("drops application lines below application_log_level in the JSON format, as Lambda does", () => {
    // Act
    const lines = invocationLogLines(
      { ...SETTINGS, applicationLogLevel: "ERROR" },
      invocation(),
      { startMs: T0, requestId: REQUEST_ID },
    );
    // Assess
    expect(lines.filter((line) => line.source === "application").map((line) => line.level)).toEqual(["ERROR"]);
  });

  it("adds the runtime's Invoke Error line when the handler throws, and Lambda's timeout and crash lines", () => {
    // Act
    const thrown = invocationLogLines(
      SETTINGS,
      invocation({ logs: [], outcome: { kind: "error", phase: "invoke", error: { errorType: "TypeError", errorMessage: "x is undefined", stack: ["TypeError: x is undefined"] } } }),
      { startMs: T0, requestId: REQUEST_ID },
    );
    const timedOut = invocationLogLines({ ...SETTINGS, logFormat: "text" }, invocation({ logs: [], outcome: { kind: "timeout" }, durationMs: 10_000 }), {
      startMs: T0,
      requestId: REQUEST_ID,
    });
    const crashed = invocationLogLines(SETTINGS, invocation({ logs: [], outcome: { kind: "crash", detail: "signal: killed" } }), { startMs: T0, requestId: REQUEST_ID });
    // Assess: each failure line is flagged as an error, and the processor classifies it as one.
    const failures = [...thrown, ...timedOut, ...crashed].filter((line) => line.error);
    expect(failures.map((line) => [classifyLogMessage(line.message)?.severity, classifyLogMessage(line.message)?.errorType])).toEqual([
      ["ERROR", "TypeError"],
      ["ERROR", undefined],
      ["ERROR", "Runtime.ExitError"],
    ]);
    expect(timedOut.map((line) => line.message)).toContain(`REPORT RequestId: ${REQUEST_ID}\tDuration: 10000.00 ms\tBilled Duration: 10000 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\tStatus: timeout\t\n`);
  });
});

describe("Lambda's platform lines", () => {
  it("have the shapes of the fixtures' real START and END lines", () => {
    // Prepare
    const fixture = (name: string) => NON_ERROR_LINES.find((line) => line.name === name)?.message;
    // Assess
    expect(startLine({ format: "text" }, { time: "", requestId: REQUEST_ID })).toBe(fixture("START"));
    expect(endLine({ format: "text" }, { requestId: REQUEST_ID })).toBe(fixture("END"));
  });

  it("are not errors to the processor when the invocation succeeded, in either format", () => {
    for (const format of ["text", "json"] as const) {
      const report = reportLine({ format }, { requestId: REQUEST_ID, time: "2024-05-01T12:00:00.000Z", durationMs: 2, memorySizeMb: 128, maxMemoryUsedMb: 70, status: "success" });
      expect({ format, classification: classifyLogMessage(report ?? "") }).toEqual({ format, classification: null });
    }
  });

  it("are dropped from the JSON format at system_log_level WARN, but never from the text format", () => {
    expect(startLine({ format: "json", systemLogLevel: "WARN" }, { time: "t", requestId: REQUEST_ID })).toBeUndefined();
    expect(startLine({ format: "text", systemLogLevel: "WARN" }, { time: "t", requestId: REQUEST_ID })).toBe(`START RequestId: ${REQUEST_ID} Version: $LATEST\n`);
  });

  it("write a timeout as the fixtures' timeout line", () => {
    expect(timeoutLine({ time: "2024-05-01T12:00:03.012Z", requestId: REQUEST_ID, timeoutSeconds: 3 })).toBe(
      `2024-05-01T12:00:03.012Z ${REQUEST_ID} Task timed out after 3.00 seconds\n`,
    );
  });
});
