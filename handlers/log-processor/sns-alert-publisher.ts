import type { SNSClient } from "@aws-sdk/client-sns";
import type { AlertMessage } from "./alert-message";
import type { AlertPublisher } from "./realtime-alerts";
import { isPage } from "./severity-routing";
import { publishCommand } from "./sns-publish";

export { publishCommand } from "./sns-publish";

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
