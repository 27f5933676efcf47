import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { AlertMessage } from "./alert-message";
import { AlertPublisher } from "./realtime-alerts";

/**
 * Publishes alerts to an SNS topic: the subject for e-mail, the body as the message, and `severity`, `log_group`
 * and `fingerprint` as string message attributes for subscription filter policies.
 */
export class SnsAlertPublisher implements AlertPublisher {
  constructor(private readonly client: Pick<SNSClient, "send">, private readonly topicArn: string) {}

  async publish(alert: AlertMessage): Promise<void> {
    await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: alert.subject,
        Message: alert.body,
        MessageAttributes: Object.fromEntries(
          Object.entries(alert.attributes).map(([name, value]) => [name, { DataType: "String", StringValue: value }]),
        ),
      }),
    );
  }
}
