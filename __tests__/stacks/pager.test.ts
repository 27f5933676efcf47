import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { synthStacks, testConfig } from "./synth-helpers";

/**
 * On-call paging (LOG_MONITOR_PAGER_ENDPOINT_PARAMETER), proved on the synthesized JSON (no AWS account here: the
 * plan's redaction and PagerDuty's handling are documented in docs/alerts-and-chat.md, On-call paging, with sources).
 */
const PARAMETER = "/log-monitor/test/pager-endpoint";
const pagerEnv = {
  LOG_MONITOR_PAGER_ENDPOINT_PARAMETER: PARAMETER,
  LOG_MONITOR_LOG_GROUPS: "/aws/lambda/orders",
  LOG_MONITOR_SILENCE_ALARM_MINUTES: "60",
};
const PAGER = "${aws_sns_topic.pager-topic.arn}";
const CRITICAL = "${aws_sns_topic.critical-topic.arn}";
const ALERT = "${aws_sns_topic.alert-topic.arn}";
const remote = (id: string) => `\${data.terraform_remote_state.cross-stack-reference-input-alerting.outputs.cross-stack-output-aws_sns_topic${id}arn}`;

describe("on-call paging", () => {
  const synthesized = synthStacks(testConfig(pagerEnv));
  const alerting = JSON.parse(synthesized.alerting);
  const processing = JSON.parse(synthesized.processing);

  it("creates a pager topic encrypted with the environment's key, which only the environment's alarms may publish to", () => {
    expect(synthesized.alerting).toHaveResourceWithProperties(SnsTopic, {
      name: "log-monitor-test-pager",
      kms_master_key_id: "${aws_kms_key.encryption-key.arn}",
    });
    const policy = alerting.data.aws_iam_policy_document["pager-topic-policy-document"];
    expect(policy.statement.map((s: { sid: string }) => s.sid)).toEqual(["CloudWatchAlarmsPublish", "DenyPublishWithoutTls"]);
    expect(policy.statement[0].principals).toEqual([{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }]);
    expect(alerting.resource.aws_sns_topic_policy["pager-topic-policy"].arn).toBe(PAGER);
  });

  it("reads the endpoint from the SecureString with decryption, and fails the plan unless it is a SecureString holding an https URL", () => {
    // with_decryption (default true in the provider; stated). The provider marks `value` Sensitive and leaves
    // `insecure_value` empty for a SecureString: terraform-provider-aws internal/service/ssm/parameter_data_source.go.
    expect(synthesized.alerting).toHaveDataSourceWithProperties(DataAwsSsmParameter, { name: PARAMETER, with_decryption: true });
    expect(alerting.data.aws_ssm_parameter["pager-endpoint"].lifecycle.postcondition).toEqual([
      {
        condition: '${self.type == "SecureString"}',
        error_message: `LOG_MONITOR_PAGER_ENDPOINT_PARAMETER: SSM parameter ${PARAMETER} must be a SecureString (it holds the integration key).`,
      },
      {
        condition: '${startswith(self.value, "https://")}',
        error_message: `LOG_MONITOR_PAGER_ENDPOINT_PARAMETER: SSM parameter ${PARAMETER} must hold an https:// URL.`,
      },
    ]);
  });

  it("subscribes the endpoint over HTTPS, marked sensitive, auto-confirmed, with the SNS envelope PagerDuty parses", () => {
    // `endpoint` is not Sensitive in the provider's schema (internal/service/sns/topic_subscription.go), so the
    // sensitive() function marks it: Terraform shows "(sensitive value)" in plans (Terraform language docs,
    // functions "sensitive" and "nonsensitive": values derived from sensitive values stay sensitive).
    expect(alerting.resource.aws_sns_topic_subscription["pager-subscription"]).toEqual({
      topic_arn: PAGER,
      protocol: "https",
      endpoint: "${sensitive(data.aws_ssm_parameter.pager-endpoint.value)}",
      endpoint_auto_confirms: true,
      confirmation_timeout_in_minutes: 5,
      raw_message_delivery: false,
    });
    // One pager subscriber, and nothing but email subscribes the critical topic.
    const subscriptions = Object.values(alerting.resource.aws_sns_topic_subscription) as { protocol: string; topic_arn: string }[];
    expect(subscriptions.filter((s) => s.protocol === "https")).toHaveLength(1);
    expect(subscriptions.filter((s) => s.topic_arn === CRITICAL).every((s) => s.protocol === "email")).toBe(true);
  });

  it("pages every alarm's ALARM and OK, while the critical topic keeps hearing only what it heard before", () => {
    for (const [name, alarm] of Object.entries(alerting.resource.aws_cloudwatch_metric_alarm) as [string, Record<string, string[]>][]) {
      expect([name, alarm.alarm_actions]).toEqual([name, [ALERT, CRITICAL, PAGER]]);
      // The error alarm always sent OK to the critical topic; the silence alarms never did.
      expect([name, alarm.ok_actions]).toEqual([name, name === "error-alarm" ? [ALERT, CRITICAL, PAGER] : [ALERT, PAGER]]);
    }
    const pipeline = Object.entries(processing.resource.aws_cloudwatch_metric_alarm) as [string, Record<string, string[]>][];
    expect(pipeline.length).toBeGreaterThanOrEqual(4);
    for (const [name, alarm] of pipeline) {
      expect([name, alarm.alarm_actions]).toEqual([name, [remote("alert-topic"), remote("critical-topic"), remote("pager-topic")]]);
      expect([name, alarm.ok_actions]).toEqual([name, [remote("alert-topic"), remote("pager-topic")]]);
    }
  });

  it("keeps the endpoint out of every synthesized stack: only the parameter's name and a sensitive reference appear", () => {
    const everything = [synthesized.state, synthesized.alerting, synthesized.processing, synthesized.dashboard].join("\n");
    expect(everything).not.toMatch(/pagerduty\.com|https:\/\/[^"$]*\/(integration|x-ere)\//);
    expect(everything.match(/aws_ssm_parameter\.pager-endpoint\.value/g)).toHaveLength(1); // the subscription only (the postconditions read `self`): no output, no other argument
    expect(everything).not.toContain("insecure_value");
    expect(synthesized.alerting).toHaveResource(SnsTopicSubscription);
  });

  it("adds nothing without the variable: no pager topic, no parameter read, alarms as before", () => {
    const plain = synthStacks(testConfig({ LOG_MONITOR_LOG_GROUPS: "/aws/lambda/orders", LOG_MONITOR_SILENCE_ALARM_MINUTES: "60" }));
    const json = JSON.parse(plain.alerting);
    expect(json.data.aws_ssm_parameter).toBeUndefined();
    expect(json.resource.aws_sns_topic["pager-topic"]).toBeUndefined();
    expect(plain.alerting).toHaveResourceWithProperties(CloudwatchMetricAlarm, { alarm_name: "log-monitor-test-errors", ok_actions: [ALERT, CRITICAL] });
    expect(plain.processing).not.toContain("pager");
  });
});

describe("no pager endpoint in the repository", () => {
  it("no tracked file holds a PagerDuty integration URL with a key (placeholders only)", () => {
    const root = path.join(__dirname, "..", "..");
    const files = execFileSync("git", ["ls-files", "-z"], { cwd: root, encoding: "utf8" }).split("\0").filter(Boolean);
    const keyed = /events\.pagerduty\.com\/(integration|x-ere)\/[0-9a-z]{20,}/i;
    const offenders = files.filter((file) => {
      const full = path.join(root, file);
      if (!fs.existsSync(full) || fs.statSync(full).size > 2_000_000) return false;
      return keyed.test(fs.readFileSync(full, "utf8"));
    });
    expect(offenders).toEqual([]);
  });
});
