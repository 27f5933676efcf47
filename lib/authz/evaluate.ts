/**
 * Decides each planned call with `@cloud-copilot/iam-simulate` (AGPL-3.0: used only here, by the proof and its tests,
 * never by anything that is deployed or bundled), which implements AWS's documented policy evaluation logic,
 * including KMS key-policy semantics, permissions boundaries and resource policies, and validates actions,
 * resource ARNs and condition keys against AWS's service reference data.
 *
 * iam-simulate does not read `kms:EncryptionContext:<key>` from a request. Statements conditioned on an encryption
 * context key are therefore decided first by {@link conditionHolds} (lib/authz/condition-match.ts): when the
 * request's context satisfies the condition, the key is removed from the statement and the rest is left to
 * iam-simulate; when it does not, the statement does not apply to this request and is removed. The matrix marks a
 * statement decided that way with "(context)".
 */
import { ACTIONS_WITHOUT_POLICY } from "./operator";
import { getDenialReasons, getGrantReasons, runSimulation } from "@cloud-copilot/iam-simulate";
import type { AuthorizationCall } from "./calls";
import { arnAccount } from "./calls";
import { conditionHolds } from "./condition-match";
import type { PolicyDocument, PolicyStatement } from "./policy-documents";

/** AWS's decision. */
export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

/** A call and what AWS would decide. */
export interface CallResult {
  readonly call: AuthorizationCall;
  readonly decision: Decision;
  /** The statements that decided: those that allowed it, the one that denied it, or which policies allowed nothing. */
  readonly decidingStatements: string;
  /** Whether the decision is the expected one. */
  readonly passed: boolean;
}

/** iam-simulate refused the input (an unknown action, a malformed ARN or policy); names the call. */
export class SimulationInputError extends Error {
  constructor(call: AuthorizationCall, detail: string) {
    super(`cannot evaluate ${call.principal.label} ${call.action} on ${call.resource}: ${detail}`);
    this.name = "SimulationInputError";
  }
}

const ENCRYPTION_CONTEXT = /^kms:encryptioncontext:/i;

/** The policy with its encryption-context conditions decided for this request (see the module comment). */
function decideEncryptionContext(policy: PolicyDocument, context: Readonly<Record<string, string>>, decided: Set<string>): PolicyDocument {
  const contextValue = (key: string): string | undefined =>
    Object.entries(context).find(([name]) => name.toLowerCase() === key.toLowerCase())?.[1];
  const statements: PolicyStatement[] = [];
  for (const statement of policy.Statement) {
    if (statement.Condition === undefined) {
      statements.push(statement);
      continue;
    }
    let applies = true;
    let touched = false;
    const remaining: Record<string, Record<string, readonly string[]>> = {};
    for (const [operator, keys] of Object.entries(statement.Condition)) {
      for (const [key, values] of Object.entries(keys)) {
        if (ENCRYPTION_CONTEXT.test(key)) {
          touched = true;
          if (!conditionHolds(operator, key, values, contextValue(key))) applies = false;
        } else {
          (remaining[operator] ??= {})[key] = values;
        }
      }
    }
    if (!touched) {
      statements.push(statement);
      continue;
    }
    if (statement.Sid !== undefined) decided.add(statement.Sid);
    if (!applies) continue;
    const { Condition: _dropped, ...rest } = statement;
    statements.push(Object.keys(remaining).length > 0 ? { ...rest, Condition: remaining } : rest);
  }
  return { ...policy, Statement: statements };
}

function policyLabel(type: string, call: AuthorizationCall, identifier: string | undefined): string {
  switch (type) {
    case "identity":
      return identifier ?? "identity policy";
    case "pb":
      return "permissions boundary";
    case "resource":
      if (call.action.startsWith("kms:")) return "key policy";
      if (call.action.startsWith("lambda:")) return "function policy";
      return call.action.startsWith("sts:") ? "trust policy" : "resource policy";
    default:
      return type;
  }
}

