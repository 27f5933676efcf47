import { arnLike, conditionHolds, UnsupportedConditionError, wildcardMatch } from "../../lib/authz/condition-match";

// IAM JSON policy elements: Condition operators
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html):
// ArnLike checks each of the six colon-delimited components separately, each with * and ? wildcards.
describe("condition-match", () => {
  const group = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/log-monitor-dev-test-emitter";

  it("matches a log-group ARN against the key policy's pattern", () => {
    expect(arnLike("arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/log-monitor-dev-*", group)).toBe(true);
  });

  it("lets a prefix pattern match an environment whose name starts with this one's (the trap the proof reports)", () => {
    const neighbour = group.replace("log-monitor-dev-", "log-monitor-dev-eu-");
    expect(arnLike("arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/log-monitor-dev-*", neighbour)).toBe(true);
    expect(arnLike("arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/log-monitor-dev-test-emitter", neighbour)).toBe(false);
  });

  it("keeps components apart: a * in the account does not reach into the region, and another account does not match", () => {
    expect(arnLike("arn:aws:logs:us-east-1:*:log-group:x", "arn:aws:logs:us-east-1:444455556666:log-group:x")).toBe(true);
    expect(arnLike("arn:aws:logs:us-east-1:123456789012:log-group:x", "arn:aws:logs:us-east-1:444455556666:log-group:x")).toBe(false);
    expect(arnLike("arn:aws:logs:*", "arn:aws:logs:us-east-1:123456789012:log-group:x")).toBe(false);
  });

  it("refuses an ARN with fewer than six components", () => {
    expect(arnLike("arn:aws:logs:*:*:*", "arn:aws:logs:us-east-1:log-group")).toBe(false);
  });

  it("treats ? as exactly one character", () => {
    expect(wildcardMatch("prod-?", "prod-1")).toBe(true);
    expect(wildcardMatch("prod-?", "prod-")).toBe(false);
    expect(wildcardMatch("prod-?", "prod-12")).toBe(false);
  });

  it("fails an absent key unless the operator ends in IfExists, and ORs several values", () => {
    expect(conditionHolds("ArnLike", "kms:EncryptionContext:aws:logs:arn", ["arn:aws:logs:*:*:log-group:*"], undefined)).toBe(false);
    expect(conditionHolds("ArnLikeIfExists", "kms:EncryptionContext:aws:logs:arn", ["x"], undefined)).toBe(true);
    expect(conditionHolds("StringEquals", "k", ["a", "b"], "b")).toBe(true);
    expect(conditionHolds("StringEquals", "k", ["a", "b"], "B")).toBe(false);
  });

  it("refuses an operator it does not implement instead of guessing", () => {
    expect(() => conditionHolds("StringNotLike", "k", ["a"], "b")).toThrow(UnsupportedConditionError);
  });
});
