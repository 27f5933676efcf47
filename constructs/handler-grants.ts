import type { AwsCall } from "../handlers/aws-call";
import { ENCRYPTED_MESSAGE_KEY_ACTIONS, ENCRYPTED_TABLE_KEY_ACTIONS, keyUseThroughService } from "./key-grants";
import { PolicyStatementSpec } from "./policy-statement";

/** What a stack knows of the resource an environment variable of a handler names. */
export interface GrantTarget {
  /** The statement id for the calls on this resource, e.g. `WriteIncidents`. Targets may share one. */
  readonly sid: string;
  /** The resource's ARN. */
  readonly arn: string;
  /**
   * The customer-managed key that encrypts the resource, and the service that uses it on the caller's behalf: a
   * grant on the resource then also grants the key, only through that service (as the AWS CDK's grants do).
   * @default not encrypted with a customer-managed key
   */
  readonly encryption?: {
    readonly keyArn: string;
    readonly service: "dynamodb" | "sns" | "sqs";
    /** The statement id of the key grant; targets encrypted through the same service share it. */
    readonly sid: string;
  };
}

/** A handler declares a call on a resource its stack does not name; the message names both. */
export class UngrantableCallError extends Error {
  constructor(call: AwsCall) {
    super(`${call.action} acts on the resource named by ${call.resource.variable}, which the stack maps to no resource`);
    this.name = "UngrantableCallError";
  }
}

/** The key actions a service needs on the caller's behalf (see key-grants.ts for the sources). */
const KEY_ACTIONS: Readonly<Record<NonNullable<GrantTarget["encryption"]>["service"], readonly string[]>> = {
  dynamodb: ENCRYPTED_TABLE_KEY_ACTIONS,
  sns: ENCRYPTED_MESSAGE_KEY_ACTIONS,
  sqs: ENCRYPTED_MESSAGE_KEY_ACTIONS,
};

/**
 * The role statements a handler needs, made from its declaration of the AWS calls it makes
 * (`handlers/<name>/aws-calls.ts`): one statement per target with exactly the declared actions on its ARN, then one
 * key statement per service for the encrypted targets. Calls the handler skips with the environment it is given
 * (`skippedWhen`) are not granted.
 *
 * @param environment the handler's environment variables, as the stack sets them.
 * @param targets what each environment variable that names a resource stands for.
 * @throws UngrantableCallError for a declared call whose variable has no target.
 */
export function grantsForCalls(
  calls: readonly AwsCall[],
  environment: Readonly<Record<string, string>>,
  targets: Readonly<Record<string, GrantTarget>>,
  region: string,
): PolicyStatementSpec[] {
  const bySid = new Map<string, { actions: string[]; resources: string[] }>();
  const keys = new Map<string, { keyArn: string; service: "dynamodb" | "sns" | "sqs" }>();
  for (const call of calls) {
    if (call.skippedWhen !== undefined && environment[call.skippedWhen.variable] === call.skippedWhen.value) continue;
    const target = targets[call.resource.variable];
    if (target === undefined) throw new UngrantableCallError(call);
    const statement = bySid.get(target.sid) ?? { actions: [], resources: [] };
    if (!statement.actions.includes(call.action)) statement.actions.push(call.action);
    if (!statement.resources.includes(target.arn)) statement.resources.push(target.arn);
    bySid.set(target.sid, statement);
    if (target.encryption !== undefined) keys.set(target.encryption.sid, target.encryption);
  }
  return [
    ...[...bySid].map(([sid, { actions, resources }]) => ({ sid, actions, resources })),
    ...[...keys].map(([sid, { keyArn, service }]) =>
      keyUseThroughService({ sid, keyArn, service, region, actions: KEY_ACTIONS[service] }),
    ),
  ];
}
