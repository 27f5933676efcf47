import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { AlertMessage } from "./alert-message";
import { snsMessageBodies } from "./chat-notification";
import { AlertPublisher } from "./realtime-alerts";
import { isPage } from "./severity-routing";
import { toWellFormed } from "./well-formed";

/**
 * Publishes alerts to an SNS topic: the subject for e-mail, one body per protocol (`MessageStructure: "json"`: the
 * plain text for e-mail and by default, Chatbot's custom-notification JSON for the `https` subscriptions Chatbot
 * makes), and `severity`, `log_group` and `fingerprint` as string message attributes for subscription filter
 * policies. A page (FATAL or CRITICAL) is published to the critical topic too, when there is one.
 */
export class SnsAlertPublisher implements AlertPublisher {
  constructor(
    private readonly client: Pick<SNSClient, "send">,
    private readonly topicArn: string,
    private readonly criticalTopicArn?: string,
  ) {}

  async publish(alert: AlertMessage): Promise<void> {
    const topics = this.criticalTopicArn !== undefined && isPage(alert.attributes.severity) ? [this.topicArn, this.criticalTopicArn] : [this.topicArn];
    // Both are attempted; if either fails the alert failed (its lease is released and Lambda's retry publishes again,
    // so the topic that did accept it may see it twice: a duplicate, never a lost page).
    const results = await Promise.allSettled(topics.map((topicArn) => this.client.send(publishCommand(topicArn, alert))));
    const failed = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
    if (failed !== undefined) throw failed.reason;
  }
}

/** The Publish request of an alert to one topic. */
export function publishCommand(topicArn: string, alert: AlertMessage): PublishCommand {
  return new PublishCommand({
    TopicArn: topicArn,
    // Well-formed strings only: a lone surrogate makes the SDK's form encoding throw (URIError).
    Subject: toWellFormed(alert.subject),
    MessageStructure: "json",
    Message: toWellFormed(snsMessageBodies(alert)),
    MessageAttributes: Object.fromEntries(
      Object.entries(alert.attributes).map(([name, value]) => [name, { DataType: "String", StringValue: toWellFormed(value) }]),
    ),
  });
}
