import { createHash } from "node:crypto";
import { decodeLogsEvent } from "../../../handlers/log-processor/decode";
import { fingerprintMessage, fingerprintOf } from "../../../handlers/log-processor/fingerprint";
import {
  ATTRIBUTE_BYTE_CAPS,
  buildIncidents,
  buildIncidentsReport,
  fitItemLimit,
  Incident,
  incidentIdOf,
  LineReader,
  readLogLine,
} from "../../../handlers/log-processor/incident";
import { fromIncidentItem, itemSizeBytes, MAX_ITEM_BYTES, toIncidentItem } from "../../../handlers/log-processor/incident-item";
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
      // The function version in the stream's name, `2024/05/01/[$LATEST]...` (AWS Lambda Developer Guide, "Configuring
      // CloudWatch log groups", https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-loggroups.html).
      release: "$LATEST",
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

describe("buildIncidentsReport: one event cannot cost the others their incidents", () => {
  const throwingOn =
    (poison: string, error: unknown): LineReader =>
    (message) => {
      if (message === poison) throw error;
      return readLogLine(message);
    };

  it("keeps a line whose reading throws as a flagged ERROR incident with its raw line, and reads the others normally", () => {
    // Prepare
    const poison = "ERROR: the line the classifier chokes on 42";
    const payload = delivery([
      { id: eventId(0), timestamp: T0, message: "ERROR: disk full" },
      { id: eventId(1), timestamp: T0, message: poison },
      { id: eventId(2), timestamp: T0, message: "INFO: fine" },
    ]);
    // Act
    const report = buildIncidentsReport(payload, {
      ttlDays: 30,
      readLine: throwingOn(poison, new RangeError("Maximum call stack size exceeded")),
    });
    // Assess
    expect(report.unclassified).toBe(1);
    expect(report.skipped).toEqual([]);
    expect(report.incidents.map((incident) => incident.eventId)).toEqual([eventId(0), eventId(1)]);
    expect(report.incidents[0]).not.toHaveProperty("classificationFailed");
    expect(report.incidents[1]).toMatchObject({
      severity: "ERROR",
      message: poison,
      classificationFailed: true,
      classificationError: "RangeError: Maximum call stack size exceeded",
      fingerprint: fingerprintOf("unclassified: ERROR: the line the classifier chokes on <num>"),
    });
    expect(fromIncidentItem(toIncidentItem(report.incidents[1] as Incident))).toStrictEqual(report.incidents[1]);
  });

  it("takes FATAL or CRITICAL for an unreadable line from its first line, and groups repeats of it under one fingerprint", () => {
    // Prepare
    const lines = ["FATAL: ledger 1 unreachable\nstack", "FATAL: ledger 2 unreachable", "CRITICAL queue full"];
    const payload = delivery(lines.map((message, i) => ({ id: eventId(i), timestamp: T0, message })));
    const readLine: LineReader = () => {
      throw new TypeError("x is undefined");
    };
    // Act
    const { incidents } = buildIncidentsReport(payload, { ttlDays: 30, readLine });
    // Assess
    expect(incidents.map((incident) => incident.severity)).toEqual(["FATAL", "FATAL", "CRITICAL"]);
    expect(incidents[0]?.fingerprint).toBe(incidents[1]?.fingerprint);
    expect(incidents[0]?.fingerprint).not.toBe(incidents[2]?.fingerprint);
  });

  it("skips, and names with the reason, only an event whose incident cannot be built at all", () => {
    // Prepare: a timestamp no Date can hold (decodeLogsEvent refuses it; another transport might not).
    const payload = delivery([
      { id: eventId(0), timestamp: 9e15, message: "ERROR: from the far future" },
      { id: eventId(1), timestamp: T0, message: "ERROR: disk full" },
    ]);
    // Act
    const report = buildIncidentsReport(payload, { ttlDays: 30 });
    // Assess
    expect(report.skipped).toEqual([{ eventId: eventId(0), reason: "RangeError: Invalid time value" }]);
    expect(report.incidents.map((incident) => incident.eventId)).toEqual([eventId(1)]);
    expect(buildIncidents(payload, { ttlDays: 30 })).toStrictEqual(report.incidents);
  });

  it("reads a 6,000-deep JSON error line as any other JSON line, without the fallback", () => {
    // Prepare: the line that used to make JSON.stringify throw before anything was written.
    const deep = `{"level":"error","requestId":"r-1","message":${"[".repeat(6000)}"disk full"${"]".repeat(6000)}}`;
    // Act
    const report = buildIncidentsReport(delivery([{ id: eventId(0), timestamp: T0, message: deep }]), { ttlDays: 30 });
    // Assess
    expect(report.unclassified).toBe(0);
    expect(report.incidents).toHaveLength(1);
    expect(report.incidents[0]).toMatchObject({ severity: "ERROR", requestId: "r-1", message: deep });
    expect(report.incidents[0]?.fingerprint).toBe(fingerprintMessage(deep));
  });
});

