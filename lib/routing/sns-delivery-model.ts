/**
 * A small model of SNS delivery over the synthesized stacks: which subscriber receives a published message, and which
 * body it receives. Built from the synthesized Terraform JSON (topics, subscriptions with their filter policies,
 * Chatbot channel configurations, alarms and their actions), so that routing is proven on what would be deployed.
 *
 * What it models, from the Amazon SNS Developer Guide:
 * - a subscription receives every message published to its topic, unless it has a filter policy; a policy on
 *   message attributes (`filter_policy_scope` unset or `MessageAttributes`) delivers only when every attribute it
 *   names is present with one of the listed string values ("Amazon SNS subscription filter policies": a message
 *   without an attribute the policy names is not delivered);
 * - with `MessageStructure: "json"`, a subscriber gets the body for its protocol, else `default`
 *   ("Amazon SNS message publishing");
 * - AWS Chatbot subscribes to its configurations' topics over HTTPS;
 * - a CloudWatch alarm publishes a notification, with no message attributes, to each topic of `alarm_actions` when it
 *   enters ALARM and of `ok_actions` when it returns to OK.
 * Not modelled: numeric and prefix filter operators, payload-based filtering, delivery retries, confirmation.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** One subscriber: an email address, or a chat channel (by its Chatbot configuration name). */
export interface ModelSubscriber {
  /** `email:<address>` or `chat:<configuration name>`. */
  readonly id: string;
  readonly protocol: "email" | "https" | string;
  /** Terraform reference or ARN of the topic, resolved to the topic's resource name. */
  readonly topic: string;
  /** The attribute filter policy, if any. */
  readonly filterPolicy?: Readonly<Record<string, readonly string[]>>;
}

/** A message as published (by the processor, CloudWatch or Budgets). */
export interface ModelMessage {
  /** The topic's ARN. */
  readonly topicArn: string;
  readonly message: string;
  readonly messageStructure?: string | undefined;
  readonly attributes: Readonly<Record<string, string>>;
}

/** One delivery: who got which body. */
export interface ModelDelivery {
  readonly subscriber: string;
  readonly protocol: string;
  readonly body: string;
}

/** The topics and subscriptions of one synthesized app. */
export class SnsDeliveryModel {
  /** Topic resource name (e.g. `alert-topic`) -> topic name (`log-monitor-test-alerts`). */
  readonly topics: ReadonlyMap<string, string>;
  readonly subscribers: readonly ModelSubscriber[];
  /** Alarm name -> topic resource names notified on ALARM and on OK. */
  readonly alarms: ReadonlyMap<string, { readonly alarm: readonly string[]; readonly ok: readonly string[] }>;

  /**
   * @param stacks the synthesized stacks, by stack id (`alerting`, `processing`, ...): topics and subscriptions may
   *   live in one and alarms in another, joined through cross-stack outputs.
   * @param region and account form each topic's ARN (`arn:aws:sns:<region>:<account>:<name>`).
   */
  constructor(
    private readonly stacks: Readonly<Record<string, Json>>,
    private readonly region: string,
    private readonly account: string,
  ) {
    const topics = new Map<string, string>();
    const subscribers: ModelSubscriber[] = [];
    const alarms = new Map<string, { alarm: string[]; ok: string[] }>();
    for (const [stackId, json] of Object.entries(stacks)) {
      for (const [id, topic] of Object.entries<Json>(json.resource?.aws_sns_topic ?? {})) topics.set(id, topic.name);
      for (const subscription of Object.values<Json>(json.resource?.aws_sns_topic_subscription ?? {})) {
        const scope = subscription.filter_policy_scope ?? "MessageAttributes";
        if (scope !== "MessageAttributes") throw new Error(`filter_policy_scope ${scope} is not modelled`);
        subscribers.push({
          id: `${subscription.protocol}:${subscription.endpoint}`,
          protocol: subscription.protocol,
          topic: this.topicOf(stackId, subscription.topic_arn),
          ...(subscription.filter_policy === undefined ? {} : { filterPolicy: JSON.parse(subscription.filter_policy) }),
        });
      }
      for (const type of ["aws_chatbot_slack_channel_configuration", "aws_chatbot_teams_channel_configuration"]) {
        for (const configuration of Object.values<Json>(json.resource?.[type] ?? {})) {
          for (const topicArn of configuration.sns_topic_arns ?? []) {
            subscribers.push({ id: `chat:${configuration.configuration_name}`, protocol: "https", topic: this.topicOf(stackId, topicArn) });
          }
        }
      }
      for (const alarm of Object.values<Json>(json.resource?.aws_cloudwatch_metric_alarm ?? {})) {
        alarms.set(alarm.alarm_name, {
          alarm: (alarm.alarm_actions ?? []).map((ref: string) => this.topicOf(stackId, ref)),
          ok: (alarm.ok_actions ?? []).map((ref: string) => this.topicOf(stackId, ref)),
        });
      }
    }
    this.topics = topics;
    this.subscribers = subscribers;
    this.alarms = alarms;
  }

