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

describe("classifyLogMessage at the limits of one line", () => {
  const deep = (depth: number) => `${"[".repeat(depth)}"x"${"]".repeat(depth)}`;

  it.each([64, 65, 6000, 100_000])("reads the level of a JSON line whose message nests %i levels", (depth) => {
    // Act / Assess
    expect(classifyLogMessage(`{"level":"fatal","message":${deep(depth)}}`)).toStrictEqual({ severity: "FATAL" });
  });

  it("reads the runtime's level and request id of a Node.js line carrying 10,000-deep JSON", () => {
    // Prepare
    const message = `2024-05-01T12:00:00.123Z\t8f2c1a9e-4b7d-4c2e-9a51-3d0f6b2c7e10\tERROR\t{"a":${deep(10_000)}}`;
    // Act / Assess
    expect(classifyLogMessage(message)).toStrictEqual({ severity: "ERROR", requestId: "8f2c1a9e-4b7d-4c2e-9a51-3d0f6b2c7e10" });
  });

  it("reads a 1 MB plain error line by its first words", () => {
    // Act / Assess
    expect(classifyLogMessage(`ERROR: payload rejected ${"x ".repeat(512 * 1024)}`)).toStrictEqual({ severity: "ERROR" });
  });

  it("stops reading envelopes inside envelopes after four, reading the fifth as plain text", () => {
    // Prepare: JSON whose message is JSON, five deep; only the innermost says FATAL.
    let line = JSON.stringify({ level: "fatal", msg: "innermost" });
    for (let i = 0; i < 5; i++) line = JSON.stringify({ level: "info", message: line });
    // Act / Assess: the outer four are read; the fifth is text with no level word at its start.
    expect(classifyLogMessage(line)).toBeNull();
  });
});
