import type { AwsCall } from "../../handlers/aws-call";
import { grantsForCalls, UngrantableCallError } from "../../constructs/handler-grants";

const TABLE = { variable: "TABLE_NAME", holds: "dynamodb-table-name" } as const;
const TOPIC = { variable: "TOPIC_ARN", holds: "sns-topic-arn" } as const;
const CALLS: AwsCall[] = [
  { action: "dynamodb:BatchWriteItem", resource: TABLE, purpose: "writes" },
  { action: "dynamodb:UpdateItem", resource: TABLE, purpose: "updates" },
  { action: "sns:Publish", resource: TOPIC, skippedWhen: { variable: "ALERTS", value: "false" }, purpose: "alerts" },
];
const KEY = "arn:aws:kms:eu-west-1:123456789012:key/k";
const TARGETS = {
  TABLE_NAME: { sid: "UseTable", arn: "arn:table", encryption: { keyArn: KEY, service: "dynamodb", sid: "UseTableKey" } },
  TOPIC_ARN: { sid: "Publish", arn: "arn:topic", encryption: { keyArn: KEY, service: "sns", sid: "UseTopicKey" } },
} as const;

describe("grantsForCalls", () => {
  it("grants each declared action on its resource, and the key through the service that uses it", () => {
    // Act
    const statements = grantsForCalls(CALLS, { ALERTS: "true" }, TARGETS, "eu-west-1");

    // Assess
    expect(statements).toEqual([
      { sid: "UseTable", actions: ["dynamodb:BatchWriteItem", "dynamodb:UpdateItem"], resources: ["arn:table"] },
      { sid: "Publish", actions: ["sns:Publish"], resources: ["arn:topic"] },
      expect.objectContaining({
        sid: "UseTableKey",
        resources: [KEY],
        actions: expect.arrayContaining(["kms:Decrypt"]),
        conditions: [{ test: "StringEquals", variable: "kms:ViaService", values: ["dynamodb.eu-west-1.amazonaws.com"] }],
      }),
      expect.objectContaining({
        sid: "UseTopicKey",
        actions: ["kms:GenerateDataKey", "kms:Decrypt"],
        conditions: [{ test: "StringEquals", variable: "kms:ViaService", values: ["sns.eu-west-1.amazonaws.com"] }],
      }),
    ]);
  });

  it("grants nothing for a call the handler skips with the environment it is given, nor that call's key", () => {
    const sids = grantsForCalls(CALLS, { ALERTS: "false" }, TARGETS, "eu-west-1").map((s) => s.sid);
    expect(sids).toEqual(["UseTable", "UseTableKey"]);
  });

  it("refuses a declared call on a resource the stack does not map, naming the action and the variable", () => {
    expect(() => grantsForCalls(CALLS, {}, { TABLE_NAME: TARGETS.TABLE_NAME }, "eu-west-1")).toThrow(
      new UngrantableCallError(CALLS[2]!),
    );
    expect(() => grantsForCalls(CALLS, {}, { TABLE_NAME: TARGETS.TABLE_NAME }, "eu-west-1")).toThrow(
      "sns:Publish acts on the resource named by TOPIC_ARN, which the stack maps to no resource",
    );
  });

  it("grants nothing to a handler that declares no call", () => {
    expect(grantsForCalls([], {}, {}, "eu-west-1")).toEqual([]);
  });
});
