import { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";

/** One Allow statement of a role's policy: named actions on named resources. */
export interface PolicyStatementSpec {
  /** A readable statement id, e.g. "WriteIncidents". */
  readonly sid: string;
  /** The actions, each named in full (no wildcards). */
  readonly actions: readonly string[];
  /** The ARNs the actions apply to. */
  readonly resources: readonly string[];
  /** Conditions narrowing the statement further. @default none */
  readonly conditions?: readonly { readonly test: string; readonly variable: string; readonly values: readonly string[] }[];
}

/** Converts a statement spec into the provider's policy-document statement. */
export function toPolicyDocumentStatement(spec: PolicyStatementSpec): DataAwsIamPolicyDocumentStatement {
  return {
    sid: spec.sid,
    effect: "Allow",
    actions: [...spec.actions],
    resources: [...spec.resources],
    ...(spec.conditions && spec.conditions.length > 0
      ? { condition: spec.conditions.map((c) => ({ test: c.test, variable: c.variable, values: [...c.values] })) }
      : {}),
  };
}
