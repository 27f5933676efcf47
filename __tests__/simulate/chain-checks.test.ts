import { ChainObservations, checkChain, firstBrokenLink } from "../../lib/simulate/chain-checks";

const ERROR_LINE = '{"timestamp":"2024-05-01T12:00:05.000Z","level":"ERROR","requestId":"r1","message":"SyntheticFailure: synthetic failure 1 of 1"}';
const INFO_LINE = '{"timestamp":"2024-05-01T12:00:05.000Z","level":"INFO","requestId":"r1","message":"health check ok"}';
const TOPIC = "arn:aws:sns:us-east-1:123456789012:log-monitor-dev-alerts";

/** A chain in which everything worked: one error event, one INFO event. */
function healthy(): ChainObservations {
  return {
    errorsRequested: 1,
    emitterFailures: [],
    events: [
      { id: "e1", error: true, message: ERROR_LINE },
      { id: "i1", error: false, message: INFO_LINE },
    ],
    counted: new Map([
      ["e1", ["alerting/aws_cloudwatch_log_metric_filter.json"]],
      ["i1", []],
    ]),
    alarms: [{ name: "log-monitor-dev-errors", actionsEnabled: true, alarmActions: [TOPIC], reachedAlarm: true, finalState: "OK" }],
    passed: new Map([
      ["e1", ["processing/aws_cloudwatch_log_subscription_filter.s"]],
      ["i1", []],
    ]),
    deliveryFailures: [],
    incidentEventIds: new Set(["e1"]),
    alerts: { enabled: true, implemented: true, topicArn: TOPIC, published: [{ topicArn: TOPIC }] },
    unsupportedCalls: [],
  };
}

describe("checkChain", () => {
  it("finds nothing wrong with a healthy chain", () => {
    expect(checkChain(healthy())).toEqual([]);
    expect(firstBrokenLink([])).toBeUndefined();
  });

  it("blames the metric filter for an uncounted error event, quoting it", () => {
    // Act
    const problems = checkChain({ ...healthy(), counted: new Map([["e1", []]]) });
    // Assess: the alarm is not blamed for what it never saw.
    expect(problems).toEqual([
      {
        link: "metric filter",
        message: `1 of 1 error event matched no metric filter, so the alarm never saw it; first: ${JSON.stringify(ERROR_LINE)}`,
      },
    ]);
    expect(firstBrokenLink(problems)).toBe("metric filter");
  });

  it("blames the metric filter for counting an INFO line, and for counting a line twice", () => {
    // Act
    const problems = checkChain({
      ...healthy(),
      counted: new Map([
        ["e1", ["a", "b"]],
        ["i1", ["a"]],
      ]),
    });
    // Assess
    expect(problems.map((problem) => problem.message)).toEqual([
      `counted 1 non-error event; first: ${JSON.stringify(INFO_LINE)}`,
      `counted 1 event more than once (a and b); first: ${JSON.stringify(ERROR_LINE)}`,
    ]);
  });

  it("blames the alarm when errors were counted but it never fired, and when it fires with nobody to notify", () => {
    // Act
    const neverFired = checkChain({ ...healthy(), alarms: [{ ...healthy().alarms[0]!, reachedAlarm: false }] });
    const silent = checkChain({ ...healthy(), alarms: [{ ...healthy().alarms[0]!, alarmActions: [] }] });
    const stuck = checkChain({ ...healthy(), alarms: [{ ...healthy().alarms[0]!, finalState: "ALARM" }] });
    // Assess
    expect(neverFired).toEqual([{ link: "alarm", message: "log-monitor-dev-errors never went to ALARM although 1 error event was counted" }]);
    expect(silent).toEqual([{ link: "alarm", message: "log-monitor-dev-errors has no alarm_actions: going to ALARM notifies nobody" }]);
    expect(stuck).toEqual([{ link: "alarm", message: "log-monitor-dev-errors was still in ALARM after the errors stopped: it would never recover" }]);
  });

  it("blames the subscription filter for an error event the processor never saw", () => {
    // Act
    const problems = checkChain({ ...healthy(), passed: new Map([["e1", []]]), incidentEventIds: new Set() });
    // Assess
    expect(problems).toEqual([
      {
        link: "subscription filter",
        message: `1 of 1 error event did not pass any subscription filter, so the processor never saw it; first: ${JSON.stringify(ERROR_LINE)}`,
      },
    ]);
  });

  it("blames the processor for a missing incident, an incident for an INFO line, and a failed delivery", () => {
    // Act
    const missing = checkChain({ ...healthy(), incidentEventIds: new Set(["i1"]) });
    const failed = checkChain({ ...healthy(), deliveryFailures: ["DATA_MESSAGE delivery at 12:01 failed: ResourceNotFoundException: no table"] });
    // Assess
    expect(missing.map((problem) => `${problem.link}: ${problem.message}`)).toEqual([
      `log processor: recorded no incident for 1 of 1 delivered error event; first: ${JSON.stringify(ERROR_LINE)}`,
      `log processor: recorded 1 incident for non-error events; first: ${JSON.stringify(INFO_LINE)}`,
    ]);
    expect(failed).toEqual([{ link: "log processor", message: "DATA_MESSAGE delivery at 12:01 failed: ResourceNotFoundException: no table" }]);
  });

  it("expects real-time alerts only from a processor that implements them", () => {
    // Act
    const notYet = checkChain({ ...healthy(), alerts: { enabled: true, implemented: false, topicArn: TOPIC, published: [] } });
    const broken = checkChain({ ...healthy(), alerts: { enabled: true, implemented: true, topicArn: TOPIC, published: [] } });
    const elsewhere = checkChain({ ...healthy(), alerts: { enabled: true, implemented: true, topicArn: TOPIC, published: [{ topicArn: "arn:aws:sns:us-east-1:123456789012:other" }] } });
    // Assess
    expect(notYet).toEqual([]);
    expect(broken).toEqual([
      { link: "real-time alerts", message: "REALTIME_ALERTS is true and 1 error event reached the processor, but it published no alert" },
    ]);
    expect(elsewhere).toEqual([
      { link: "real-time alerts", message: `1 alert went to arn:aws:sns:us-east-1:123456789012:other, not to the alert topic ${TOPIC}` },
    ]);
  });

  it("lists problems in the order of the chain and names the first broken link", () => {
    // Act
    const problems = checkChain({
      ...healthy(),
      unsupportedCalls: [{ caller: "log processor", description: "127.0.0.1 POST AmazonSQS.SendMessage" }],
      emitterFailures: ["invocation 1 ({\"error_count\":1}) failed: timed out"],
    });
    // Assess
    expect(problems.map((problem) => problem.link)).toEqual(["test emitter", "log processor"]);
    expect(firstBrokenLink(problems)).toBe("test emitter");
  });
});
