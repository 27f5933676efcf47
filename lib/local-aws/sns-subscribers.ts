import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { AcceptedPublish, FaultAction, FaultProxy, ProxiedRequest, startFaultProxy } from "./fault-proxy";
import { LocalFauxqs, startFauxqs } from "./fauxqs";

/** A notification as an SQS subscriber of a topic received it (the SNS envelope, decoded). */
export interface ReceivedNotification {
  readonly topicArn: string;
  readonly messageId: string;
  readonly subject: string | undefined;
  /** The envelope's `Message`: what the publisher sent (see {@link bodyFor} for one protocol's body). */
  readonly message: string;
  /** `json` when the publisher sent one body per protocol (`MessageStructure`), from the proxy's record of the Publish. */
  readonly messageStructure: string | undefined;
  /** String message attributes by name, from the envelope's `MessageAttributes`. */
  readonly attributes: Readonly<Record<string, string>>;
}

/** fauxqs (SNS and SQS) behind the fault proxy, with one SQS queue subscribed to every topic it creates. */
export interface LocalSns {
  /** The proxy's endpoint, for `AWS_ENDPOINT_URL_SNS` (and `AWS_ENDPOINT_URL_SQS`): what the code under test calls. */
  readonly endpoint: string;
  /** fauxqs's own endpoint, for set-up and for reading what subscribers received without going through the proxy. */
  readonly fauxqsEndpoint: string;
  /** The proxy: its rule injects faults; `publishRequests` holds every Publish it received, whatever became of it. */
  readonly proxy: FaultProxy;
  /** Creates the topic in fauxqs (its ARN names fauxqs's account, 000000000000) and subscribes the queue to it. */
  createTopic(name: string, options?: { readonly filterPolicy?: Record<string, unknown> }): Promise<string>;
  /** Every notification the subscriber queue received since the start (or the last {@link reset}), in arrival order. */
  received(): Promise<ReceivedNotification[]>;
  /** Applies `action` to the next `times` Publish requests (the proxy passes every other request). */
  faultNextPublishes(times: number, action: FaultAction, onFault?: (request: ProxiedRequest) => void): void;
  /** Drains the queue, forgets what was received and what the proxy recorded, and passes every request again. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

/**
 * Starts fauxqs (a child process) and the fault proxy in front of it, both on ephemeral loopback ports. The code under
 * test publishes through the proxy, which refuses what SNS would refuse (`snsPublishViolations`) and injects faults;
 * fauxqs fans every accepted Publish out to one SQS queue subscribed to each topic (the SNS envelope, not raw delivery,
 * so the subject, topic and message attributes arrive as SNS sends them). {@link LocalSns.received} reads that queue
 * directly from fauxqs, so reading never goes through the proxy's rule or log.
 */
export async function startLocalSns(options: { readonly region?: string } = {}): Promise<LocalSns> {
  const region = options.region ?? "eu-west-1";
  const fauxqs: LocalFauxqs = await startFauxqs();
  let proxy: FaultProxy;
  try {
    proxy = await startFaultProxy({ fauxqs: fauxqs.endpoint });
  } catch (error) {
    await fauxqs.stop();
    throw error;
  }
  const sns = new SNSClient({ endpoint: fauxqs.endpoint, region, credentials: LOCAL_CREDENTIALS });
  const sqs = new SQSClient({ endpoint: fauxqs.endpoint, region, credentials: LOCAL_CREDENTIALS });
  let queueUrl: string;
  let queueArn: string;
  try {
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "log-monitor-subscriber" }))).QueueUrl as string;
    queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }))).Attributes?.QueueArn as string;
  } catch (error) {
    sns.destroy();
    sqs.destroy();
    await proxy.stop();
    await fauxqs.stop();
    throw error;
  }
  const received: ReceivedNotification[] = [];

  const drain = async (): Promise<void> => {
    for (;;) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
      if (Messages.length === 0) return;
      for (const message of Messages) {
        const envelope = JSON.parse(message.Body ?? "{}") as {
          TopicArn: string;
          MessageId: string;
          Subject?: string;
          Message: string;
          MessageAttributes?: Record<string, { Type: string; Value: string }>;
        };
        const attributes: Record<string, string> = {};
        for (const [name, attribute] of Object.entries(envelope.MessageAttributes ?? {})) attributes[name] = attribute.Value;
        const publish = proxy.accepted.find((accepted) => accepted.messageId === envelope.MessageId);
        received.push({
          topicArn: envelope.TopicArn,
          messageId: envelope.MessageId,
          subject: envelope.Subject,
          message: envelope.Message,
          messageStructure: publish?.messageStructure,
          attributes,
        });
      }
      await sqs.send(
        new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle as string })) }),
      );
    }
  };

  return {
    endpoint: proxy.endpoint,
    fauxqsEndpoint: fauxqs.endpoint,
    proxy,
    async createTopic(name, topicOptions = {}) {
      const topicArn = (await sns.send(new CreateTopicCommand({ Name: name }))).TopicArn as string;
      await sns.send(
        new SubscribeCommand({
          TopicArn: topicArn,
          Protocol: "sqs",
          Endpoint: queueArn,
          ...(topicOptions.filterPolicy === undefined ? {} : { Attributes: { FilterPolicy: JSON.stringify(topicOptions.filterPolicy) } }),
        }),
      );
      return topicArn;
    },
    async received() {
      await drain();
      return [...received];
    },
    faultNextPublishes(times, action, onFault) {
      let left = times;
      proxy.setRule((request) => {
        if (request.operation !== "Publish" || left <= 0) return undefined;
        left--;
        onFault?.(request);
        return action;
      });
    },
    async reset() {
      await drain();
      received.length = 0;
      proxy.setRule(() => undefined);
      proxy.log.length = 0;
      proxy.accepted.length = 0;
      proxy.publishRequests.length = 0;
      proxy.refusedPublishes.length = 0;
    },
    async stop() {
      sns.destroy();
      sqs.destroy();
      try {
        await proxy.stop();
      } finally {
        await fauxqs.stop();
      }
    },
  };
}

/**
 * The body a subscriber of `protocol` receives. With `MessageStructure: "json"` SNS delivers the body the message names
 * for the protocol, or its `default` (Amazon SNS Developer Guide, "Amazon SNS message publishing"). fauxqs 2.4.1 does
 * not: it delivers the whole JSON document, and it has no email or HTTPS subscribers, so the project picks the body.
 */
export function bodyFor(publish: Pick<AcceptedPublish, "message" | "messageStructure">, protocol: string): string {
  if (publish.messageStructure !== "json") return publish.message;
  const bodies = JSON.parse(publish.message) as Record<string, string>;
  const body = bodies[protocol] ?? bodies["default"];
  if (body === undefined) throw new Error(`a MessageStructure json message without a default body: ${publish.message}`);
  return body;
}
