import type { AwsCall } from "../aws-call";
import { SUPPRESSION_TABLE_VARIABLE } from "./config";

/**
 * Every AWS call the dashboard's triage widget makes (`__tests__/authz/handler-calls.test.ts` proves that its code makes
 * no other). The execution role must allow each; `npm run authz` checks that it does, on the synthesized stacks. It
 * reads and writes the alert-suppression table only: no incidents, no topic, no other table.
 */
export const TRIAGE_WIDGET_AWS_CALLS: readonly AwsCall[] = [
  {
    action: "dynamodb:Scan",
    resource: { variable: SUPPRESSION_TABLE_VARIABLE, holds: "dynamodb-table-name" },
    purpose: "lists the failures and their triage state (consistent read, every page)",
  },
  {
    action: "dynamodb:UpdateItem",
    resource: { variable: SUPPRESSION_TABLE_VARIABLE, holds: "dynamodb-table-name" },
    purpose: "resolves, mutes, ignores and reopens a failure (its triage and mute attributes only; lib/triage, lib/incidents/mute-store.ts)",
  },
];
