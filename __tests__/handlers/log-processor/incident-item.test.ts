import { Incident } from "../../../handlers/log-processor/incident";
import { fromIncidentItem, toIncidentItem } from "../../../handlers/log-processor/incident-item";

const INCIDENT: Incident = {
  incidentId: "9b1d0c3e5f7a9b1d0c3e5f7a9b1d0c3e5f7a9b1d0c3e5f7a9b1d0c3e5f7a9b1d",
  logGroup: "/aws/lambda/orders-api",
  logStream: "2024/05/01/[7]0123456789abcdef0123456789abcdef",
  eventId: "38000000000000000000000000000000000000000000000000000001",
  occurredAt: "2024-05-01T12:00:00.123Z",
  timestampMs: 1714564800123,
  severity: "CRITICAL",
  message: "[CRITICAL]\t2024-05-01T12:00:00.123Z\t8f2c1a9e-4b7d-4c2e-9a51-3d0f6b2c7e10\tledger out of balance\n",
  requestId: "8f2c1a9e-4b7d-4c2e-9a51-3d0f6b2c7e10",
  errorType: "LedgerError",
  release: "7",
  fingerprint: "0123456789abcdef0123456789abcdef",
  expiresAt: 1717156800,
};

describe("toIncidentItem", () => {
  it("stores every attribute under its schema name, strings as S and numbers as N", () => {
    // Act
    const item = toIncidentItem(INCIDENT);
    // Assess
    expect(item).toStrictEqual({
      incident_id: { S: INCIDENT.incidentId },
      log_group: { S: "/aws/lambda/orders-api" },
      log_stream: { S: "2024/05/01/[7]0123456789abcdef0123456789abcdef" },
      event_id: { S: "38000000000000000000000000000000000000000000000000000001" },
      occurred_at: { S: "2024-05-01T12:00:00.123Z" },
      timestamp_ms: { N: "1714564800123" },
      severity: { S: "CRITICAL" },
      message: { S: INCIDENT.message },
      request_id: { S: "8f2c1a9e-4b7d-4c2e-9a51-3d0f6b2c7e10" },
      error_type: { S: "LedgerError" },
      release: { S: "7" },
      fingerprint: { S: "0123456789abcdef0123456789abcdef" },
      expires_at: { N: "1717156800" },
      // The by-log-group shard: 0x9b1d0c3e (the id's first 8 hex digits) = 2602372158, mod 16 = 14.
      log_group_shard: { S: "/aws/lambda/orders-api#14" },
      // The by-fingerprint shard: 0x5f7a9b1d (the id's next 8 hex digits) = 1601870621, mod 16 = 13.
      fingerprint_shard: { S: "0123456789abcdef0123456789abcdef#13" },
    });
  });

  it("leaves absent optional attributes out instead of storing them empty", () => {
    // Prepare
    const { requestId: _r, errorType: _e, release: _v, ...withoutOptional } = INCIDENT;
    // Act
    const item = toIncidentItem(withoutOptional);
    // Assess
    expect(item).not.toHaveProperty("request_id");
    expect(item).not.toHaveProperty("error_type");
    expect(item).not.toHaveProperty("release");
    expect(Object.keys(item)).toHaveLength(12);
  });
});

describe("fromIncidentItem", () => {
  it("reads back exactly the incident that was stored", () => {
    // Act
    const incident = fromIncidentItem(toIncidentItem(INCIDENT));
    // Assess
    expect(incident).toStrictEqual(INCIDENT);
  });

  it("names a missing required attribute", () => {
    // Prepare
    const { fingerprint: _omitted, ...item } = toIncidentItem(INCIDENT);
    // Act / Assess
    expect(() => fromIncidentItem(item)).toThrow(new TypeError("incident attribute fingerprint is missing"));
  });

  it("names an attribute of the wrong type", () => {
    // Prepare
    const item = { ...toIncidentItem(INCIDENT), timestamp_ms: { S: "yesterday" } };
    // Act / Assess
    expect(() => fromIncidentItem(item)).toThrow(new TypeError("incident attribute timestamp_ms must be a number (N)"));
  });

  it("rejects an unknown severity", () => {
    // Prepare
    const item = { ...toIncidentItem(INCIDENT), severity: { S: "WARN" } };
    // Act / Assess
    expect(() => fromIncidentItem(item)).toThrow(
      new TypeError("incident attribute severity must be one of ERROR, CRITICAL, FATAL, got WARN"),
    );
  });
});

describe("the attributes that record a cut or an unreadable line", () => {
  it("stores each flag as BOOL and each original size as N under its schema name, and reads them back", () => {
    // Prepare
    const cut: Incident = {
      ...INCIDENT,
      requestIdTruncated: true,
      requestIdBytes: 500_000,
      errorTypeTruncated: true,
      errorTypeBytes: 600_005,
      logStreamTruncated: true,
      logStreamBytes: 4096,
      classificationFailed: true,
      classificationError: "RangeError: Maximum call stack size exceeded",
    };
    // Act
    const item = toIncidentItem(cut);
    // Assess
    expect(item).toMatchObject({
      request_id_truncated: { BOOL: true },
      request_id_bytes: { N: "500000" },
      error_type_truncated: { BOOL: true },
      error_type_bytes: { N: "600005" },
      log_stream_truncated: { BOOL: true },
      log_stream_bytes: { N: "4096" },
      classification_failed: { BOOL: true },
      classification_error: { S: "RangeError: Maximum call stack size exceeded" },
    });
    expect(fromIncidentItem(item)).toStrictEqual(cut);
  });
});
