import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { jsonProperty } from "./json-property";
import { DeadLetterQueue, ParkedMessage, ProcessorInvoker } from "./redrive";

/** The dead-letter queue in SQS, found by name, with its approximate size for progress reporting. */
export async function sqsDeadLetterQueue(
  client: SQSClient,
  queueName: string,
): Promise<DeadLetterQueue & { approximateSize(): Promise<number> }> {
  const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: queueName }));
  if (!QueueUrl) throw new Error(`Queue ${queueName} has no URL`);
  return {
    async approximateSize() {
      const { Attributes } = await client.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }),
      );
      return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
    },
    async receive(max, hideSeconds) {
      const response = await client.send(
        new ReceiveMessageCommand({
          QueueUrl,
          MaxNumberOfMessages: max,
          VisibilityTimeout: hideSeconds,
          // Long polling asks every SQS server, so an empty answer really means an empty queue.
          WaitTimeSeconds: 2,
          MessageAttributeNames: ["All"],
        }),
      );
      return (response.Messages ?? []).map(
        (m): ParkedMessage => ({
          id: m.MessageId ?? "",
          receiptHandle: m.ReceiptHandle ?? "",
          body: m.Body ?? "",
          ...(m.MessageAttributes?.ErrorMessage?.StringValue ? { originalError: m.MessageAttributes.ErrorMessage.StringValue } : {}),
        }),
      );
    },
    async delete(message) {
      await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.receiptHandle }));
    },
    async release(message) {
      await client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: message.receiptHandle, VisibilityTimeout: 0 }));
    },
  };
}

/**
 * A replayed Kinesis batch succeeds only when the processor reports no record failed: with
 * `ReportBatchItemFailures` it returns `{"batchItemFailures":[{"itemIdentifier":"<sequence number>"}]}` instead of
 * an error (Lambda Developer Guide, "Configuring partial batch response with Kinesis Data Streams and Lambda").
 */
export function partialBatchFailure(responsePayload: string): string | undefined {
  const failures = jsonProperty(responsePayload, "batchItemFailures");
  if (!Array.isArray(failures) || failures.length === 0) return undefined;
  const ids = failures.map((f) => String((f as { itemIdentifier?: unknown } | null)?.itemIdentifier ?? "")).slice(0, 5);
  return `${failures.length} record(s) of the batch failed again (${ids.join(", ")}${failures.length > 5 ? ", ..." : ""})`;
}

/** The processor in Lambda, invoked synchronously. */
export function lambdaProcessor(client: LambdaClient, functionName: string): ProcessorInvoker {
  return {
    async invoke(payload) {
      const response = await client.send(
        new InvokeCommand({ FunctionName: functionName, InvocationType: "RequestResponse", Payload: Buffer.from(payload) }),
      );
      const detail = response.Payload ? Buffer.from(response.Payload).toString("utf8") : "";
      if (!response.FunctionError) return partialBatchFailure(detail);
      try {
        const parsed = JSON.parse(detail) as { errorType?: string; errorMessage?: string };
        return `${parsed.errorType ?? response.FunctionError}: ${parsed.errorMessage ?? detail}`;
      } catch {
        return `${response.FunctionError}: ${detail}`;
      }
    },
  };
}
