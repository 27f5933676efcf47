import type { AwsCall } from "../aws-call";

/**
 * The test emitter makes no AWS call: it only writes log lines, which Lambda ships to its log group with the
 * execution role's `logs:` permissions (`__tests__/authz/handler-calls.test.ts` proves its code has no SDK call).
 */
export const TEST_EMITTER_AWS_CALLS: readonly AwsCall[] = [];
