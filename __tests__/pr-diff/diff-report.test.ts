import { classifyFailedDiff, COMMENT_MARKER, renderDiffComment } from "../../lib/pr-diff/diff-report";

// What Terraform prints when a consumer reads the state of a producer that was never applied.
const UNDEPLOYED_PRODUCER = `
│ Error: Unsupported attribute
│
│   on cdk.tf.json line 512, in resource.aws_cloudwatch_log_subscription_filter.log-processor-subscription:
│  512:         "log_group_name": "\${data.terraform_remote_state.cross-stack-reference-input-alerting.outputs.cross-stack-output-aws_cloudwatch_log_grouptest-emitter-log-groupname}",
│
│ This object does not have an attribute named "cross-stack-output-aws_cloudwatch_log_grouptest-emitter-log-groupname".
`;

describe("pull-request diff comment", () => {
  it("says plainly that a consumer cannot be planned before its producers are deployed", () => {
    const diff = classifyFailedDiff("dashboard", UNDEPLOYED_PRODUCER, ["alerting", "processing"]);

    expect(diff.kind).toBe("producer-not-deployed");
    expect(renderDiffComment([diff], "0123456789abcdef")).toContain(
      ":information_source: Not planned: `dashboard` reads outputs of `alerting` and `processing`, which have not been deployed in this environment yet",
    );
  });

  it("never carries a PagerDuty integration key, even in output Terraform did not redact", () => {
    // Terraform shows the pager's endpoint as (sensitive value) (sensitive(), docs/alerts-and-chat.md); this is the
    // second guard, for text such as a provider error quoting the request.
    const key = "0123456789abcdef0123456789abcdef";
    const output = [
      "  + endpoint = (sensitive value)",
      `Error: creating SNS Topic Subscription: InvalidParameter: Endpoint https://events.pagerduty.com/integration/${key}/enqueue`,
      `"https://events.eu.pagerduty.com/x-ere/${key}"`,
    ].join("\n");

    const comment = renderDiffComment([{ stack: "alerting", kind: "failed", output }], "abc1234");

    expect(comment).not.toContain(key);
    expect(comment).toContain("https://events.pagerduty.com/integration/<redacted>/enqueue");
    expect(comment).toContain('"https://events.eu.pagerduty.com/x-ere/<redacted>"');
    expect(comment).toContain("  + endpoint = (sensitive value)");
  });

  it("reports any other failure as a failure, with the output", () => {
    const diff = classifyFailedDiff("alerting", "Error: No valid credential sources found", []);

    expect(diff).toEqual({ stack: "alerting", kind: "failed", output: "Error: No valid credential sources found" });
    expect(renderDiffComment([diff], "abc1234")).toContain(":x: `cdktf diff alerting` failed.\n\n```\nError: No valid credential sources found\n```");
  });

  it("never blames a missing producer for a stack that reads from none", () => {
    expect(classifyFailedDiff("alerting", UNDEPLOYED_PRODUCER, []).kind).toBe("failed");
  });

  it("puts each plan's summary line first, strips terminal colours, and marks the comment for updating", () => {
    const body = renderDiffComment(
      [{ stack: "alerting", kind: "planned", output: "\x1b[1m  # aws_sns_topic.alert-topic will be created\x1b[0m\nPlan: 1 to add, 0 to change, 0 to destroy.\n" }],
      "0123456789abcdef",
    );

    expect(body.startsWith(`${COMMENT_MARKER}\n\n## Terraform plans (cdktf diff) for 0123456`)).toBe(true);
    expect(body).toContain("### `alerting`\n\n**Plan: 1 to add, 0 to change, 0 to destroy.**");
    expect(body).not.toContain("\x1b[");
  });

  it("cuts very long plans so that the comment stays under GitHub's size limit", () => {
    const huge = "x".repeat(100_000);
    const body = renderDiffComment(
      ["alerting", "processing", "dashboard"].map((stack) => ({ stack, kind: "planned" as const, output: huge })),
      "abc",
    );
    expect(body.length).toBeLessThan(65_536);
    expect(body).toContain("more characters in the workflow log");
  });
});
