/**
 * Security rules over synthesized Terraform JSON. Each rule is a small named function returning the
 * violations it finds, so that the suite can prove each one fails on a bad fixture. The Checkov ids name
 * the closest corresponding check, so that a scanner's findings can be mapped back here.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Stack = Record<string, any>;

/** One rule: what it checks, the Checkov checks it corresponds to, and its check. */
export interface PolicyRule {
  readonly name: string;
  readonly checkov: readonly string[];
  readonly check: (stack: Stack) => string[];
}

/** An IAM statement, normalised from a policy document data source or a JSON policy string. */
export interface Statement {
  readonly where: string;
  readonly effect: string;
  readonly actions: string[];
  readonly resources: string[];
  readonly principals: { type: string; identifiers: string[] }[];
  readonly conditions: { test: string; variable: string; values: string[] }[];
  /** Whether the statement belongs to a KMS key policy, where "*" as a resource means "this key". */
  readonly inKeyPolicy: boolean;
}

/**
 * Allow statements that may use "*" as a resource because the action supports no narrower one.
 * Each entry is documented in the README's Security section.
 */
export const STAR_RESOURCE_ACTIONS: ReadonlySet<string> = new Set(["xray:PutTraceSegments", "xray:PutTelemetryRecords"]);

const entries = (stack: Stack, kind: "resource" | "data", type: string): [string, Stack][] =>
  Object.entries(stack[kind]?.[type] ?? {});

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Every IAM statement of a stack: policy document data sources and literal JSON policies. */
export function statementsOf(stack: Stack): Statement[] {
  const keyPolicyDocuments = new Set(
    entries(stack, "resource", "aws_kms_key")
      .map(([, key]) => /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(key.policy ?? "")?.[1])
      .filter((name): name is string => name !== undefined),
  );
  const fromDocuments = entries(stack, "data", "aws_iam_policy_document").flatMap(([name, document]) =>
    asArray(document.statement).map(
      (statement: Stack): Statement => ({
        where: `data.aws_iam_policy_document.${name} (${statement.sid ?? "no sid"})`,
        effect: statement.effect ?? "Allow",
        actions: asArray(statement.actions),
        resources: asArray(statement.resources),
        principals: asArray(statement.principals),
        conditions: asArray(statement.condition),
        inKeyPolicy: keyPolicyDocuments.has(name),
      }),
    ),
  );

  const literalPolicies: [string, string, boolean][] = [
    ...entries(stack, "resource", "aws_iam_role_policy").map(([n, r]): [string, string, boolean] => [`aws_iam_role_policy.${n}`, r.policy, false]),
    ...entries(stack, "resource", "aws_iam_policy").map(([n, r]): [string, string, boolean] => [`aws_iam_policy.${n}`, r.policy, false]),
    ...entries(stack, "resource", "aws_iam_role").map(([n, r]): [string, string, boolean] => [`aws_iam_role.${n}`, r.assume_role_policy, false]),
    ...entries(stack, "resource", "aws_kms_key").map(([n, r]): [string, string, boolean] => [`aws_kms_key.${n}`, r.policy, true]),
    ...entries(stack, "resource", "aws_sns_topic_policy").map(([n, r]): [string, string, boolean] => [`aws_sns_topic_policy.${n}`, r.policy, false]),
    ...entries(stack, "resource", "aws_sqs_queue_policy").map(([n, r]): [string, string, boolean] => [`aws_sqs_queue_policy.${n}`, r.policy, false]),
    ...entries(stack, "resource", "aws_cloudwatch_log_destination_policy").map(([n, r]): [string, string, boolean] => [
      `aws_cloudwatch_log_destination_policy.${n}`,
      r.access_policy,
      false,
    ]),
  ];
  const fromLiterals = literalPolicies.flatMap(([where, policy, inKeyPolicy]) => {
    if (typeof policy !== "string" || policy.startsWith("${")) return [];
    const document = JSON.parse(policy);
    return asArray(document.Statement).map(
      (statement: Stack): Statement => ({
        where: `${where} (${statement.Sid ?? "no sid"})`,
        effect: statement.Effect,
        actions: asArray(statement.Action),
        resources: asArray(statement.Resource),
        principals:
          statement.Principal === "*"
            ? [{ type: "*", identifiers: ["*"] }]
            : Object.entries(statement.Principal ?? {}).map(([type, ids]) => ({ type, identifiers: asArray(ids as string | string[]) })),
        conditions: Object.entries(statement.Condition ?? {}).flatMap(([test, pairs]) =>
          Object.entries(pairs as Record<string, string | string[]>).map(([variable, values]) => ({ test, variable, values: asArray(values) })),
        ),
        inKeyPolicy,
      }),
    );
  });
  return [...fromDocuments, ...fromLiterals];
}

