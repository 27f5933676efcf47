import { createHash } from "node:crypto";
import { decodeLogsEvent } from "../../../handlers/log-processor/decode";
import { fingerprintMessage } from "../../../handlers/log-processor/fingerprint";
import { buildIncidents, Incident, incidentIdOf } from "../../../handlers/log-processor/incident";
import { fromIncidentItem, toIncidentItem } from "../../../handlers/log-processor/incident-item";
import { LogsDataMessage } from "../../../handlers/log-processor/logs-payload";
import { REQUEST_ID } from "../../fixtures/log-lines";
import { controlMessage, DEFAULT_LOG_GROUP, DEFAULT_LOG_STREAM, eventId, logsEvent } from "../../support/logs-payload";

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0, 123); // 2024-05-01T12:00:00.123Z

function delivery(events: { id: string; timestamp: number; message: string }[]): LogsDataMessage {
  return {
    messageType: "DATA_MESSAGE",
    owner: "123456789012",
    logGroup: DEFAULT_LOG_GROUP,
    logStream: DEFAULT_LOG_STREAM,
    subscriptionFilters: ["log-monitor-errors"],
    logEvents: events,
  };
}

describe("buildIncidents", () => {
  it("makes one incident per error event, with every attribute derived from the event", () => {
    // Prepare
    const errorLine = `2024-05-01T12:00:00.123Z\t${REQUEST_ID}\tERROR\tInvoke Error \t{"errorType":"TypeError","errorMessage":"x is not a function","stack":[]}\n`;
    const payload = delivery([
      { id: eventId(0), timestamp: T0 - 5, message: `START RequestId: ${REQUEST_ID} Version: $LATEST\n` },
      { id: eventId(1), timestamp: T0, message: errorLine },
      { id: eventId(2), timestamp: T0 + 5, message: `END RequestId: ${REQUEST_ID}\n` },
    ]);
    // Act
    const incidents = buildIncidents(payload, { ttlDays: 30 });
    // Assess
    const expected: Incident = {
      incidentId: createHash("sha256")
        .update(`${DEFAULT_LOG_GROUP}\n${DEFAULT_LOG_STREAM}\n${eventId(1)}`)
        .digest("hex"),
      logGroup: DEFAULT_LOG_GROUP,
      // The delivery's owner: the log group's account (SubscriptionFilters, log data format, "owner").
      accountId: "123456789012",
      logStream: DEFAULT_LOG_STREAM,
      eventId: eventId(1),
      occurredAt: "2024-05-01T12:00:00.123Z",
      timestampMs: T0,
      severity: "ERROR",
      message: errorLine,
      requestId: REQUEST_ID,
      errorType: "TypeError",
      fingerprint: fingerprintMessage(errorLine),
      expiresAt: Math.floor(T0 / 1000) + 30 * 86_400,
    };
    expect(incidents).toStrictEqual([expected]);
  });

  it("leaves out request_id and error_type when the line has none", () => {
    // Prepare
    const payload = delivery([{ id: eventId(0), timestamp: T0, message: "[FATAL] out of memory" }]);
    // Act
    const [incident] = buildIncidents(payload, { ttlDays: 7 });
    // Assess
    expect(incident?.severity).toBe("FATAL");
    expect(incident).not.toHaveProperty("requestId");
    expect(incident).not.toHaveProperty("errorType");
  });

  it("returns nothing for a delivery without error lines", () => {
    // Prepare
    const payload = delivery([
      { id: eventId(0), timestamp: T0, message: `2024-05-01T12:00:00.123Z\t${REQUEST_ID}\tINFO\tno ERROR found\n` },
      { id: eventId(1), timestamp: T0, message: "ERRORS=0" },
    ]);
    // Act
    const incidents = buildIncidents(payload, { ttlDays: 30 });
    // Assess
    expect(incidents).toEqual([]);
  });

  it("returns nothing for a CONTROL_MESSAGE", () => {
    // Prepare
    const payload = decodeLogsEvent(logsEvent(controlMessage()));
    // Act
    const incidents = buildIncidents(payload, { ttlDays: 30 });
    // Assess
    expect(incidents).toEqual([]);
  });

  it("yields identical incidents for a replayed delivery, whatever the clock says", () => {
    // Prepare
    const payload = delivery([{ id: eventId(0), timestamp: T0, message: "ERROR: disk full" }]);
    const first = buildIncidents(payload, { ttlDays: 30 });
    jest.useFakeTimers({ now: new Date("2031-01-01T00:00:00Z") });
    try {
      // Act
      const replay = buildIncidents(payload, { ttlDays: 30 });
      // Assess
      expect(replay).toStrictEqual(first);
    } finally {
      jest.useRealTimers();
    }
  });

  it("computes expires_at from the event's time in whole seconds plus the TTL in days", () => {
    // Prepare: 999 ms past the second must not round up.
    const payload = delivery([{ id: eventId(0), timestamp: 1_714_564_800_999, message: "ERROR: disk full" }]);
    // Act
    const [incident] = buildIncidents(payload, { ttlDays: 2 });
    // Assess
    expect(incident?.expiresAt).toBe(1_714_564_800 + 2 * 86_400);
  });

  it("gives events with the same id in different streams different incident ids", () => {
    // Act
    const ids = [incidentIdOf("/aws/lambda/a", "stream-1", "42"), incidentIdOf("/aws/lambda/a", "stream-2", "42")];
    // Assess
    expect(new Set(ids).size).toBe(2);
  });

  it.each([0, -1, 1.5, Number.NaN])("rejects a TTL of %p days", (ttlDays) => {
    // Act / Assess
    expect(() => buildIncidents(delivery([]), { ttlDays })).toThrow(
      new RangeError(`ttlDays must be a positive integer, got ${ttlDays}`),
    );
  });
});

// CloudWatch Logs User Guide, "Subscription filters" (log data format): "owner — The AWS Account ID of the originating
// log data". A cross-account delivery through a destination carries the source account there, not the recipient's.
describe("the source account of an incident", () => {
  const line = "ERROR: payment declined\n";
  const fromOwner = (owner: string): Incident[] => buildIncidents({ ...delivery([{ id: eventId(1), timestamp: T0, message: line }]), owner }, { ttlDays: 30 });

  it("keeps the delivery's owner as accountId, and stores it as account_id", () => {
    const [incident] = fromOwner("111111111111");
    expect(incident?.accountId).toBe("111111111111");
    expect(toIncidentItem(incident as Incident).account_id).toEqual({ S: "111111111111" });
    expect(fromIncidentItem(toIncidentItem(incident as Incident)).accountId).toBe("111111111111");
  });

  it("leaves the attribute out when the owner is empty, and reads items written before it existed", () => {
    const [incident] = fromOwner("");
    expect(incident).not.toHaveProperty("accountId");
    const item = toIncidentItem(fromOwner("222222222222")[0] as Incident);
    delete item.account_id;
    expect(fromIncidentItem(item)).not.toHaveProperty("accountId");
  });
});
