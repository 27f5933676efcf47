import { classifyLogMessage } from "../../../handlers/log-processor/classify";
import { ERROR_LINES, NON_ERROR_LINES } from "../../fixtures/log-lines";

describe("classifyLogMessage", () => {
  it.each(ERROR_LINES.map((c) => [c.name, c.source, c.message, c.expected] as const))(
    "recognises %s [%s] as an incident",
    (_name, _source, message, expected) => {
      // Prepare: the real-shaped line comes from the fixture table.
      // Act
      const classification = classifyLogMessage(message);
      // Assess: exactly the severity, request id and error type the line carries, and nothing more.
      expect(classification).toStrictEqual(expected);
    },
  );

  it.each(NON_ERROR_LINES.map((c) => [c.name, c.source, c.message] as const))(
    "does not count %s [%s] as an incident",
    (_name, _source, message) => {
      // Act
      const classification = classifyLogMessage(message);
      // Assess
      expect(classification).toBeNull();
    },
  );

  it("takes the more severe of the runtime's level and the application's own level", () => {
    // Prepare: console.error of a line that the application itself marks FATAL.
    const message = "2024-05-01T12:00:00.123Z\t8f2c1a9e-4b7d-4c2e-9a51-3d0f6b2c7e10\tERROR\t[FATAL] cannot reach the ledger\n";
    // Act
    const classification = classifyLogMessage(message);
    // Assess
    expect(classification?.severity).toBe("FATAL");
  });

  it("counts a runtime ERROR even when the application's message says INFO", () => {
    // Prepare: console.error("INFO ...") is counted by every metric filter on ERROR, so it is an incident too.
    const message = "2024-05-01T12:00:00.123Z\t8f2c1a9e-4b7d-4c2e-9a51-3d0f6b2c7e10\tERROR\tINFO: cache warmed\n";
    // Act
    const classification = classifyLogMessage(message);
    // Assess
    expect(classification?.severity).toBe("ERROR");
  });

  it("treats pino levels between 50 and 59 as ERROR and 60 and above as FATAL", () => {
    // Act
    const severities = [49, 50, 59, 60, 70].map(
      (level) => classifyLogMessage(JSON.stringify({ level, msg: "x" }))?.severity ?? null,
    );
    // Assess
    expect(severities).toEqual([null, "ERROR", "ERROR", "FATAL", "FATAL"]);
  });

  it("leaves out the request id when the Node.js runtime wrote 'undefined' for it (during init)", () => {
    // Prepare
    const message = "2024-05-01T12:00:00.123Z\tundefined\tERROR\tconfiguration missing\n";
    // Act
    const classification = classifyLogMessage(message);
    // Assess
    expect(classification).toStrictEqual({ severity: "ERROR" });
  });

  it("still counts an Invoke Error whose JSON was cut short, without an error type", () => {
    // Prepare: a truncated Invoke Error (CloudWatch events are capped at 256 KB) is still an ERROR line.
    const message =
      '2024-05-01T12:00:00.123Z\t8f2c1a9e-4b7d-4c2e-9a51-3d0f6b2c7e10\tERROR\tInvoke Error \t{"errorType":"TypeError","errorMess';
    // Act
    const classification = classifyLogMessage(message);
    // Assess: severity and request id survive; the type cannot be read from broken JSON.
    expect(classification).toStrictEqual({ severity: "ERROR", requestId: "8f2c1a9e-4b7d-4c2e-9a51-3d0f6b2c7e10" });
  });
});