const allows = (stack: Stack) => statementsOf(stack).filter((s) => s.effect === "Allow");

export const RULES: readonly PolicyRule[] = [
  {
    name: "every Allow statement names its actions: no '*' or 'service:*', no wildcards",
    checkov: ["CKV_AWS_62", "CKV_AWS_63"],
    check: (stack) =>
      allows(stack).flatMap((s) => s.actions.filter((a) => a.includes("*")).map((a) => `${s.where}: action ${a}`)),
  },
  {
    name: "every Allow statement names its resources: '*' only for actions with no resource-level permissions, or in a key policy",
    checkov: ["CKV_AWS_290", "CKV_AWS_355"],
    check: (stack) =>
      allows(stack)
        .filter((s) => !s.inKeyPolicy && s.principals.length === 0)
        .flatMap((s) =>
          s.resources.includes("*") && !s.actions.every((a) => STAR_RESOURCE_ACTIONS.has(a))
            ? [`${s.where}: resource * for ${s.actions.join(", ")}`]
            : [],
        ),
  },
  {
    // A '*' principal limited to one organization (aws:PrincipalOrgID, the cross-account destination's policy with
    // LOG_MONITOR_ORGANIZATION_ID) is not public: AWS documents it for exactly this use.
    name: "no resource policy allows a public ('*') principal",
    checkov: ["CKV_AWS_33", "CKV_AWS_168", "CKV_AWS_169"],
    check: (stack) =>
      allows(stack).flatMap((s) =>
        s.principals.some((p) => p.identifiers.includes("*")) &&
        !s.conditions.some((c) => c.test === "StringEquals" && c.variable === "aws:PrincipalOrgID" && c.values.length > 0 && !c.values.includes("*"))
          ? [`${s.where}: Allow for principal *`]
          : [],
      ),
  },
  {
    name: "no AWS-managed admin or full-access policy is attached",
    checkov: ["CKV_AWS_274"],
    check: (stack) => [
      ...entries(stack, "resource", "aws_iam_role_policy_attachment")
        .filter(([, a]) => /AdministratorAccess|FullAccess|PowerUserAccess/.test(a.policy_arn))
        .map(([n, a]) => `aws_iam_role_policy_attachment.${n}: ${a.policy_arn}`),
      ...entries(stack, "resource", "aws_iam_role")
        .filter(([, r]) => asArray(r.managed_policy_arns).some((arn: string) => /AdministratorAccess|FullAccess|PowerUserAccess/.test(arn)))
        .map(([n]) => `aws_iam_role.${n}: managed admin policy`),
    ],
  },
  {
    name: "SNS topics are encrypted with a customer-managed key (alias/aws/sns drops alarm notifications)",
    checkov: ["CKV_AWS_26"],
    check: (stack) =>
      entries(stack, "resource", "aws_sns_topic")
        .filter(([, t]) => !t.kms_master_key_id || /alias\/aws\//.test(t.kms_master_key_id))
        .map(([n]) => `aws_sns_topic.${n}: not encrypted with a customer-managed key`),
  },
  {
    name: "SQS queues are encrypted with KMS",
    checkov: ["CKV_AWS_27"],
    check: (stack) =>
      entries(stack, "resource", "aws_sqs_queue")
        .filter(([, q]) => !q.kms_master_key_id || /alias\/aws\//.test(q.kms_master_key_id))
        .map(([n]) => `aws_sqs_queue.${n}: not encrypted with a customer-managed key`),
  },
  {
    name: "DynamoDB tables are encrypted with a customer-managed key and keep point-in-time recovery",
    checkov: ["CKV_AWS_119", "CKV_AWS_28"],
    check: (stack) =>
      entries(stack, "resource", "aws_dynamodb_table").flatMap(([n, t]) => [
        ...(t.server_side_encryption?.enabled === true && t.server_side_encryption?.kms_key_arn ? [] : [`aws_dynamodb_table.${n}: no KMS encryption`]),
        ...(t.point_in_time_recovery?.enabled === true ? [] : [`aws_dynamodb_table.${n}: no point-in-time recovery`]),
      ]),
  },
  {
    name: "KMS keys rotate and have an explicit key policy",
    checkov: ["CKV_AWS_7", "CKV2_AWS_64"],
    check: (stack) =>
      entries(stack, "resource", "aws_kms_key").flatMap(([n, k]) => [
        ...(k.enable_key_rotation === true ? [] : [`aws_kms_key.${n}: rotation off`]),
        ...(k.policy ? [] : [`aws_kms_key.${n}: no key policy`]),
      ]),
  },
  {
    name: "every log group has a retention and a KMS key",
    checkov: ["CKV_AWS_66", "CKV_AWS_158"],
    check: (stack) =>
      entries(stack, "resource", "aws_cloudwatch_log_group").flatMap(([n, g]) => [
        ...(Number(g.retention_in_days) > 0 ? [] : [`aws_cloudwatch_log_group.${n}: no retention`]),
        ...(g.kms_key_id ? [] : [`aws_cloudwatch_log_group.${n}: no KMS key`]),
      ]),
  },
  {
    // CKV_AWS_115 (reserved concurrency) is exempt on purpose: an account still on the new-account quota of 10
    // refuses any reservation, so reserving is opt-in (LOG_MONITOR_RESERVED_CONCURRENCY; README, Security).
    name: "every function traces with X-Ray and logs to a log group of its stack",
    checkov: ["CKV_AWS_50"],
    check: (stack) =>
      entries(stack, "resource", "aws_lambda_function").flatMap(([n, f]) => {
        const logGroup = /^\$\{aws_cloudwatch_log_group\.([^.]+)\.name\}$/.exec(f.logging_config?.log_group ?? "")?.[1];
        return [
          ...(f.tracing_config?.mode === "Active" ? [] : [`aws_lambda_function.${n}: tracing not active`]),
          ...(logGroup && stack.resource?.aws_cloudwatch_log_group?.[logGroup] ? [] : [`aws_lambda_function.${n}: no log group of its own`]),
        ];
      }),
  },
  {
    name: "asynchronously invoked functions keep failed events (dead-letter queue or on-failure destination)",
    checkov: ["CKV_AWS_116"],
    check: (stack) => {
      const invokedByLogs = new Set(
        entries(stack, "resource", "aws_lambda_permission")
          .filter(([, p]) => /^logs\./.test(p.principal))
          .map(([, p]) => /^\$\{aws_lambda_function\.([^.]+)\./.exec(p.function_name)?.[1]),
      );
      const withDestination = new Set(
        entries(stack, "resource", "aws_lambda_function_event_invoke_config")
          .filter(([, c]) => c.destination_config?.on_failure?.destination)
          .map(([, c]) => /^\$\{aws_lambda_function\.([^.]+)\./.exec(c.function_name)?.[1]),
      );
      return [...invokedByLogs]
        .filter((n): n is string => n !== undefined)
        .filter((n) => !stack.resource.aws_lambda_function[n]?.dead_letter_config?.target_arn && !withDestination.has(n))
        .map((n) => `aws_lambda_function.${n}: invoked asynchronously but keeps no failed events`);
    },
  },
  {
    name: "Lambda invoke permissions for AWS services are scoped by source ARN and source account",
    checkov: ["CKV_AWS_364"],
    check: (stack) =>
      entries(stack, "resource", "aws_lambda_permission")
        .filter(([, p]) => /\.amazonaws\.com$/.test(p.principal) && (!p.source_arn || !p.source_account))
        .map(([n]) => `aws_lambda_permission.${n}: not scoped by source ARN and account`),
  },
  {
    name: "resource policies of the topic and the queue deny requests without TLS",
    checkov: [],
    check: (stack) => {
      const deniesInsecure = (name: string) =>
        statementsOf(stack).some(
          (s) =>
            s.where.startsWith(`data.aws_iam_policy_document.${name} `) &&
            s.effect === "Deny" &&
            s.conditions.some((c) => c.variable === "aws:SecureTransport" && c.values.includes("false")),
        );
      const documentOf = (policy: string) => /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(policy ?? "")?.[1];
      return [
        ...entries(stack, "resource", "aws_sns_topic_policy"),
        ...entries(stack, "resource", "aws_sqs_queue_policy"),
      ]
        .filter(([, p]) => {
          const document = documentOf(p.policy);
          return !document || !deniesInsecure(document);
        })
        .map(([n]) => `${n}: does not deny requests without TLS`);
    },
  },
  {
    name: "S3 buckets are versioned, encrypted, private, TLS-only, and expire old versions",
    checkov: ["CKV_AWS_21", "CKV_AWS_145", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "CKV2_AWS_6", "CKV2_AWS_61"],
    check: (stack) => {
      const bucketRef = (name: string) => `\${aws_s3_bucket.${name}.id}`;
      const forBucket = (type: string, name: string) =>
        entries(stack, "resource", type).filter(([, r]) => r.bucket === bucketRef(name)).map(([, r]) => r);
      return entries(stack, "resource", "aws_s3_bucket").flatMap(([n]) => {
        const versioning = forBucket("aws_s3_bucket_versioning", n)[0];
        const encryption = forBucket("aws_s3_bucket_server_side_encryption_configuration", n)[0];
        const block = forBucket("aws_s3_bucket_public_access_block", n)[0];
        const lifecycle = forBucket("aws_s3_bucket_lifecycle_configuration", n)[0];
        const policy = forBucket("aws_s3_bucket_policy", n)[0];
        const policyDocument = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(policy?.policy ?? "")?.[1];
        const deniesInsecure = statementsOf(stack).some(
          (st) =>
            st.where.startsWith(`data.aws_iam_policy_document.${policyDocument} `) &&
            st.effect === "Deny" &&
            st.conditions.some((c) => c.variable === "aws:SecureTransport" && c.values.includes("false")),
        );
        return [
          ...(versioning?.versioning_configuration?.status === "Enabled" ? [] : [`aws_s3_bucket.${n}: not versioned`]),
          ...(asArray(encryption?.rule)[0]?.apply_server_side_encryption_by_default?.sse_algorithm === "aws:kms"
            ? []
            : [`aws_s3_bucket.${n}: not encrypted with KMS`]),
          ...(block && block.block_public_acls && block.block_public_policy && block.ignore_public_acls && block.restrict_public_buckets
            ? []
            : [`aws_s3_bucket.${n}: public access not fully blocked`]),
          ...(asArray(lifecycle?.rule).some((r: Stack) => r.status === "Enabled" && asArray(r.noncurrent_version_expiration).length > 0)
            ? []
            : [`aws_s3_bucket.${n}: old versions never expire`]),
          ...(deniesInsecure ? [] : [`aws_s3_bucket.${n}: does not deny requests without TLS`]),
        ];
      });
    },
  },
  {
    name: "the provider tags every resource with project, environment and managed-by",
    checkov: [],
    check: (stack) =>
      asArray(stack.provider?.aws).flatMap((provider: Stack) => {
        const tags = asArray(provider.default_tags)[0]?.tags ?? {};
        return ["Project", "Environment", "ManagedBy"].filter((t) => !tags[t]).map((t) => `provider aws: no default tag ${t}`);
      }),
  },
];
