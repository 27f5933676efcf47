import { logsInvokeStatementId } from "../config/naming";
import { Construct } from "constructs";
import type { TerraformResource } from "cdktf";
import { CloudwatchLogSubscriptionFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-subscription-filter";
import { DataAwsCloudwatchLogGroup } from "@cdktf/provider-aws/lib/data-aws-cloudwatch-log-group";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { FlatConstruct } from "./flat-construct";

/** Deliveries invoke the processor directly (the default transport). */
export interface FunctionDestination {
  readonly kind: "function";
  /** Name of the function CloudWatch Logs invokes. */
  readonly functionName: string;
  /** Its ARN. */
  readonly functionArn: string;
  /** The account whose log groups may invoke it (the invoke permission's `source_account`). */
  readonly accountId: string;
}

/** Deliveries go into the Kinesis transport's stream, through CloudWatch Logs' delivery role. */
export interface StreamDestination {
  readonly kind: "stream";
  /** The stream's ARN. */
  readonly streamArn: string;
  /** ARN of the role CloudWatch Logs assumes to put records into the stream. */
  readonly deliveryRoleArn: string;
  /** The delivery role's policy: CloudWatch Logs tests delivery when a filter is created, so filters depend on it. */
  readonly deliveryRolePolicy: TerraformResource;
}

/** Where a subscription filter or the account-wide subscription policy delivers the matching events. */
export type SubscriptionDestination = FunctionDestination | StreamDestination;

/** Props of {@link LogGroupSubscription}. */
export interface LogGroupSubscriptionProps {
  /**
   * Prefix of the resources' ids, and so of their Terraform addresses: `""` for the test emitter's group
   * (`log-processor-subscription`), `<logGroupId>-` for a user's group (`ecs-orders-log-processor-subscription`).
   */
  readonly idPrefix: string;
  /** Name of the subscription filter (the processor's function name). */
  readonly filterName: string;
  /** The log group to subscribe. */
  readonly logGroupName: string;
  /**
   * ARN of the log group, without the `:*` suffix.
   * @default read with a `<idPrefix>log-group` data source, which also checks at plan time that the group exists
   */
  readonly logGroupArn?: string;
  /** The filter pattern selecting the events to deliver. */
  readonly filterPattern: string;
  /** Where the events go. */
  readonly destination: SubscriptionDestination;
}

/**
 * One log group's subscription filter. Delivering to the function, an invoke permission scoped to that group comes
 * first, since CloudWatch Logs checks it when the filter is created; delivering to the stream, the filter puts
 * records through the delivery role instead and needs no invoke permission. Created in the parent's scope (see
 * {@link FlatConstruct}).
 */
export class LogGroupSubscription extends FlatConstruct {
  constructor(scope: Construct, id: string, props: LogGroupSubscriptionProps) {
    super(scope, id);
    const { idPrefix, destination } = props;
    const filter = { name: props.filterName, logGroupName: props.logGroupName, filterPattern: props.filterPattern };
    const logGroupArn =
      props.logGroupArn ?? new DataAwsCloudwatchLogGroup(this.resourceScope, `${idPrefix}log-group`, { name: props.logGroupName }).arn;
    if (destination.kind === "stream") {
      new CloudwatchLogSubscriptionFilter(this.resourceScope, `${idPrefix}log-processor-subscription`, {
        ...filter,
        destinationArn: destination.streamArn,
        roleArn: destination.deliveryRoleArn,
        // Spread over shards: one busy log stream must not be bound to one shard's write limit.
        distribution: "Random",
        dependsOn: [destination.deliveryRolePolicy],
      });
      return;
    }
    const permission = new LambdaPermission(this.resourceScope, `${idPrefix}logs-invoke-permission`, {
      // Unique per function, within AddPermission's 100 characters (a hash ends a shortened id).
      statementId: logsInvokeStatementId(idPrefix === "" ? undefined : props.logGroupName),
      action: "lambda:InvokeFunction",
      functionName: destination.functionName,
      principal: "logs.amazonaws.com",
      // Only deliveries from this log group, in this account, may invoke the function.
      sourceArn: `${logGroupArn}:*`,
      sourceAccount: destination.accountId,
    });
    new CloudwatchLogSubscriptionFilter(this.resourceScope, `${idPrefix}log-processor-subscription`, {
      ...filter,
      destinationArn: destination.functionArn,
      // Without the permission first, creation fails with "Could not execute the lambda function".
      dependsOn: [permission],
    });
  }
}
