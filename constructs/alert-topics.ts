import { emailSubscriptionIds } from "../config/naming";
import { Construct } from "constructs";
import { Fn, TerraformResource } from "cdktf";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { FlatConstruct } from "./flat-construct";

/** Props of {@link AlertTopics}. */
export interface AlertTopicsProps {
  /** Name of the alert topic, e.g. `log-monitor-prod-alerts`. */
  readonly alertTopicName: string;
  /** Name of the critical topic, e.g. `log-monitor-prod-critical`. */
  readonly criticalTopicName: string;
  /** Start of both display names, e.g. `log-monitor prod`: ` alerts` and ` pages` follow. */
  readonly displayNamePrefix: string;
  /** ARN of the customer-managed key both topics are encrypted with. */
  readonly kmsKeyArn: string;
  /** This account's id: only its alarms (and budget) may publish. */
  readonly accountId: string;
  /** The alarms that may publish to both topics, by exact ARN. */
  readonly alarmArns: readonly string[];
  /** The budget that may publish to the alert topic (not the critical one: a budget is no page). @default none */
  readonly budgetArn?: string;
  /** Addresses subscribed by email to the alert topic. @default none */
  readonly alertEmails?: readonly string[];
  /** Addresses subscribed by email to the critical topic. @default none */
  readonly criticalEmails?: readonly string[];
  /**
   * The pager: the name of the pager topic (`log-monitor-<env>-pager`) and of the SSM SecureString parameter holding
   * the HTTPS endpoint subscribed to it. @default no pager topic
   */
  readonly pager?: { readonly topicName: string; readonly endpointParameterName: string };
}

/**
 * How long `terraform apply` waits for the pager's endpoint to confirm its subscription. PagerDuty confirms at once;
 * the provider's default is 1 minute (terraform-provider-aws internal/service/sns/topic_subscription.go,
 * `confirmation_timeout_in_minutes`).
 */
export const PAGER_CONFIRMATION_TIMEOUT_MINUTES = 5;

/**
 * The two SNS topics (`alert-topic`, `critical-topic`), encrypted with the environment's key, each with a policy
 * admitting the environment's alarms by exact ARN, and the email subscriptions. Severity routing: alarm notifications
 * carry no message attributes, so a filter policy cannot tell them apart from ERROR alerts. Pages get their own topic
 * instead: every alarm notifies both topics, the processor publishes FATAL/CRITICAL alerts to both, and `:critical`
 * subscribers subscribe to the critical one only. Created in the parent's scope (see {@link FlatConstruct}).
 */
export class AlertTopics extends FlatConstruct {
  /** ARN of the alert topic. */
  readonly alertTopicArn: string;
  /** ARN of the critical topic. */
  readonly criticalTopicArn: string;
  /** ARN of the pager topic, when a pager is configured. */
  readonly pagerTopicArn?: string;
  /**
   * What an alarm notifies when it fires: the alert and critical topics, and the pager topic when there is one.
   * The error alarm notifies the same topics when it recovers.
   */
  readonly alarmTopicArns: readonly string[];
  /**
   * Where the pipeline and silence alarms announce a recovery: the alert topic, and the pager topic when there is one
   * (its OK resolves the incident the ALARM opened); not the critical topic, since a recovery is no page for people.
   */
  readonly recoveryTopicArns: readonly string[];
  /** The alert topic's policy: a budget must depend on it, since Budgets checks it may publish at creation. */
  readonly alertTopicPolicy: TerraformResource;

  constructor(scope: Construct, id: string, props: AlertTopicsProps) {
    super(scope, id);
    const topic = new SnsTopic(this.resourceScope, "alert-topic", {
      name: props.alertTopicName,
      displayName: `${props.displayNamePrefix} alerts`,
      // A customer-managed key: with the AWS-managed alias/aws/sns key, CloudWatch alarm notifications are dropped.
      kmsMasterKeyId: props.kmsKeyArn,
    });
    const criticalTopic = new SnsTopic(this.resourceScope, "critical-topic", {
      name: props.criticalTopicName,
      displayName: `${props.displayNamePrefix} pages`,
      kmsMasterKeyId: props.kmsKeyArn,
    });

    const topicPolicy = this.policyDocument("alert-topic-policy-document", topic.arn, props, props.budgetArn);
    this.alertTopicPolicy = new SnsTopicPolicy(this.resourceScope, "alert-topic-policy", { arn: topic.arn, policy: topicPolicy.json });
    const criticalTopicPolicy = this.policyDocument("critical-topic-policy-document", criticalTopic.arn, props, undefined);
    new SnsTopicPolicy(this.resourceScope, "critical-topic-policy", { arn: criticalTopic.arn, policy: criticalTopicPolicy.json });

    const subscribers = [
      ["alert", topic.arn, props.alertEmails],
      ["critical", criticalTopic.arn, props.criticalEmails],
    ] as const;
    for (const [kind, topicArn, emails] of subscribers) {
      // Ids that cannot collide, even for first.last@ and first-last@ (config/naming.ts, emailSubscriptionIds).
      const ids = emailSubscriptionIds(emails ?? []);
      for (const email of emails ?? []) {
        new SnsTopicSubscription(this.resourceScope, `${kind}-email-${ids.get(email)}`, { topicArn, protocol: "email", endpoint: email });
      }
    }
    this.alertTopicArn = topic.arn;
    this.criticalTopicArn = criticalTopic.arn;
    const pagerTopicArns: string[] = [];
    if (props.pager !== undefined) {
      this.pagerTopicArn = this.pagerTopic(props, props.pager);
      pagerTopicArns.push(this.pagerTopicArn);
    }
    this.alarmTopicArns = [topic.arn, criticalTopic.arn, ...pagerTopicArns];
    this.recoveryTopicArns = [topic.arn, ...pagerTopicArns];
  }

