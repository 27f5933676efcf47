import {
  AlertFacts,
  alertSubject,
  errorFirstLine,
  formatAlert,
  logGroupConsoleUrl,
  MAX_SUBJECT_LENGTH,
} from "../../../handlers/log-processor/alert-message";
import { REQUEST_ID } from "../../fixtures/log-lines";

const INVOKE_ERROR =
  `2024-05-01T12:00:01.000Z\t${REQUEST_ID}\tERROR\tInvoke Error \t{"errorType":"TypeError","errorMessage":"Cannot read properties of undefined (reading 'id')",` +
  `"stack":["TypeError: Cannot read properties of undefined (reading 'id')","    at Runtime.handler (file:///var/task/index.mjs:3:20)"]}\n`;

function facts(overrides: Partial<AlertFacts> = {}): AlertFacts {
  return {
    logGroup: "/aws/lambda/orders-api",
    logStream: "2024/05/01/[$LATEST]0123456789abcdef0123456789abcdef",
    severity: "ERROR",
    message: INVOKE_ERROR,
    incidentId: "0f".repeat(32),
    occurredAt: "2024-05-01T12:00:01.000Z",
    fingerprint: "c0ffee00".repeat(4),
    seenCount: 3,
    windowMinutes: 15,
    region: "eu-west-1",
    ...overrides,
  };
}

describe("formatAlert", () => {
  it("states the log group, severity, the error's first line, the count in the window, the incident, the fingerprint and a console link", () => {
    // Act
    const alert = formatAlert(facts());
    // Assess
    expect(alert.subject).toBe(
      "[ERROR] TypeError: Cannot read properties of undefined (reading 'id') (/aws/lambda/orders-api)",
    );
    expect(alert.body).toBe(
      [
        "ERROR in /aws/lambda/orders-api",
        "",
        "TypeError: Cannot read properties of undefined (reading 'id')",
        "",
        "This failure was seen about 3 times in the last 15 minutes (replays and retries may count twice).",
        "",
        "Log group:   /aws/lambda/orders-api",
        "Log stream:  2024/05/01/[$LATEST]0123456789abcdef0123456789abcdef",
        "Severity:    ERROR",
        "Occurred at: 2024-05-01T12:00:01.000Z",
        `Incident id: ${"0f".repeat(32)}`,
        `Fingerprint: ${"c0ffee00".repeat(4)}`,
        "Console:     https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Faws$252Flambda$252Forders-api",
        // Behaviour changed (issue 19, deep links): the query that finds the event, the stream at its time, the command.
        // console-links.test.ts parses these links back; the encoding is cited in handlers/log-processor/console-links.ts.
        "Insights:    https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:logs-insights$3FqueryDetail$3D~(end~'2024-05-01T12*3a15*3a01.000Z~start~'2024-05-01T11*3a45*3a01.000Z~timeType~'ABSOLUTE~tz~'UTC~editorString~'fields*20*40timestamp*2c*20*40message*2c*20*40logStream*0a*7c*20filter*20*40message*20like*20*2fTypeError*3a*20Cannot*20read*20properties*20of*20undefined*20*5c*28reading*20*27id*27*5c*29*2f*0a*7c*20sort*20*40timestamp*20desc~source~(~'*2faws*2flambda*2forders-api))",
        "At event:    https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Faws$252Flambda$252Forders-api/log-events/2024$252F05$252F01$252F$255B$2524LATEST$255D0123456789abcdef0123456789abcdef$3Fstart$3D1714564801000",
        `Incidents:   npm run incidents -- --fingerprint ${"c0ffee00".repeat(4)} --log-group /aws/lambda/orders-api`,
        "",
        "Further occurrences of this failure are counted, not alerted, until 15 minutes after this alert.",
        `Every occurrence is an incident: npm run incidents -- --fingerprint ${"c0ffee00".repeat(4)}`,
      ].join("\n"),
    );
    expect(alert.attributes).toStrictEqual({
      severity: "ERROR",
      log_group: "/aws/lambda/orders-api",
      fingerprint: "c0ffee00".repeat(4),
    });
  });

  it("says 1 time and 1 minute in the singular", () => {
    // Act
    const { body } = formatAlert(facts({ seenCount: 1, windowMinutes: 1 }));
    // Assess
    expect(body).toContain("\nThis failure was seen about 1 time in the last 1 minute (replays and retries may count twice).\n");
  });

  it("keeps the subject under SNS's 100-character limit, in printable ASCII on one line, for a long multi-line non-ASCII message", () => {
    // Prepare: a first line of 500 characters with accents, a tab and an emoji, then a stack trace.
    const message = `FATAL: Zahlung fehlgeschlagen für Kunde ✓ 🚀\t${"très long ".repeat(
      50,
    )}\n    at charge (index.js:1:1)`;
    // Act
    const { subject } = formatAlert(facts({ severity: "FATAL", message }));
    // Assess
    expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
    expect(MAX_SUBJECT_LENGTH).toBe(99);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    expect(subject).toBe(
      "[FATAL] FATAL: Zahlung fehlgeschlagen f?r Kunde ? ? tr?s long tr?s long... (/aws/lambda/orders-api)",
    );
  });

  it("cuts the log group too when a long error and a long group cannot both fit", () => {
    // Prepare
    const logGroup = `/aws/lambda/${"g".repeat(120)}`;
    // Act
    const subject = alertSubject("CRITICAL", "x".repeat(300), logGroup);
    // Assess
    expect(subject).toHaveLength(MAX_SUBJECT_LENGTH);
    expect(subject).toBe(`[CRITICAL] ${"x".repeat(37)}... (/aws/lambda/${"g".repeat(31)}...`);
  });

  it("cuts the error's first line in the body at 1,000 characters, whole characters only", () => {
    // Prepare: a 256 KB single-line event, made of 2-unit characters.
    const message = `ERROR ${"𝔸".repeat(131_000)}`;
    // Act
    const { body } = formatAlert(facts({ message }));
    // Assess
    const line = body.split("\n")[2] as string;
    expect(Array.from(line)).toHaveLength(1000);
    expect(line).toBe(`ERROR ${"𝔸".repeat(991)}...`);
  });

  it("never sends an empty subject text for a blank error line", () => {
    // Act / Assess
    expect(alertSubject("ERROR", " \n\t ", "/aws/lambda/a")).toBe("[ERROR] error (/aws/lambda/a)");
  });
});

