/**
 * The operator: the person who runs `npm run incidents` (listing incidents, mutes, triage) with their own
 * credentials. The project creates no role for them; it documents the least-privilege policy they need
 * ({@link operatorPolicy}, printed by `npm run authz -- --operator-policy`), and the authorization proof evaluates that
 * policy against the synthesized tables and key: what the tool calls is Allowed, the rest of what could go wrong
 * (whole-item writes, deletes, the incidents table written, another environment's tables, the key used directly) is
 * Denied.
 *
 * The one call AWS authorizes without any policy is `sts:GetCallerIdentity`, which the tool makes to record who
 * changed a failure's state: "No permissions are required to perform this operation. If an administrator attaches a
 * policy to your identity that explicitly denies access to the sts:GetCallerIdentity action, you can still perform
 * this operation." (AWS STS API Reference, GetCallerIdentity,
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html). IAM's policy evaluation, which
 * iam-simulate implements, does not apply to it, so the proof does not ask iam-simulate: it records the call with
 * that rule as its reason ({@link NO_POLICY_EVALUATED}), and checks that the tool declares it.
 */
import type { AuthorizationCall, Expectation } from "./calls";
import type { PolicyDocument } from "./policy-documents";
import type { SystemModel } from "./system-model";
import { BY_FINGERPRINT_INDEX, BY_LOG_GROUP_INDEX } from "../../handlers/log-processor/incident-schema";

/** Why a call is allowed with no policy evaluated (AWS STS API Reference, GetCallerIdentity). */
export const NO_POLICY_EVALUATED = "needs no permission: AWS evaluates no policy for sts:GetCallerIdentity, an explicit Deny included (AWS STS API Reference, GetCallerIdentity)";

/** The actions AWS authorizes without evaluating any policy, with the reason. */
export const ACTIONS_WITHOUT_POLICY: Readonly<Record<string, string>> = { "sts:GetCallerIdentity": NO_POLICY_EVALUATED };

/** Which of the environment's tables an operator call acts on. */
type OperatorTable = "incidents" | "alert-suppression";

/** One AWS call `npm run incidents` makes (lib/incidents, lib/triage, scripts/incidents.ts). */
export interface OperatorCall {
  readonly action: string;
  /** The table, or none for a call on no resource. */
  readonly table?: OperatorTable;
  /** For a Query: the indexes it reads. */
  readonly indexes?: readonly string[];
  readonly purpose: string;
}

/** Every call `npm run incidents` makes, and why. */
export const OPERATOR_CALLS: readonly OperatorCall[] = [
  { action: "dynamodb:Query", table: "incidents", indexes: [BY_LOG_GROUP_INDEX.name, BY_FINGERPRINT_INDEX.name], purpose: "lists incidents (the by-log-group and by-fingerprint shards)" },
  { action: "dynamodb:Scan", table: "alert-suppression", purpose: "lists mutes and failures by triage state; finds a fingerprint's scopes" },
  { action: "dynamodb:UpdateItem", table: "alert-suppression", purpose: "mutes, unmutes, resolves, ignores and reopens a failure (its own attributes only)" },
  { action: "sts:GetCallerIdentity", purpose: "records who changed a failure's state" },
];

/** The KMS actions DynamoDB performs with the operator's permission on a table encrypted with the environment's key. */
const KMS_VIA_DYNAMODB = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"] as const;

/** The environment's table `log-monitor-<env>-<table>`, when the app creates it (real-time alerts off: no suppression table). */
function findTable(model: SystemModel, table: OperatorTable) {
  return model.tables.find((candidate) => candidate.name === `log-monitor-${model.environment}-${table}`);
}

function tableOf(model: SystemModel, table: OperatorTable) {
  const found = findTable(model, table);
  if (found === undefined) throw new Error(`the app has no table log-monitor-${model.environment}-${table}`);
  return found;
}

/** The operator calls this app supports: those on a table it creates, and those on no resource. */
function callsOf(model: SystemModel): OperatorCall[] {
  return OPERATOR_CALLS.filter((call) => call.table === undefined || findTable(model, call.table) !== undefined);
}

/** The resource ARNs of an operator call: the table, or each index it reads; `*` for a call on no resource. */
function resourcesOf(model: SystemModel, call: OperatorCall): string[] {
  if (call.table === undefined) return ["*"];
  const table = tableOf(model, call.table);
  return call.indexes === undefined ? [table.arn] : call.indexes.map((index) => `${table.arn}/index/${index}`);
}