describe("fitItemLimit", () => {
  const base: Incident = {
    incidentId: "9b1d0c3e5f7a9b1d0c3e5f7a9b1d0c3e5f7a9b1d0c3e5f7a9b1d0c3e5f7a9b1d",
    logGroup: DEFAULT_LOG_GROUP,
    logStream: DEFAULT_LOG_STREAM,
    eventId: eventId(0),
    occurredAt: "2024-05-01T12:00:00.123Z",
    timestampMs: T0,
    severity: "ERROR",
    message: "ERROR: x",
    fingerprint: "0123456789abcdef0123456789abcdef",
    expiresAt: 1717156800,
  };

  it("returns an incident within every cap as it is (the same object)", () => {
    // Prepare: each attribute exactly at its cap, in three-byte characters where the cap allows.
    const atCaps: Incident = {
      ...base,
      requestId: "r".repeat(ATTRIBUTE_BYTE_CAPS.requestId),
      errorType: "€".repeat(ATTRIBUTE_BYTE_CAPS.errorType / 4) + "E".repeat(ATTRIBUTE_BYTE_CAPS.errorType / 4),
      release: "v".repeat(ATTRIBUTE_BYTE_CAPS.release),
    };
    // Act / Assess
    expect(fitItemLimit(atCaps)).toBe(atCaps);
  });

  it("cuts an attribute one byte over its cap at a character boundary, flagging it and keeping its size", () => {
    // Prepare: 255 bytes then a two-byte character: 257 bytes, over the 256-byte cap; the cut must not split "é".
    const requestId = `${"r".repeat(255)}é`;
    // Act
    const fitted = fitItemLimit({ ...base, requestId });
    // Assess
    expect(fitted).toMatchObject({ requestId: "r".repeat(255), requestIdTruncated: true, requestIdBytes: 257 });
    expect(fitted).not.toHaveProperty("messageTruncated");
    expect(fromIncidentItem(toIncidentItem(fitted))).toStrictEqual(fitted);
  });

  it("fits an incident whose every attribute is huge: each cut to its cap, the message to what is left", () => {
    // Prepare
    const huge = (unit: string) => unit.repeat(300_000);
    const incident: Incident = {
      ...base,
      logGroup: huge("g"),
      logStream: huge("s"),
      accountId: huge("1"),
      eventId: huge("3"),
      requestId: huge("r"),
      errorType: huge("E"),
      release: huge("v"),
      message: "m".repeat(500_000),
    };
    // Act
    const fitted = fitItemLimit(incident);
    // Assess
    const size = itemSizeBytes(toIncidentItem(fitted));
    expect(size).toBeLessThanOrEqual(MAX_ITEM_BYTES);
    expect(size).toBeGreaterThan(MAX_ITEM_BYTES - 300);
    for (const [key, cap] of Object.entries(ATTRIBUTE_BYTE_CAPS) as [keyof typeof ATTRIBUTE_BYTE_CAPS, number][]) {
      expect(fitted[key]).toHaveLength(cap);
      expect(fitted[`${key}Truncated`]).toBe(true);
      expect(fitted[`${key}Bytes`]).toBe(300_000);
    }
    expect(fitted).toMatchObject({ messageTruncated: true, messageBytes: 500_000 });
  });
});
