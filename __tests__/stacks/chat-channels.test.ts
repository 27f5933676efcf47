import { ChatbotSlackChannelConfiguration } from "@cdktf/provider-aws/lib/chatbot-slack-channel-configuration";
import { ChatbotTeamsChannelConfiguration } from "@cdktf/provider-aws/lib/chatbot-teams-channel-configuration";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { resourcesOf, synthStacks, testConfig } from "./synth-helpers";

const TEAM = "9a3c1f52-7b1e-4a5e-9d2c-0f1e2d3c4b5a";
const TENANT = "01234567-89ab-cdef-0123-456789abcdef";
const ALARM_ARN = (name: string) =>
  `arn:\${data.aws_partition.current-partition.partition}:cloudwatch:eu-west-1:\${data.aws_caller_identity.current-account.account_id}:alarm:log-monitor-test-${name}`;

describe("alerting stack: chat channels and the critical topic", () => {
  const alerting = synthStacks(
    testConfig({
      LOG_MONITOR_ALERT_EMAILS: "team@example.com, oncall@example.com:critical",
      LOG_MONITOR_SLACK_CHANNELS: "T07EA123LEP/C07EZ1ABC23, T07EA123LEP/C0PAGES01:critical",
      LOG_MONITOR_TEAMS_CHANNELS: `${TEAM}/19:ab12cd34ef@thread.tacv2/${TENANT}`,
    }),
  ).alerting;
  const json = JSON.parse(alerting);

  it("creates the critical topic, encrypted with the environment's key", () => {
    expect(alerting).toHaveResourceWithProperties(SnsTopic, {
      name: "log-monitor-test-critical",
      kms_master_key_id: "${aws_kms_key.encryption-key.arn}",
    });
  });

  it("subscribes a :critical address to the critical topic only, and the others to the alert topic only", () => {
    const subscriptions = resourcesOf(json, "aws_sns_topic_subscription");
    expect(subscriptions).toEqual({
      "alert-email-team-at-example-com": { topic_arn: "${aws_sns_topic.alert-topic.arn}", protocol: "email", endpoint: "team@example.com" },
      "critical-email-oncall-at-example-com": { topic_arn: "${aws_sns_topic.critical-topic.arn}", protocol: "email", endpoint: "oncall@example.com" },
    });
  });

  it("configures each channel with the channel role, the guardrail, and the topic its marking asks for", () => {
    const common = {
      iam_role_arn: "${aws_iam_role.chat-channel-role.arn}",
      guardrail_policy_arns: ["${aws_iam_policy.chat-guardrail-policy.arn}"],
      logging_level: "ERROR",
      user_authorization_required: false,
      // eu-west-1 serves the Chatbot API.
      region: "eu-west-1",
    };
    expect(alerting).toHaveResourceWithProperties(ChatbotSlackChannelConfiguration, {
      ...common,
      configuration_name: "log-monitor-test-slack-T07EA123LEP-C07EZ1ABC23-eu-west-1",
      slack_team_id: "T07EA123LEP",
      slack_channel_id: "C07EZ1ABC23",
      sns_topic_arns: ["${aws_sns_topic.alert-topic.arn}"],
    });
    expect(alerting).toHaveResourceWithProperties(ChatbotSlackChannelConfiguration, {
      ...common,
      configuration_name: "log-monitor-test-slack-T07EA123LEP-C0PAGES01-eu-west-1",
      sns_topic_arns: ["${aws_sns_topic.critical-topic.arn}"],
    });
    expect(alerting).toHaveResourceWithProperties(ChatbotTeamsChannelConfiguration, {
      ...common,
      configuration_name: "log-monitor-test-teams-19-ab12cd34ef-thread-tacv2-eu-west-1",
      team_id: TEAM,
      tenant_id: TENANT,
      channel_id: "19%3Aab12cd34ef%40thread.tacv2",
      sns_topic_arns: ["${aws_sns_topic.alert-topic.arn}"],
    });
    // Never without a guardrail: Chatbot would apply AdministratorAccess (CreateSlackChannelConfiguration,
    // GuardrailPolicyArns: "The AWS managed AdministratorAccess policy is applied by default if this is not set").
    for (const type of ["aws_chatbot_slack_channel_configuration", "aws_chatbot_teams_channel_configuration"]) {
      for (const configuration of Object.values(resourcesOf(json, type))) expect(configuration.guardrail_policy_arns).toHaveLength(1);
    }
  });

  it("lets the channel role and guardrail do one thing: describe this environment's alarms, each by exact ARN", () => {
    const guardrail = json.data.aws_iam_policy_document["chat-channel-policy-document"];
    expect(guardrail.statement).toEqual([
      {
        sid: "DescribeThisEnvironmentsAlarms",
        effect: "Allow",
        actions: ["cloudwatch:DescribeAlarms"],
        resources: ["errors", "processor-errors", "processor-throttles", "processor-duration", "dead-letter-queue-not-empty"].map(ALARM_ARN),
      },
    ]);
    expect(alerting).toHaveResourceWithProperties(IamRole, { name: "log-monitor-test-chat-eu-west-1" });
    const trust = json.data.aws_iam_policy_document["chat-channel-role-trust"];
    expect(trust.statement).toEqual([
      {
        effect: "Allow",
        principals: [{ type: "Service", identifiers: ["chatbot.amazonaws.com"] }],
        actions: ["sts:AssumeRole"],
        // IAM User Guide, "The confused deputy problem" (cross-service): the service acts for this account only.
        condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: ["${data.aws_caller_identity.current-account.account_id}"] }],
      },
    ]);
    expect(Object.values(resourcesOf(json, "aws_iam_role_policy_attachment"))).toEqual([
      { role: "${aws_iam_role.chat-channel-role.name}", policy_arn: "${aws_iam_policy.chat-guardrail-policy.arn}" },
    ]);
    expect(Object.values(resourcesOf(json, "aws_iam_policy"))).toEqual([
      expect.objectContaining({ name: "log-monitor-test-chat-guardrail-eu-west-1", policy: expect.stringContaining("channel-policy-document") }),
    ]);
  });

  it("creates the configurations through a Chatbot API region when the stack's region has none (us-east-1 -> us-east-2)", () => {
    // AWS General Reference, "Amazon Q Developer in chat applications endpoints and quotas": us-east-2, us-west-2,
    // eu-west-1, ap-southeast-1.
    const virginia = JSON.parse(synthStacks(testConfig({ AWS_REGION: "us-east-1", LOG_MONITOR_SLACK_CHANNELS: "T07EA123LEP/C07EZ1ABC23" })).alerting);
    expect(Object.values(resourcesOf(virginia, "aws_chatbot_slack_channel_configuration")).map((c) => c.region)).toEqual(["us-east-2"]);
  });

  it("creates no chat resources without channels", () => {
    const plain = JSON.parse(synthStacks(testConfig()).alerting);
    expect(resourcesOf(plain, "aws_chatbot_slack_channel_configuration")).toEqual({});
    expect(resourcesOf(plain, "aws_iam_policy")).toEqual({});
    expect(Object.keys(resourcesOf(plain, "aws_iam_role")).filter((id) => id.includes("chat"))).toEqual([]);
  });
});

describe("chat guardrail size with many silence alarms", () => {
  it("admits the silence alarms by their prefix, not one ARN each, so the guardrail does not grow with the group list", () => {
    // IAM User Guide, "IAM and AWS STS quotas": a managed policy has at most 6,144 characters (white space excluded).
    const groups = Array.from({ length: 40 }, (_, i) => `/aws/lambda/service-${i}`).join(",");
    const json = JSON.parse(
      synthStacks(testConfig({ LOG_MONITOR_SLACK_CHANNELS: "T07EA123LEP/C07EZ1ABC23", LOG_MONITOR_LOG_GROUPS: groups, LOG_MONITOR_SILENCE_ALARM_MINUTES: "30" })).alerting,
    );
    const resources: string[] = json.data.aws_iam_policy_document["chat-channel-policy-document"].statement[0].resources;
    expect(resources).toContain(
      "arn:${data.aws_partition.current-partition.partition}:cloudwatch:eu-west-1:${data.aws_caller_identity.current-account.account_id}:alarm:log-monitor-test-silence-*",
    );
    expect(resources).toHaveLength(6);
    expect(resources.filter((arn) => arn.includes("silence-aws-lambda"))).toEqual([]);
  });
});