/** Evaluates one call. */
export async function evaluateCall(call: AuthorizationCall): Promise<CallResult> {
  // A call AWS authorizes without evaluating any policy (lib/authz/operator.ts): its rule decides, not iam-simulate.
  const withoutPolicy = ACTIONS_WITHOUT_POLICY[call.action];
  if (withoutPolicy !== undefined) return { call, decision: "Allowed", decidingStatements: withoutPolicy, passed: call.expected === "Allowed" };
  const decided = new Set<string>();
  const prepare = (policy: PolicyDocument): PolicyDocument => decideEncryptionContext(policy, call.context, decided);
  const contextVariables: Record<string, string> = {};
  for (const [key, value] of Object.entries(call.context)) if (!ENCRYPTION_CONTEXT.test(key)) contextVariables[key] = value;

  const response = await runSimulation(
    {
      request: {
        principal: call.principal.principal,
        action: call.action,
        resource: { resource: call.resource, accountId: arnAccount(call.resource) ?? arnAccount(call.principal.principal) ?? "" },
        contextVariables,
      },
      identityPolicies: call.identityPolicies.map((named) => ({ name: named.name, policy: prepare(named.policy) })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(call.resourcePolicy !== undefined ? { resourcePolicy: prepare(call.resourcePolicy) } : {}),
      ...(call.permissionsBoundary !== undefined
        ? { permissionBoundaryPolicies: [{ name: call.permissionsBoundary.name, policy: prepare(call.permissionsBoundary.policy) }] }
        : {}),
    },
    {},
  );
  if (response.resultType === "error") throw new SimulationInputError(call, JSON.stringify(response.errors));
  if (response.resultType !== "single") throw new SimulationInputError(call, "a wildcard resource is not a single request");

  // A context key iam-simulate drops as not applicable would silently weaken a condition: refuse it instead.
  const ignored = response.result.ignoredContextKeys ?? [];
  if (ignored.length > 0) throw new SimulationInputError(call, `context keys not applicable to the action: ${ignored.join(", ")}`);
  const analysis = response.result.analysis;
  const decision = response.overallResult;
  const mark = (sid: string | undefined): string => (sid !== undefined && decided.has(sid) ? `${sid} (context)` : sid ?? "(no sid)");
  let decidingStatements: string;
  if (decision === "Allowed") {
    decidingStatements = getGrantReasons(analysis)
      .map((grant) => `${policyLabel(grant.policyType, call, "policyIdentifier" in grant ? grant.policyIdentifier : undefined)}: ${mark(grant.statementId)}`)
      .join(" + ");
  } else {
    // When iam-simulate names the layers that blocked the request, those are the reason; the others (a same-account
    // resource policy that allows nothing, say) did not decide.
    const all = getDenialReasons(analysis);
    const denials = all.some((denial) => denial.blocking === true) ? all.filter((denial) => denial.blocking === true) : all;
    const explicit = denials.filter((denial) => denial.denialType === "Explicit");
    decidingStatements =
      explicit.length > 0
        ? explicit
            .map((denial) => `denied by ${policyLabel(denial.policyType, call, "policyIdentifier" in denial ? denial.policyIdentifier : undefined)}: ${mark("statementId" in denial ? denial.statementId : undefined)}`)
            .join(" + ")
        : `no allow in ${
            [
              ...new Set(
                denials
                  // A service principal has no identity policy to allow anything: only the resource policy counts.
                  .filter((denial) => denial.policyType !== "identity" || call.identityPolicies.length > 0)
                  .map((denial) => policyLabel(denial.policyType, call, undefined)),
              ),
            ].join(", ") || (call.resourcePolicy === undefined ? "any policy (the resource has none)" : "any policy")
          }`;
  }
  const passed = call.expected === "Allowed" ? decision === "Allowed" : decision !== "Allowed";
  return { call, decision, decidingStatements, passed };
}

/** Evaluates every call, in order. */
export async function evaluateCalls(calls: readonly AuthorizationCall[]): Promise<CallResult[]> {
  const results: CallResult[] = [];
  for (const call of calls) results.push(await evaluateCall(call));
  return results;
}
