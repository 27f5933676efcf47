import { ACCOUNT_WIDE_STATEMENT_ID } from "../config/naming";
import { Construct } from "constructs";
import { CloudwatchLogAccountPolicy } from "@cdktf/provider-aws/lib/cloudwatch-log-account-policy";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { selectionCriteria } from "../config/scale";
import { FlatConstruct } from "./flat-construct";
import { SubscriptionDestination } from "./log-group-subscription";

/** Props of {@link AccountSubscriptionPolicy}. */
export interface AccountSubscriptionPolicyProps {
  /** The account policy's name, e.g. `log-monitor-prod-errors`. */
  readonly policyName: string;
  /** Log groups the policy leaves out, by exact name (the selection criteria accept exact names only). */
  readonly excludedLogGroupNames: readonly string[];
  /** The filter pattern selecting the events to deliver. */
  readonly filterPattern: string;
  /** Where the events go. */
  readonly destination: SubscriptionDestination;
  /** The stack's region: an invoke permission admits this region's log groups only. */
  readonly region: string;
  /** The partition (`aws`, `aws-cn`, `aws-us-gov`), for the invoke permission's source ARN. */
  readonly partition: string;
}

/**
 * The account-level subscription filter policy (`LOG_MONITOR_ACCOUNT_WIDE`): every log group of the account and region
 * except the excluded ones delivers its matching events. The selection criteria accept exact names only: excluded name
 * prefixes are the processor's to drop (EXCLUDED_LOG_GROUP_PREFIXES). Delivering to the function, an invoke permission for any log
 * group of this account and region comes first. Source: CloudWatch Logs API reference, PutAccountPolicy; User Guide,
 * "Account-level subscription filters". Created in the parent's scope (see {@link FlatConstruct}).
 */
export class AccountSubscriptionPolicy extends FlatConstruct {
  constructor(scope: Construct, id: string, props: AccountSubscriptionPolicyProps) {
    super(scope, id);
    const { destination } = props;
    const { dependsOn, policyDocument } =
      destination.kind === "stream"
        ? {
            dependsOn: [destination.deliveryRolePolicy],
            policyDocument: {
              DestinationArn: destination.streamArn,
              RoleArn: destination.deliveryRoleArn,
              FilterPattern: props.filterPattern,
              Distribution: "Random",
            },
          }
        : {
            dependsOn: [
              new LambdaPermission(this.resourceScope, "account-logs-invoke-permission", {
                statementId: ACCOUNT_WIDE_STATEMENT_ID,
                action: "lambda:InvokeFunction",
                functionName: destination.functionName,
                principal: "logs.amazonaws.com",
                // Any log group of this account in this region (the account policy's reach), nothing else.
                sourceArn: `arn:${props.partition}:logs:${props.region}:${destination.accountId}:log-group:*`,
                sourceAccount: destination.accountId,
              }),
            ],
            policyDocument: { DestinationArn: destination.functionArn, FilterPattern: props.filterPattern },
          };
    new CloudwatchLogAccountPolicy(this.resourceScope, "account-subscription-policy", {
      policyName: props.policyName,
      policyType: "SUBSCRIPTION_FILTER_POLICY",
      scope: "ALL",
      selectionCriteria: selectionCriteria(props.excludedLogGroupNames),
      policyDocument: JSON.stringify(policyDocument),
      dependsOn,
    });
  }
}
