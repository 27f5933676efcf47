import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { AlertMessage } from "./alert-message";
import { AlertPublisher } from "./realtime-alerts";
import { toWellFormed } from "./well-formed";

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
        // Well-formed strings only: a lone surrogate makes the SDK's form encoding throw (URIError).
        Subject: toWellFormed(alert.subject),
        Message: toWellFormed(alert.body),
        MessageAttributes: Object.fromEntries(
          Object.entries(alert.attributes).map(([name, value]) => [name, { DataType: "String", StringValue: toWellFormed(value) }]),
        ),
      }),
    );
  }
}
