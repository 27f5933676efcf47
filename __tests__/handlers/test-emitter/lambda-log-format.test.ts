import { formatLambdaLogLine } from "../../../handlers/test-emitter/lambda-log-format";

const TIMESTAMP = "2024-05-01T12:00:00.123Z";
const REQUEST_ID = "8f2c1a9e-4b7d-4c2e-9a51-3d0f6b2c7e10";

describe("formatLambdaLogLine", () => {
  it("writes the text format as timestamp, request id, level and message separated by tabs, ending in a newline", () => {
    // Act
    const line = formatLambdaLogLine("ERROR", "synthetic failure 1 of 1", {
      format: "text",
      timestamp: TIMESTAMP,
      requestId: REQUEST_ID,
    });
    // Assess
    expect(line).toBe(`2024-05-01T12:00:00.123Z\t8f2c1a9e-4b7d-4c2e-9a51-3d0f6b2c7e10\tERROR\tsynthetic failure 1 of 1\n`);
  });

  it("keeps a multi-line message in one text event, as the runtime's telemetry writer does", () => {
    // Act
    const line = formatLambdaLogLine("INFO", "first\nsecond", { format: "text", timestamp: TIMESTAMP, requestId: REQUEST_ID });
    // Assess
    expect(line).toBe(`${TIMESTAMP}\t${REQUEST_ID}\tINFO\tfirst\nsecond\n`);
  });

  it("writes the JSON format with timestamp, level, requestId and message in that order", () => {
    // Act
    const line = formatLambdaLogLine("ERROR", 'quote " and\nnewline', {
      format: "json",
      timestamp: TIMESTAMP,
      requestId: REQUEST_ID,
    });
    // Assess
    expect(line).toBe(
      '{"timestamp":"2024-05-01T12:00:00.123Z","level":"ERROR","requestId":"8f2c1a9e-4b7d-4c2e-9a51-3d0f6b2c7e10","message":"quote \\" and\\nnewline"}',
    );
  });

  it("leaves printf-style characters alone, as util.format does for a single string", () => {
    // Act
    const line = formatLambdaLogLine("WARN", "100% done, %s left", {
      format: "text",
      timestamp: TIMESTAMP,
      requestId: REQUEST_ID,
    });
    // Assess
    expect(line).toBe(`${TIMESTAMP}\t${REQUEST_ID}\tWARN\t100% done, %s left\n`);
  });
});