/**
 * The least-privilege identity policy for an operator of this environment: exactly {@link OPERATOR_CALLS} on the
 * environment's tables, and the tables' key only through DynamoDB in this region. (`sts:GetCallerIdentity` needs no
 * statement.) Deterministic for a given app.
 */
export function operatorPolicy(model: SystemModel): PolicyDocument {
  const byResource = new Map<string, string[]>();
  for (const call of callsOf(model)) {
    if (ACTIONS_WITHOUT_POLICY[call.action] !== undefined) continue;
    for (const resource of resourcesOf(model, call)) byResource.set(resource, [...(byResource.get(resource) ?? []), call.action]);
  }
  const keys = [...new Set(callsOf(model).flatMap((call) => (call.table === undefined ? [] : [tableOf(model, call.table).keyArn])).filter((key): key is string => key !== undefined))].sort();
  const sid = (text: string) => text.replace(/[^A-Za-z0-9]/g, "");
  return {
    Version: "2012-10-17",
    Statement: [
      ...[...byResource].map(([resource, actions]) => ({
        Sid: sid(`Operator ${resource.split("/").slice(1).join(" ")}`),
        Effect: "Allow" as const,
        Action: [...actions].sort(),
        Resource: resource,
      })),
      ...(keys.length === 0
        ? []
        : [
            {
              Sid: "OperatorTableKeyThroughDynamoDB",
              Effect: "Allow" as const,
              Action: [...KMS_VIA_DYNAMODB],
              Resource: keys,
              Condition: { StringEquals: { "kms:ViaService": `dynamodb.${model.region}.amazonaws.com` } },
            },
          ]),
    ],
  } as PolicyDocument;
}

/**
 * The operator's calls for the proof: each declared call Allowed (and the key through DynamoDB), the tool's
 * identity call by AWS's rule, and what an operator must not do Denied.
 */
export function operatorCalls(model: SystemModel, keyPolicyOf: (keyArn: string) => PolicyDocument): AuthorizationCall[] {
  const role = `log-monitor-${model.environment}-operator`;
  const principal = { label: `operator (a role with the documented policy, ${role})`, principal: `arn:aws:sts::${model.account}:assumed-role/${role}/oncall` };
  const identityPolicies = [{ name: `${role}-policy`, policy: operatorPolicy(model) }];
  const tls = { "aws:SecureTransport": "true" };
  const calls: AuthorizationCall[] = [];
  const call = (action: string, resource: string, expected: Expectation, purpose: string, context: Record<string, string> = tls, resourcePolicy?: PolicyDocument): void => {
    calls.push({ principal, action, resource, context, expected, purpose, identityPolicies, permissionsBoundary: undefined, resourcePolicy });
  };
  for (const declared of callsOf(model)) {
    for (const resource of resourcesOf(model, declared)) call(declared.action, resource, "Allowed", `npm run incidents ${declared.purpose}`);
    if (declared.table === undefined) continue;
    const keyArn = tableOf(model, declared.table).keyArn;
    if (keyArn === undefined) continue;
    for (const action of KMS_VIA_DYNAMODB) {
      call(action, keyArn, "Allowed", `DynamoDB uses the key of ${declared.table} for ${declared.action}`, { ...tls, "kms:ViaService": `dynamodb.${model.region}.amazonaws.com`, "kms:CallerAccount": model.account }, keyPolicyOf(keyArn));
    }
  }
  const incidents = tableOf(model, "incidents");
  call("dynamodb:UpdateItem", incidents.arn, "Denied", "changing a recorded incident");
  call("dynamodb:Scan", incidents.arn, "Denied", "scanning the incidents table (the tool queries its indexes)");
  call("dynamodb:Query", `${incidents.arn.replace(`-${model.environment}-`, `-${model.environment}-eu-`)}/index/by-log-group`, "Denied", "another environment's incidents");
  const suppression = findTable(model, "alert-suppression");
  if (suppression !== undefined) {
    call("dynamodb:PutItem", suppression.arn, "Denied", "a whole-item write of a failure's state (would erase leases, mutes, episodes)");
    call("dynamodb:DeleteItem", suppression.arn, "Denied", "deleting a failure's state");
    call("dynamodb:Scan", suppression.arn.replace(`-${model.environment}-`, `-${model.environment}-eu-`), "Denied", "another environment's alert-suppression table");
  }
  if (incidents.keyArn !== undefined) {
    call("kms:Decrypt", incidents.keyArn, "Denied", "direct use of the key, outside DynamoDB", { ...tls, "kms:CallerAccount": model.account }, keyPolicyOf(incidents.keyArn));
  }
  return calls;
}