  /**
   * The pager topic and its one HTTPS subscriber. A topic of its own, not a subscriber of the critical topic: the
   * alarms notify it on ALARM and on OK (OK resolves the PagerDuty incident) while the critical topic's people hear
   * only ALARM from most alarms, and the processor's messages on the critical topic carry an `https` body for AWS
   * Chatbot that PagerDuty's CloudWatch integration does not read (docs/alerts-and-chat.md, On-call paging).
   */
  private pagerTopic(props: AlertTopicsProps, pager: NonNullable<AlertTopicsProps["pager"]>): string {
    const pagerTopic = new SnsTopic(this.resourceScope, "pager-topic", {
      name: pager.topicName,
      displayName: `${props.displayNamePrefix} pager`,
      kmsMasterKeyId: props.kmsKeyArn,
    });
    const policy = this.policyDocument("pager-topic-policy-document", pagerTopic.arn, props, undefined);
    new SnsTopicPolicy(this.resourceScope, "pager-topic-policy", { arn: pagerTopic.arn, policy: policy.json });
    // Read at plan time with decryption; the provider marks `value` sensitive, and a SecureString leaves
    // `insecure_value` empty (terraform-provider-aws internal/service/ssm/parameter_data_source.go).
    const endpoint = new DataAwsSsmParameter(this.resourceScope, "pager-endpoint", {
      name: pager.endpointParameterName,
      withDecryption: true,
      lifecycle: {
        postcondition: [
          {
            condition: '${self.type == "SecureString"}',
            errorMessage: `LOG_MONITOR_PAGER_ENDPOINT_PARAMETER: SSM parameter ${pager.endpointParameterName} must be a SecureString (it holds the integration key).`,
          },
          {
            condition: '${startswith(self.value, "https://")}',
            errorMessage: `LOG_MONITOR_PAGER_ENDPOINT_PARAMETER: SSM parameter ${pager.endpointParameterName} must hold an https:// URL.`,
          },
        ],
      },
    });
    new SnsTopicSubscription(this.resourceScope, "pager-subscription", {
      topicArn: pagerTopic.arn,
      protocol: "https",
      // The subscription's `endpoint` is not marked sensitive by the provider (topic_subscription.go): without
      // sensitive() Terraform would still redact it as derived from a sensitive value, but the marking is explicit
      // here so that a provider or Terraform change cannot print the integration key in a plan or PR comment.
      endpoint: Fn.sensitive(endpoint.value),
      // PagerDuty confirms SNS subscriptions itself; a webhook must too, or the apply fails after the timeout.
      endpointAutoConfirms: true,
      confirmationTimeoutInMinutes: PAGER_CONFIRMATION_TIMEOUT_MINUTES,
      // The SNS envelope (Type, Subject, Message = the CloudWatch alarm JSON) is what PagerDuty's integration parses.
      rawMessageDelivery: false,
    });
    return pagerTopic.arn;
  }

  /** A topic's policy: the alarms (and budget) of this account may publish, by exact ARN; nobody without TLS. */
  private policyDocument(id: string, topicArn: string, props: AlertTopicsProps, budgetArn: string | undefined): DataAwsIamPolicyDocument {
    const servicePublishes = (sid: string, service: string, sourceArns: readonly string[]) => ({
      sid,
      effect: "Allow",
      principals: [{ type: "Service", identifiers: [service] }],
      actions: ["sns:Publish"],
      resources: [topicArn],
      condition: [
        { test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] },
        { test: "ArnLike", variable: "aws:SourceArn", values: [...sourceArns] },
      ],
    });
    return new DataAwsIamPolicyDocument(this.resourceScope, id, {
      statement: [
        servicePublishes("CloudWatchAlarmsPublish", "cloudwatch.amazonaws.com", props.alarmArns),
        // Cost Management User Guide, "Creating an Amazon SNS topic for budget notifications".
        ...(budgetArn === undefined ? [] : [servicePublishes("BudgetsPublish", "budgets.amazonaws.com", [budgetArn])]),
        {
          sid: "DenyPublishWithoutTls",
          effect: "Deny",
          principals: [{ type: "*", identifiers: ["*"] }],
          actions: ["sns:Publish"],
          resources: [topicArn],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
      ],
    });
  }
}

