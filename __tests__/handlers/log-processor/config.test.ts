import { ConfigurationError, readProcessorConfig } from "../../../handlers/log-processor/config";

/** An environment with real-time alerts on and everything they need. */
const ALERTS_ON = {
  INCIDENTS_TABLE_NAME: "log-monitor-incidents",
  ALERT_TOPIC_ARN: "arn:aws:sns:eu-west-1:123456789012:log-monitor-prod-alerts",
  SUPPRESSION_TABLE_NAME: "log-monitor-prod-alert-suppression",
  AWS_REGION: "eu-west-1",
};

describe("readProcessorConfig", () => {
  it("reads the table name and TTL days", () => {
    // Act
    const config = readProcessorConfig({
      INCIDENTS_TABLE_NAME: "log-monitor-incidents",
      INCIDENT_TTL_DAYS: "14",
      REALTIME_ALERTS: "false",
    });
    // Assess
    expect(config).toStrictEqual({
      tableName: "log-monitor-incidents",
      ttlDays: 14,
      realtimeAlerts: { enabled: false },
      timeouts: { dynamoDbTimeoutMs: 2000, snsTimeoutMs: 5000, sdkMaxAttempts: 3 },
    });
  });

  it.each([
    ["unset", undefined],
    ["empty", ""],
  ])("defaults the TTL to 30 days when INCIDENT_TTL_DAYS is %s", (_name, value) => {
    // Act
    const config = readProcessorConfig({ ...ALERTS_ON, INCIDENT_TTL_DAYS: value });
    // Assess
    expect(config.ttlDays).toBe(30);
  });

  it.each([
    ["unset", undefined],
    ["empty", ""],
    ["blank", "  "],
  ])("names INCIDENTS_TABLE_NAME when it is %s", (_name, value) => {
    // Act / Assess
    expect(() => readProcessorConfig({ ...ALERTS_ON, INCIDENTS_TABLE_NAME: value })).toThrow(
      new ConfigurationError(
        "INCIDENTS_TABLE_NAME",
        "not set; it must name the DynamoDB table incidents are written to",
      ),
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
    expect(() => readProcessorConfig({ ...ALERTS_ON, INCIDENTS_TABLE_NAME: "t-1", INCIDENT_TTL_DAYS: value })).toThrow(
      `INCIDENT_TTL_DAYS: ${JSON.stringify(value)} is not a positive integer number of days`,
    );
  });
});

describe("readProcessorConfig: real-time alerts", () => {
  it.each([
    ["unset (the default)", undefined],
    ["empty", ""],
    ["true", "true"],
  ])("turns alerts on when REALTIME_ALERTS is %s, with a 15-minute window by default", (_name, value) => {
    // Act
    const config = readProcessorConfig({ ...ALERTS_ON, REALTIME_ALERTS: value });
    // Assess
    expect(config.realtimeAlerts).toStrictEqual({
      enabled: true,
      topicArn: "arn:aws:sns:eu-west-1:123456789012:log-monitor-prod-alerts",
      suppressionTableName: "log-monitor-prod-alert-suppression",
      suppressionMinutes: 15,
      region: "eu-west-1",
      maxAlertsPerDelivery: 10,
      leaseMs: 60_000,
      stormThreshold: 100,
    });
  });

  it("reads MAX_ALERTS_PER_DELIVERY, ALERT_LEASE_MS and the SDK timeouts", () => {
    // Act
    const config = readProcessorConfig({
      ...ALERTS_ON,
      MAX_ALERTS_PER_DELIVERY: "3",
      ALERT_LEASE_MS: "500",
      DYNAMODB_TIMEOUT_MS: "250",
      SNS_TIMEOUT_MS: "400",
    });
    // Assess
    expect(config.realtimeAlerts).toMatchObject({ maxAlertsPerDelivery: 3, leaseMs: 500 });
    expect(config.timeouts).toStrictEqual({ dynamoDbTimeoutMs: 250, snsTimeoutMs: 400, sdkMaxAttempts: 3 });
  });

  it.each([
    ["MAX_ALERTS_PER_DELIVERY", "0", "alerts"],
    ["ALERT_LEASE_MS", "1.5", "milliseconds"],
    ["SNS_TIMEOUT_MS", "five", "milliseconds"],
  ])("refuses %s=%s, naming the variable", (variable, value, unit) => {
    // Act / Assess
    expect(() => readProcessorConfig({ ...ALERTS_ON, [variable]: value })).toThrow(
      `${variable}: ${JSON.stringify(value)} is not a positive integer number of ${unit}`,
    );
  });

  it("reads SUPPRESSION_MINUTES", () => {
    // Act
    const config = readProcessorConfig({ ...ALERTS_ON, SUPPRESSION_MINUTES: "60" });
    // Assess
    expect(config.realtimeAlerts).toMatchObject({ enabled: true, suppressionMinutes: 60 });
  });

  it("leaves real-time alerts off when neither REALTIME_ALERTS nor ALERT_TOPIC_ARN is set, so INCIDENTS_TABLE_NAME alone runs the processor", () => {
    // Act
    const config = readProcessorConfig({ INCIDENTS_TABLE_NAME: "t-1" });
    // Assess
    expect(config).toStrictEqual({
      tableName: "t-1",
      ttlDays: 30,
      realtimeAlerts: { enabled: false },
      timeouts: { dynamoDbTimeoutMs: 2000, snsTimeoutMs: 5000, sdkMaxAttempts: 3 },
    });
  });

  it("turns real-time alerts on when REALTIME_ALERTS is unset but ALERT_TOPIC_ARN is set", () => {
    const config = readProcessorConfig(ALERTS_ON);
    expect(config.realtimeAlerts).toMatchObject({ enabled: true, topicArn: ALERTS_ON.ALERT_TOPIC_ARN });
  });

  it("needs neither topic, table nor region when REALTIME_ALERTS=false", () => {
    // Act
    const config = readProcessorConfig({
      INCIDENTS_TABLE_NAME: "t-1",
      REALTIME_ALERTS: "false",
      SUPPRESSION_MINUTES: "soon",
    });
    // Assess
    expect(config.realtimeAlerts).toStrictEqual({ enabled: false });
  });

  it.each([
    [
      "REALTIME_ALERTS is neither true nor false",
      { REALTIME_ALERTS: "yes" },
      "REALTIME_ALERTS",
      'REALTIME_ALERTS: "yes" is not true or false',
    ],
    [
      "REALTIME_ALERTS=true and ALERT_TOPIC_ARN is missing",
      { REALTIME_ALERTS: "true", ALERT_TOPIC_ARN: undefined },
      "ALERT_TOPIC_ARN",
      "ALERT_TOPIC_ARN: not set; it must hold the ARN of the SNS topic real-time alerts are published to (or set REALTIME_ALERTS=false)",
    ],
    [
      "ALERT_TOPIC_ARN is not an SNS topic ARN",
      { ALERT_TOPIC_ARN: "arn:aws:sqs:eu-west-1:123456789012:alerts" },
      "ALERT_TOPIC_ARN",
      'ALERT_TOPIC_ARN: "arn:aws:sqs:eu-west-1:123456789012:alerts" is not the ARN of a standard SNS topic (arn:aws:sns:<region>:<account>:<topic>)',
    ],
    [
      "ALERT_TOPIC_ARN names a FIFO topic, which needs a message group id",
      { ALERT_TOPIC_ARN: "arn:aws:sns:eu-west-1:123456789012:alerts.fifo" },
      "ALERT_TOPIC_ARN",
      'ALERT_TOPIC_ARN: "arn:aws:sns:eu-west-1:123456789012:alerts.fifo" is not the ARN of a standard SNS topic (arn:aws:sns:<region>:<account>:<topic>)',
    ],
    [
      "SUPPRESSION_TABLE_NAME is blank",
      { SUPPRESSION_TABLE_NAME: " " },
      "SUPPRESSION_TABLE_NAME",
      "SUPPRESSION_TABLE_NAME: not set; it must name the DynamoDB table that suppresses repeated alerts (or set REALTIME_ALERTS=false)",
    ],
    [
      "SUPPRESSION_MINUTES is not a positive integer",
      { SUPPRESSION_MINUTES: "15m" },
      "SUPPRESSION_MINUTES",
      'SUPPRESSION_MINUTES: "15m" is not a positive integer number of minutes',
    ],
    [
      "SUPPRESSION_MINUTES is zero",
      { SUPPRESSION_MINUTES: "0" },
      "SUPPRESSION_MINUTES",
      'SUPPRESSION_MINUTES: "0" is not a positive integer number of minutes',
    ],
    [
      "AWS_REGION is missing",
      { AWS_REGION: undefined },
      "AWS_REGION",
      "AWS_REGION: not set; it must name the function's region, for the console links in alerts (or set REALTIME_ALERTS=false)",
    ],
  ])("fails naming the variable when %s", (_name, change, variable, message) => {
    // Act
    let caught: unknown;
    try {
      readProcessorConfig({ ...ALERTS_ON, ...change });
    } catch (error) {
      caught = error;
    }
    // Assess
    expect(caught).toBeInstanceOf(ConfigurationError);
    expect(caught).toMatchObject({ variable, message });
  });

  it("accepts topic ARNs of other partitions", () => {
    // Act
    const china = readProcessorConfig({
      ...ALERTS_ON,
      ALERT_TOPIC_ARN: "arn:aws-cn:sns:cn-north-1:123456789012:alerts",
    });
    const govCloud = readProcessorConfig({
      ...ALERTS_ON,
      ALERT_TOPIC_ARN: "arn:aws-us-gov:sns:us-gov-west-1:123456789012:alerts",
    });
    // Assess
    expect(china.realtimeAlerts).toMatchObject({ topicArn: "arn:aws-cn:sns:cn-north-1:123456789012:alerts" });
    expect(govCloud.realtimeAlerts).toMatchObject({ topicArn: "arn:aws-us-gov:sns:us-gov-west-1:123456789012:alerts" });
  });
});
