import { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { FlatConstruct } from "./flat-construct";

/** Seconds in 14 days: the longest SQS keeps a message, so an operator has two weeks to redrive. */
const DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 60 * 60;

/** Props of {@link DeadLetterQueue}. */
export interface DeadLetterQueueProps {
  /** The queue's name, e.g. `log-monitor-prod-log-processor-dlq`. */
  readonly queueName: string;
  /** ARN of the customer-managed key the queue is encrypted with. */
  readonly kmsKeyArn: string;
}

/**
 * The processor's dead-letter queue (`dead-letter-queue`): invocations that failed every retry, kept 14 days for
 * `npm run redrive`, encrypted with the environment's key, and refused to anyone without TLS. Created in the
 * parent's scope (see {@link FlatConstruct}).
 */
export class DeadLetterQueue extends FlatConstruct {
  /** The queue's ARN. */
  readonly queueArn: string;
  /** The queue's name. */
  readonly queueName: string;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    const queue = new SqsQueue(this.resourceScope, "dead-letter-queue", {
      name: props.queueName,
      messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS,
      kmsMasterKeyId: props.kmsKeyArn,
      // Reusing a data key for 5 minutes keeps KMS calls (and cost) low during a burst of failures.
      kmsDataKeyReusePeriodSeconds: 300,
    });
    const policy = new DataAwsIamPolicyDocument(this.resourceScope, "dead-letter-queue-policy-document", {
      statement: [
        {
          sid: "DenyAccessWithoutTls",
          effect: "Deny",
          principals: [{ type: "*", identifiers: ["*"] }],
          actions: ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"],
          resources: [queue.arn],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
      ],
    });
    new SqsQueuePolicy(this.resourceScope, "dead-letter-queue-policy", { queueUrl: queue.url, policy: policy.json });
    this.queueArn = queue.arn;
    this.queueName = queue.name;
  }
}
