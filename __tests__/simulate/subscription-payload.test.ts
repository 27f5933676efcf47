import { decodeLogsEvent } from "../../handlers/log-processor/decode";
import { cloudWatchEventId, controlMessage, dataMessage, packSubscriptionEvent } from "../../lib/simulate/subscription-payload";

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);

describe("packSubscriptionEvent", () => {
  it("packs a DATA_MESSAGE that the processor's own decoder reads back unchanged", () => {
    // Prepare
    const payload = dataMessage({
      owner: "123456789012",
      logGroup: "/aws/lambda/log-monitor-dev-test-emitter",
      logStream: "2024/05/01/[$LATEST]0123456789abcdef0123456789abcdef",
      subscriptionFilters: ["log-monitor-dev-log-processor"],
      logEvents: [
        { id: cloudWatchEventId(T0, 0), timestamp: T0, message: '{"level":"ERROR","message":"boom"}' },
        { id: cloudWatchEventId(T0 + 1, 1), timestamp: T0 + 1, message: "line with \t tab and é" },
      ],
    });
    // Act
    const event = packSubscriptionEvent(payload);
    // Assess
    expect(Object.keys(event)).toEqual(["awslogs"]);
    expect(event.awslogs.data).toMatch(/^H4sI[A-Za-z0-9+/]+=*$/);
    expect(decodeLogsEvent(event)).toEqual(payload);
  });

  it("packs the CONTROL_MESSAGE, which the decoder recognises as such", () => {
    // Act
    const decoded = decodeLogsEvent(packSubscriptionEvent(controlMessage(T0)));
    // Assess
    expect(decoded).toEqual({ messageType: "CONTROL_MESSAGE" });
  });
});

describe("cloudWatchEventId", () => {
  it("is 56 digits, like CloudWatch Logs' ids, and sorts in writing order", () => {
    // Act
    const ids = [cloudWatchEventId(T0, 0), cloudWatchEventId(T0, 1), cloudWatchEventId(T0 + 1, 2)];
    // Assess
    for (const id of ids) expect(id).toMatch(/^\d{56}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(3);
  });

  it("rejects a negative sequence", () => {
    expect(() => cloudWatchEventId(T0, -1)).toThrow(
      new RangeError(`event ids need a non-negative integer timestamp and sequence, got ${T0} and -1`),
    );
  });
});
