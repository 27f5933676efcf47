import { ConfigurationError, readProcessorConfig } from "../../../handlers/log-processor/config";

describe("readProcessorConfig", () => {
  it("reads the table name and TTL days", () => {
    // Act
    const config = readProcessorConfig({ INCIDENTS_TABLE_NAME: "log-monitor-incidents", INCIDENT_TTL_DAYS: "14" });
    // Assess
    expect(config).toStrictEqual({ tableName: "log-monitor-incidents", ttlDays: 14 });
  });

  it.each([
    ["unset", undefined],
    ["empty", ""],
  ])("defaults the TTL to 30 days when INCIDENT_TTL_DAYS is %s", (_name, value) => {
    // Act
    const config = readProcessorConfig({ INCIDENTS_TABLE_NAME: "log-monitor-incidents", INCIDENT_TTL_DAYS: value });
    // Assess
    expect(config.ttlDays).toBe(30);
  });

  it.each([
    ["unset", undefined],
    ["empty", ""],
    ["blank", "  "],
  ])("names INCIDENTS_TABLE_NAME when it is %s", (_name, value) => {
    // Act / Assess
    expect(() => readProcessorConfig({ INCIDENTS_TABLE_NAME: value })).toThrow(
      new ConfigurationError("INCIDENTS_TABLE_NAME", "not set; it must name the DynamoDB table incidents are written to"),
    );
  });

  it("puts the variable first in the message and keeps it on the error", () => {
    // Act
    let caught: unknown;
    try {
      readProcessorConfig({});
    } catch (error) {
      caught = error;
    }
    // Assess
    expect(caught).toBeInstanceOf(ConfigurationError);
    expect((caught as ConfigurationError).message).toBe(
      "INCIDENTS_TABLE_NAME: not set; it must name the DynamoDB table incidents are written to",
    );
    expect((caught as ConfigurationError).variable).toBe("INCIDENTS_TABLE_NAME");
  });

  it.each(["0", "-3", "1.5", "thirty", "30d", "1e3"])("rejects INCIDENT_TTL_DAYS=%p, quoting the value", (value) => {
    // Act / Assess
    expect(() => readProcessorConfig({ INCIDENTS_TABLE_NAME: "t-1", INCIDENT_TTL_DAYS: value })).toThrow(
      `INCIDENT_TTL_DAYS: ${JSON.stringify(value)} is not a positive integer number of days`,
    );
  });
});