  /** The ARN of a topic, by its resource name. */
  topicArn(resourceId: string): string {
    const name = this.topics.get(resourceId);
    if (name === undefined) throw new Error(`no topic ${resourceId}`);
    return `arn:aws:sns:${this.region}:${this.account}:${name}`;
  }

  /** Who receives a published message, with the body each gets. */
  deliver(message: ModelMessage): ModelDelivery[] {
    const topic = [...this.topics].find(([id]) => this.topicArn(id) === message.topicArn)?.[0];
    if (topic === undefined) throw new Error(`published to ${message.topicArn}, which the stacks do not create`);
    return this.subscribers
      .filter((subscriber) => subscriber.topic === topic && matches(subscriber.filterPolicy, message.attributes))
      .map((subscriber) => ({ subscriber: subscriber.id, protocol: subscriber.protocol, body: bodyFor(message, subscriber.protocol) }));
  }

  /** The notifications CloudWatch publishes when an alarm changes state (no message attributes). */
  alarmNotifications(alarmName: string, newState: "ALARM" | "OK"): ModelMessage[] {
    const alarm = this.alarms.get(alarmName);
    if (alarm === undefined) throw new Error(`no alarm ${alarmName}`);
    const message = JSON.stringify({ AlarmName: alarmName, NewStateValue: newState, OldStateValue: newState === "ALARM" ? "OK" : "ALARM" });
    return (newState === "ALARM" ? alarm.alarm : alarm.ok).map((topic) => ({ topicArn: this.topicArn(topic), message, attributes: {} }));
  }

  /**
   * The topic resource a reference in stack `stackId` points at: `${aws_sns_topic.<id>.arn}` in the same stack, or a
   * cross-stack read `${data.terraform_remote_state.<x>.outputs.<output>}` whose producer's output is such a reference.
   */
  topicOf(stackId: string, reference: string): string {
    const local = /^\$\{aws_sns_topic\.([^.]+)\.arn\}$/.exec(reference);
    if (local !== null) return local[1] as string;
    const remote = /^\$\{data\.terraform_remote_state\.([^.]+)\.outputs\.([^}]+)\}$/.exec(reference);
    if (remote !== null) {
      const output = remote[2] as string;
      for (const [producerId, json] of Object.entries(this.stacks)) {
        if (producerId === stackId) continue;
        const value = json.output?.[output]?.value;
        if (typeof value === "string") return this.topicOf(producerId, value);
      }
    }
    throw new Error(`${stackId}: cannot resolve the topic reference ${reference}`);
  }
}

function matches(policy: Readonly<Record<string, readonly string[]>> | undefined, attributes: Readonly<Record<string, string>>): boolean {
  if (policy === undefined) return true;
  return Object.entries(policy).every(([name, allowed]) => attributes[name] !== undefined && allowed.includes(attributes[name] as string));
}

function bodyFor(message: ModelMessage, protocol: string): string {
  if (message.messageStructure !== "json") return message.message;
  const bodies = JSON.parse(message.message) as Record<string, string>;
  const body = bodies[protocol] ?? bodies["default"];
  if (body === undefined) throw new Error("MessageStructure json without a default body (SNS refuses it)");
  return body;
}
