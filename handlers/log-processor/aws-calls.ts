import type { AwsCall } from "../aws-call";
import { ALERT_TOPIC_ARN_VARIABLE, CRITICAL_TOPIC_ARN_VARIABLE, REALTIME_ALERTS_VARIABLE, SUPPRESSION_TABLE_VARIABLE, TABLE_NAME_VARIABLE } from "./config";

const WITHOUT_REALTIME_ALERTS = { variable: REALTIME_ALERTS_VARIABLE, value: "false" } as const;

/**
 * Every AWS call the log processor's code makes (`__tests__/authz/handler-calls.test.ts` proves that its code makes
 * no other). The execution role must allow each; `npm run authz` checks that it does, on the synthesized stacks.
 */
export const LOG_PROCESSOR_AWS_CALLS: readonly AwsCall[] = [
  {
    action: "dynamodb:BatchWriteItem",
    resource: { variable: TABLE_NAME_VARIABLE, holds: "dynamodb-table-name" },
    purpose: "records incidents",
  },
  {
    action: "dynamodb:UpdateItem",
    resource: { variable: SUPPRESSION_TABLE_VARIABLE, holds: "dynamodb-table-name" },
    skippedWhen: WITHOUT_REALTIME_ALERTS,
    purpose: "claims, counts, confirms and releases a failure's alert lease (conditional updates only; docs/alert-state-machine.md)",
  },
  {
    action: "dynamodb:BatchGetItem",
    resource: { variable: SUPPRESSION_TABLE_VARIABLE, holds: "dynamodb-table-name" },
    skippedWhen: WITHOUT_REALTIME_ALERTS,
    purpose: "reads which failures of a storm a digest may name (neither muted nor alerted within their window)",
  },
  {
    action: "sns:Publish",
    resource: { variable: ALERT_TOPIC_ARN_VARIABLE, holds: "sns-topic-arn" },
    skippedWhen: WITHOUT_REALTIME_ALERTS,
    purpose: "publishes real-time alerts",
  },
  {
    action: "sns:Publish",
    resource: { variable: CRITICAL_TOPIC_ARN_VARIABLE, holds: "sns-topic-arn" },
    skippedWhen: WITHOUT_REALTIME_ALERTS,
    purpose: "publishes FATAL/CRITICAL real-time alerts to the critical topic (pages)",
  },
];
