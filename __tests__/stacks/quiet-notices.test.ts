import { SchedulerSchedule } from "@cdktf/provider-aws/lib/scheduler-schedule";
import { resourcesOf, synthStacks, testConfig } from "./synth-helpers";

describe("processing stack: the quiet-notice sweeper (LOG_MONITOR_QUIET_NOTICES=true)", () => {
  const synthesized = synthStacks(testConfig({ LOG_MONITOR_QUIET_NOTICES: "true" }));
  const processing = synthesized.processing;
  const json = JSON.parse(processing);
  const documents = json.data.aws_iam_policy_document;

  it("runs the sweep every 5 minutes with EventBridge Scheduler, at the minute (no flexible window), retried by the next sweep", () => {
    expect(processing).toHaveResourceWithProperties(SchedulerSchedule, {
      name: "log-monitor-test-quiet-notices",
      schedule_expression: "rate(5 minutes)",
      flexible_time_window: { mode: "OFF" },
      target: {
        arn: "${aws_lambda_function.quiet-notices.arn}",
        role_arn: "${aws_iam_role.quiet-notices-scheduler-role.arn}",
        input: "{}",
        retry_policy: { maximum_retry_attempts: 0 },
      },
    });
  });

  it("creates the schedule only after its role's policy, so that the first sweeps are not refused", () => {
    expect(resourcesOf(json, "aws_scheduler_schedule")["quiet-notices-schedule"]?.depends_on).toEqual([
      "aws_iam_role_policy.quiet-notices-scheduler-role-policy",
    ]);
  });

  it("lets the scheduler role invoke the sweeper and nothing else, assumed by Scheduler for this account only", () => {
    // EventBridge Scheduler User Guide, "Set up the execution role" (aws:SourceAccount against confused deputies).
    expect(documents["quiet-notices-scheduler-policy-document"].statement).toEqual([
      { sid: "InvokeSweeper", effect: "Allow", actions: ["lambda:InvokeFunction"], resources: ["${aws_lambda_function.quiet-notices.arn}"] },
    ]);
    expect(documents["quiet-notices-scheduler-trust"].statement).toEqual([
      {
        effect: "Allow",
        principals: [{ type: "Service", identifiers: ["scheduler.amazonaws.com"] }],
        actions: ["sts:AssumeRole"],
        condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: ["${data.aws_caller_identity.current-account.account_id}"] }],
      },
    ]);
    expect(resourcesOf(json, "aws_iam_role")["quiet-notices-scheduler-role"]?.name).toBe("log-monitor-test-quiet-invoker-eu-west-1");
  });

  it("grants the sweeper Scan and UpdateItem on the suppression table, Query on the incidents' by-fingerprint index, Publish on the alert topic", () => {
    const statements = documents["quiet-notices-policy"].statement.map((s: { sid: string; actions: string[]; resources: string[] }) => [s.sid, s.actions, s.resources]);
    expect(statements).toEqual(
      expect.arrayContaining([
        ["FindAndCloseQuietEpisodes", ["dynamodb:Scan", "dynamodb:UpdateItem"], ["${aws_dynamodb_table.alert-suppression-table.arn}"]],
        ["ReadLatestIncident", ["dynamodb:Query"], ["${aws_dynamodb_table.incidents-table.arn}/index/by-fingerprint"]],
        ["PublishQuietNotices", ["sns:Publish"], ["${data.terraform_remote_state.cross-stack-reference-input-alerting.outputs.cross-stack-output-aws_sns_topicalert-topicarn}"]],
      ]),
    );
  });

  it("lets CloudWatch Logs encrypt the sweeper's log group with the key, and creates nothing without the setting", () => {
    const keyPolicy = JSON.stringify(JSON.parse(synthesized.alerting).data.aws_iam_policy_document["encryption-key-policy"]);
    expect(keyPolicy).toContain("log-group:/aws/lambda/log-monitor-test-quiet-notices");
    const plain = synthStacks(testConfig());
    expect(resourcesOf(JSON.parse(plain.processing), "aws_scheduler_schedule")).toEqual({});
    expect(plain.alerting).not.toContain("quiet-notices");
  });
});
