import type { SNSClient } from "@aws-sdk/client-sns";
import type { AlertMessage } from "./alert-message";
import type { AlertPublisher } from "./realtime-alerts";
import { isPage } from "./severity-routing";
import { publishCommand } from "./sns-publish";

export { publishCommand } from "./sns-publish";

/** Publish attempts per topic when SNS answers with throttling or a server error. */
export const DEFAULT_PUBLISH_ATTEMPTS = 3;

/**
 * Publishes alerts to an SNS topic: the subject for e-mail, one body per protocol (`MessageStructure: "json"`: the
 * plain text for e-mail and by default, Chatbot's custom-notification JSON for the `https` subscriptions Chatbot
 * makes), and `severity`, `log_group` and `fingerprint` as string message attributes for subscription filter
 * policies. A page (FATAL or CRITICAL) is published to the critical topic too, when there is one.
 *
 * Retries: the SNS client is built with `maxAttempts: 1` (index.ts), and this class repeats a Publish only when SNS
 * answered that it did not take it (throttling, or an HTTP 5xx answer), up to `attempts` times. A Publish whose
 * answer never came (a request timeout, a reset connection) may have been accepted: repeating it at once is how
 * one late answer became nine copies (three SDK attempts, times Lambda's three tries). It is not repeated here; the
 * lease is released and the delivery's retry publishes again, so a late answer costs at most one extra copy per
 * retry of the delivery, instead of multiplying.
 */
export class SnsAlertPublisher implements AlertPublisher {
  constructor(
    private readonly client: Pick<SNSClient, "send">,
    private readonly topicArn: string,
    private readonly criticalTopicArn?: string,
    private readonly attempts: number = DEFAULT_PUBLISH_ATTEMPTS,
  ) {}

  async publish(alert: AlertMessage): Promise<void> {
    const topics = this.criticalTopicArn !== undefined && isPage(alert.attributes.severity) ? [this.topicArn, this.criticalTopicArn] : [this.topicArn];
    // Both are attempted; if either fails the alert failed (its lease is released and Lambda's retry publishes again,
    // so the topic that did accept it may see it twice: a duplicate, never a lost page).
    const results = await Promise.allSettled(topics.map((topicArn) => this.publishTo(topicArn, alert)));
    const failed = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
    if (failed !== undefined) throw failed.reason;
  }

  private async publishTo(topicArn: string, alert: AlertMessage): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.send(publishCommand(topicArn, alert));
        return;
      } catch (error) {
        if (attempt >= this.attempts || !answeredNotTaken(error)) throw error;
      }
    }
  }
}

/** SNS answered, and the answer says the message was not taken: throttled, or a server error it reported. */
export function answeredNotTaken(error: unknown): boolean {
  const { name, $metadata } = (error ?? {}) as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = $metadata?.httpStatusCode;
  if (status === undefined) return false;
  return status >= 500 || status === 429 || name === "Throttling" || name === "ThrottlingException" || name === "ThrottledException";
}