describe("errorFirstLine", () => {
  it.each([
    ["a Node.js Invoke Error", INVOKE_ERROR, "TypeError: Cannot read properties of undefined (reading 'id')"],
    [
      "a Python uncaught exception with a traceback",
      "[ERROR] KeyError: 'order_id'\nTraceback (most recent call last):\n  File \"/var/task/app.py\", line 3",
      "KeyError: 'order_id'",
    ],
    ["a plain line with leading blank lines", "\n\n  ERROR: disk full\nmore", "ERROR: disk full"],
  ])("is the application's own first line for %s", (_name, message, expected) => {
    // Act / Assess
    expect(errorFirstLine(message)).toBe(expected);
  });
});

describe("logGroupConsoleUrl", () => {
  it("encodes the group twice with % written as $, as the console's logsV2 fragment expects", () => {
    // Act / Assess
    expect(logGroupConsoleUrl("us-east-1", "/aws/lambda/log-monitor-dev-test-emitter")).toBe(
      "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/$252Faws$252Flambda$252Flog-monitor-dev-test-emitter",
    );
  });

  it("encodes every character a log group name may hold besides letters, digits, _ - and .", () => {
    // Act / Assess: log group names may contain a-z A-Z 0-9 _ - / . #
    expect(logGroupConsoleUrl("ap-southeast-2", "/ecs/my_app-1.0#blue")).toBe(
      "https://ap-southeast-2.console.aws.amazon.com/cloudwatch/home?region=ap-southeast-2#logsV2:log-groups/log-group/$252Fecs$252Fmy_app-1.0$2523blue",
    );
  });
});
