import type { AwsCall } from "../aws-call";
import { ALERT_TOPIC_ARN_VARIABLE, INCIDENTS_TABLE_VARIABLE, SUPPRESSION_TABLE_VARIABLE } from "./config";

/**
 * Every AWS call the quiet-notice sweeper's code makes. The execution role must allow each; `npm run authz` checks
 * that it does, on the synthesized stacks.
 */
export const QUIET_NOTICES_AWS_CALLS: readonly AwsCall[] = [
  {
    action: "dynamodb:Scan",
    resource: { variable: SUPPRESSION_TABLE_VARIABLE, holds: "dynamodb-table-name" },
    purpose: "finds episodes that went quiet (consistent read, every page)",
  },
  {
    action: "dynamodb:UpdateItem",
    resource: { variable: SUPPRESSION_TABLE_VARIABLE, holds: "dynamodb-table-name" },
    purpose: "claims, releases and closes quiet-again notices (conditional writes on the notice and episode attributes only)",
  },
  {
    action: "dynamodb:Query",
    resource: { variable: INCIDENTS_TABLE_VARIABLE, holds: "dynamodb-table-name", index: "by-fingerprint" },
    purpose: "reads the failure's latest incident in its own log group and account (its line)",
  },
  {
    action: "sns:Publish",
    resource: { variable: ALERT_TOPIC_ARN_VARIABLE, holds: "sns-topic-arn" },
    purpose: "publishes quiet-again notices",
  },
];
