import { Construct } from "constructs";
import { ChatbotSlackChannelConfiguration } from "@cdktf/provider-aws/lib/chatbot-slack-channel-configuration";
import { ChatbotTeamsChannelConfiguration } from "@cdktf/provider-aws/lib/chatbot-teams-channel-configuration";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { ChatChannel, chatbotApiRegion, chatConfigurationName } from "../config/chat-channels";

/** Props of {@link ChatChannels}. */
export interface ChatChannelsProps {
  /** The environment's name, part of every configuration name. */
  readonly environment: string;
  /** The stack's region; the configurations are created through the nearest Chatbot API region (see chatbotApiRegion). */
  readonly region: string;
  /** The channels to configure (at least one). */
  readonly channels: readonly ChatChannel[];
  /** Name of the channel role (IAM names are global: it carries the region). */
  readonly roleName: string;
  /** Name of the guardrail policy (IAM names are global: it carries the region). */
  readonly guardrailPolicyName: string;
  /** ARN of the topic that carries every alert. */
  readonly alertTopicArn: string;
  /** ARN of the topic that carries pages only (FATAL/CRITICAL alerts and alarm transitions). */
  readonly criticalTopicArn: string;
  /**
   * The alarms the channel may describe (for Chatbot's alarm cards): exact ARNs, or ARN patterns (the silence alarms'
   * prefix), so that the guardrail stays within IAM's 6,144-character managed-policy quota however many groups there are.
   */
  readonly alarmArns: readonly string[];
  /** The account, for the role trust's `aws:SourceAccount` condition. */
  readonly accountId: string;
  /** A permissions boundary for the channel role. @default none */
  readonly permissionsBoundaryArn?: string;
}

/**
 * Slack and Microsoft Teams channels subscribed to the alert topics through AWS Chatbot (Amazon Q Developer in chat
 * applications), with the least a channel can do:
 *
 * - a channel role that Chatbot assumes (trust `chatbot.amazonaws.com`, this account only), allowed
 *   `cloudwatch:DescribeAlarms` on this environment's alarms by exact ARN and nothing else;
 * - a guardrail policy with the same single statement, set on every configuration: without `guardrail_policy_arns`
 *   Chatbot applies the AWS-managed AdministratorAccess policy as the channel's guardrail (Chatbot API reference,
 *   CreateSlackChannelConfiguration: GuardrailPolicyArns), so anyone in the channel with a user role could do anything
 *   that role allows. With it, nothing run from the channel can exceed reading these alarms.
 *
 * A channel marked critical subscribes to the critical topic only; the others to the alert topic.
 */
export class ChatChannels extends Construct {
  /** ARN of the channel role. */
  readonly roleArn: string;
  /** ARN of the guardrail policy. */
  readonly guardrailPolicyArn: string;

  constructor(scope: Construct, id: string, props: ChatChannelsProps) {
    super(scope, id);

    const permissions = new DataAwsIamPolicyDocument(this, "channel-policy-document", {
      statement: [
        {
          sid: "DescribeThisEnvironmentsAlarms",
          effect: "Allow",
          actions: ["cloudwatch:DescribeAlarms"],
          resources: [...props.alarmArns],
        },
      ],
    });
    // Readable, stable Terraform addresses (aws_iam_role.chat-channel-role, ...), not construct-path hashes; set before
    // anything references them.
    permissions.overrideLogicalId("chat-channel-policy-document");
    const guardrail = new IamPolicy(this, "guardrail-policy", {
      name: props.guardrailPolicyName,
      description: `Guardrail of the log-monitor ${props.environment} chat channels: read this environment's alarms, nothing else`,
      policy: permissions.json,
    });
    guardrail.overrideLogicalId("chat-guardrail-policy");
    const trust = new DataAwsIamPolicyDocument(this, "channel-role-trust", {
      statement: [
        {
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["chatbot.amazonaws.com"] }],
          actions: ["sts:AssumeRole"],
          // Cross-service confused deputy (IAM User Guide, "The confused deputy problem"): only on behalf of this account.
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] }],
        },
      ],
    });
    trust.overrideLogicalId("chat-channel-role-trust");
    const role = new IamRole(this, "channel-role", {
      name: props.roleName,
      description: `Assumed by AWS Chatbot for the log-monitor ${props.environment} chat channels`,
      assumeRolePolicy: trust.json,
      ...(props.permissionsBoundaryArn === undefined ? {} : { permissionsBoundary: props.permissionsBoundaryArn }),
    });
    role.overrideLogicalId("chat-channel-role");
    const attachment = new IamRolePolicyAttachment(this, "channel-role-guardrail", { role: role.name, policyArn: guardrail.arn });
    attachment.overrideLogicalId("chat-channel-role-guardrail");

    for (const channel of props.channels) {
      const configurationName = chatConfigurationName(props.environment, props.region, channel);
      const common = {
        configurationName,
        iamRoleArn: role.arn,
        guardrailPolicyArns: [guardrail.arn],
        snsTopicArns: [channel.criticalOnly ? props.criticalTopicArn : props.alertTopicArn],
        loggingLevel: "ERROR",
        // The Chatbot API is served in four regions only; elsewhere the provider would find no endpoint.
        region: chatbotApiRegion(props.region),
        // Commands from the channel run with the channel role (bounded by the guardrail), never a user's own role.
        userAuthorizationRequired: false,
      };
      if (channel.kind === "slack") {
        const slack = new ChatbotSlackChannelConfiguration(this, configurationName, {
          ...common,
          slackTeamId: channel.workspaceId,
          slackChannelId: channel.channelId,
        });
        slack.overrideLogicalId(configurationName);
      } else {
        const teams = new ChatbotTeamsChannelConfiguration(this, configurationName, {
          ...common,
          teamId: channel.teamId,
          channelId: channel.channelId,
          tenantId: channel.tenantId,
        });
        teams.overrideLogicalId(configurationName);
      }
    }
    this.roleArn = role.arn;
    this.guardrailPolicyArn = guardrail.arn;
  }
}
