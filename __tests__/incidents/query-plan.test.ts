import { planIncidentQuery, testEmitterLogGroup, toQueryInput } from "../../lib/incidents/query-plan";

const NOW = Date.UTC(2024, 4, 1, 12, 0, 0, 0);
const HOUR = 3_600_000;
const FINGERPRINT = "0123456789abcdef0123456789abcdef";

describe("planIncidentQuery", () => {
  it("queries the by-log-group partition of the given group from now minus --since", () => {
    // Act
    const plan = planIncidentQuery(
      { sinceMs: HOUR, logGroup: "/aws/lambda/orders" },
      { environment: "prod", nowMs: NOW },
    );
    // Assess
    expect(plan).toStrictEqual({
      index: { name: "by-log-group", partitionKey: "log_group_shard", sortKey: "occurred_at" },
      partitionValue: "/aws/lambda/orders",
      // Every shard of the group (LOG_GROUP_SHARD_COUNT = 16), queried in parallel and merged.
      partitionKeys: Array.from({ length: 16 }, (_, shard) => `/aws/lambda/orders#${shard}`),
      sinceIso: "2024-05-01T11:00:00.000Z",
      defaultLogGroup: false,
      subject: "incidents of log group /aws/lambda/orders",
    });
  });

  it("queries the test emitter's group of the environment when neither a group nor a fingerprint is given", () => {
    // Act
    const plan = planIncidentQuery({ sinceMs: HOUR }, { environment: "prod", nowMs: NOW });
    // Assess
    expect(plan).toMatchObject({ partitionValue: "/aws/lambda/log-monitor-prod-test-emitter", defaultLogGroup: true });
    expect(testEmitterLogGroup("prod")).toBe("/aws/lambda/log-monitor-prod-test-emitter");
  });

  it("queries every by-fingerprint shard when a fingerprint is given, filtering by group when one is given too", () => {
    // Act
    const plan = planIncidentQuery(
      { sinceMs: HOUR, fingerprint: FINGERPRINT, logGroup: "/aws/lambda/orders" },
      { environment: "prod", nowMs: NOW },
    );
    // Assess
    expect(plan).toStrictEqual({
      index: { name: "by-fingerprint", partitionKey: "fingerprint_shard", sortKey: "occurred_at" },
      partitionValue: FINGERPRINT,
      // Every shard of the failure (FINGERPRINT_SHARD_COUNT = 16), queried in parallel and merged.
      partitionKeys: Array.from({ length: 16 }, (_, shard) => `${FINGERPRINT}#${shard}`),
      sinceIso: "2024-05-01T11:00:00.000Z",
      logGroupFilter: "/aws/lambda/orders",
      defaultLogGroup: false,
      subject: `occurrences of fingerprint ${FINGERPRINT} in log group /aws/lambda/orders`,
    });
  });
});

describe("toQueryInput", () => {
  it("is a newest-first Query of one partition bounded by the sort key, never a Scan", () => {
    // Prepare
    const plan = planIncidentQuery(
      { sinceMs: HOUR, logGroup: "/aws/lambda/orders" },
      { environment: "prod", nowMs: NOW },
    );
    // Act
    const input = toQueryInput(plan, "log-monitor-prod-incidents", { incident_id: { S: "x" } });
    // Assess
    expect(input).toStrictEqual({
      TableName: "log-monitor-prod-incidents",
      IndexName: "by-log-group",
      KeyConditionExpression: "#pk = :pk AND #sk >= :since",
      ExpressionAttributeNames: { "#pk": "log_group_shard", "#sk": "occurred_at" },
      ExpressionAttributeValues: { ":pk": { S: "/aws/lambda/orders#0" }, ":since": { S: "2024-05-01T11:00:00.000Z" } },
      ScanIndexForward: false,
      ExclusiveStartKey: { incident_id: { S: "x" } },
    });
  });

  it("adds a log group filter to a fingerprint query when both are given", () => {
    // Prepare
    const plan = planIncidentQuery(
      { sinceMs: HOUR, fingerprint: FINGERPRINT, logGroup: "/aws/lambda/orders" },
      { environment: "prod", nowMs: NOW },
    );
    // Act
    const input = toQueryInput(plan, "t");
    // Assess
    expect(input).toMatchObject({
      IndexName: "by-fingerprint",
      FilterExpression: "#group = :group",
      ExpressionAttributeNames: { "#pk": "fingerprint_shard", "#sk": "occurred_at", "#group": "log_group" },
      ExpressionAttributeValues: { ":pk": { S: `${FINGERPRINT}#0` }, ":group": { S: "/aws/lambda/orders" } },
    });
  });
});
