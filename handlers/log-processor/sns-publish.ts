import { PublishCommand } from "@aws-sdk/client-sns";
import type { AlertMessage } from "./alert-message";
import { snsMessageBodies } from "./chat-notification";
import { toWellFormed } from "./well-formed";

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
