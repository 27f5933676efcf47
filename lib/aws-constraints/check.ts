/**
 * Checks a synthesized app against AWS's request constraints ({@link ARGUMENT_RULES}) and the documented quotas
 * ({@link QUOTAS}): every argument a rule names, every policy's size, the uniqueness of Lambda statement ids per
 * function, and the dashboard's Logs Insights queries. What synthesis cannot know stays unresolved and is counted,
 * not guessed.
 */
import { ARGUMENT_RULES, ArgumentRule, FieldConstraint } from "./fields";
import { QUOTAS } from "./quotas";
import { Resolver, StackJson, SynthesizedApp } from "./resolve";

export type { SynthesizedApp, StackJson } from "./resolve";

/** One value AWS would refuse. */
export interface Violation {
  readonly stack: string;
  /** `<type>.<name>` of the resource. */
  readonly resource: string;
  /** The argument, or the quota's subject. */
  readonly argument: string;
  /** What is wrong, with the value or the figure. */
  readonly problem: string;
  /** The model shape or documentation page of the rule. */
  readonly source: string;
}

/** What a check found. */
export interface CheckReport {
  readonly violations: readonly Violation[];
  /** Values checked against a rule. */
  readonly checked: number;
  /** Values skipped because a reference could not be resolved at synthesis. */
  readonly unresolved: number;
  /** Sizes measured, by subject (`lambda-policy:<function>`, `iam-managed:<policy>`...), for reports and tests. */
  readonly sizes: Readonly<Record<string, number>>;
}

/** Values at a rule's argument path: `a.b`, `list[]` (each member), `map{}` (each value); lists are walked through. */
export function valuesAt(resource: StackJson, path: string): unknown[] {
  let current: unknown[] = [resource];
  for (const segment of path.split(".")) {
    const members = segment.endsWith("[]");
    const mapValues = segment.endsWith("{}");
    const key = members || mapValues ? segment.slice(0, -2) : segment;
    const next: unknown[] = [];
    for (const value of current) {
      for (const holder of Array.isArray(value) ? value : [value]) {
        if (holder === null || typeof holder !== "object") continue;
        const inner = (holder as Record<string, unknown>)[key];
        if (inner === undefined) continue;
        if (members) next.push(...(Array.isArray(inner) ? inner : [inner]));
        else if (mapValues && inner !== null && typeof inner === "object") next.push(...Object.values(inner));
        else next.push(inner);
      }
    }
    current = next;
  }
  return current;
}

/** Why a value breaks a constraint, or `undefined`. */
export function constraintProblem(kind: ArgumentRule["kind"], value: unknown, constraint: FieldConstraint): string | undefined {
  if (kind === "list") {
    if (!Array.isArray(value)) return undefined;
    if (constraint.min !== undefined && value.length < constraint.min) return `has ${value.length} members; at least ${constraint.min}`;
    if (constraint.max !== undefined && value.length > constraint.max) return `has ${value.length} members; at most ${constraint.max}`;
    return undefined;
  }
  if (kind === "number") {
    if (typeof value !== "number") return undefined;
    if (constraint.enum !== undefined && !constraint.enum.includes(value)) return `${value} is not one of ${constraint.enum.join(", ")}`;
    if (constraint.min !== undefined && value < constraint.min) return `${value} is below ${constraint.min}`;
    if (constraint.max !== undefined && value > constraint.max) return `${value} is above ${constraint.max}`;
    return undefined;
  }
  if (typeof value !== "string") return undefined;
  const shown = JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (constraint.enum !== undefined && !constraint.enum.includes(value)) return `${shown} is not one of ${constraint.enum.join(", ")}`;
  if (constraint.min !== undefined && value.length < constraint.min) return `${shown} has ${value.length} characters; at least ${constraint.min}`;
  if (constraint.max !== undefined && value.length > constraint.max) return `${shown} has ${value.length} characters; at most ${constraint.max}`;
  if (constraint.pattern !== undefined && !new RegExp(`^(?:${constraint.pattern})$`, "u").test(value)) return `${shown} does not match ${constraint.pattern}`;
  return undefined;
}

/** An IAM policy document (as AWS stores it) from a `data.aws_iam_policy_document` block, or `undefined` if unresolved. */
export function renderPolicyDocument(resolver: Resolver, stack: string, block: StackJson): Record<string, unknown> | undefined {
  let unresolved = false;
  const str = (value: unknown): string => {
    const resolved = typeof value === "string" ? resolver.resolve(stack, value) : String(value);
    if (resolved === undefined) unresolved = true;
    return resolved ?? "";
  };
  const oneOrMany = (values: readonly unknown[]) => (values.length === 1 ? str(values[0]) : values.map(str));
  const statements = ((block.statement ?? []) as StackJson[]).map((statement) => {
    const out: Record<string, unknown> = {};
    if (statement.sid !== undefined) out.Sid = str(statement.sid);
    out.Effect = statement.effect ?? "Allow";
    if (statement.actions !== undefined) out.Action = oneOrMany(statement.actions);
    if (statement.not_actions !== undefined) out.NotAction = oneOrMany(statement.not_actions);
    if (statement.resources !== undefined) out.Resource = oneOrMany(statement.resources);
    if (statement.not_resources !== undefined) out.NotResource = oneOrMany(statement.not_resources);
    if (statement.principals !== undefined) {
      const principals = statement.principals as { type: string; identifiers: string[] }[];
      out.Principal = principals.length === 1 && principals[0]?.type === "*" ? "*" : Object.fromEntries(principals.map((p) => [p.type, oneOrMany(p.identifiers)]));
    }
    if (statement.condition !== undefined) {
      const condition: Record<string, Record<string, unknown>> = {};
      for (const c of statement.condition as { test: string; variable: string; values: string[] }[]) {
        (condition[c.test] ??= {})[c.variable] = oneOrMany(c.values);
      }
      out.Condition = condition;
    }
    return out;
  });
  return unresolved ? undefined : { Version: "2012-10-17", Statement: statements };
}

/** Characters of a policy as IAM counts them: compact JSON ("IAM doesn't count white space"). */
export function policyCharacters(document: unknown): number {
  return JSON.stringify(document).length;
}

/** Checks every stack of the app. */
export function checkApp(app: SynthesizedApp): CheckReport {
  const resolver = new Resolver(app);
  const violations: Violation[] = [];
  const sizes: Record<string, number> = {};
  let checked = 0;
  let unresolved = 0;

  const policyOf = (stack: string, json: StackJson, value: unknown): unknown => {
    if (typeof value !== "string") return undefined;
    const reference = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(value);
    if (reference !== null) {
      const block = json.data?.aws_iam_policy_document?.[reference[1] as string];
      return block === undefined ? undefined : renderPolicyDocument(resolver, stack, block);
    }
    const resolved = resolver.resolve(stack, value);
    if (resolved === undefined) return undefined;
    try {
      return JSON.parse(resolved);
    } catch {
      return undefined;
    }
  };
  const quota = (stack: string, resource: string, subject: string, size: number | undefined, limit: { limit: number; source: string }, unit: string) => {
    if (size === undefined) {
      unresolved++;
      return;
    }
    sizes[subject] = size;
    checked++;
    if (size > limit.limit) violations.push({ stack, resource, argument: subject, problem: `is ${size} ${unit}; the quota is ${limit.limit}`, source: limit.source });
  };

  for (const [stack, json] of Object.entries(app.stacks)) {
    const resources = (json.resource ?? {}) as Record<string, Record<string, StackJson>>;
    // The argument rules.
    for (const rule of ARGUMENT_RULES) {
      for (const [name, resource] of Object.entries(resources[rule.resource] ?? {})) {
        for (const raw of valuesAt(resource, rule.argument)) {
          let value = raw;
          if (typeof raw === "string" && raw.includes("${")) {
            value = resolver.resolve(stack, raw);
            if (value === undefined) {
              unresolved++;
              continue;
            }
          }
          checked++;
          const problem = constraintProblem(rule.kind, value, rule.constraint);
          if (problem !== undefined) {
            violations.push({ stack, resource: `${rule.resource}.${name}`, argument: rule.argument, problem: `${rule.apiField}: ${problem}`, source: rule.constraint.source });
          }
        }
      }
    }

    // Lambda: statement ids unique per function, and the function policy within 20 KB.
    const byFunction = new Map<string, { sid: string; statement: Record<string, unknown>; resource: string }[]>();
    for (const [name, permission] of Object.entries(resources.aws_lambda_permission ?? {})) {
      const fn = resolver.resolve(stack, String(permission.function_name));
      const sid = resolver.resolve(stack, String(permission.statement_id));
      if (fn === undefined || sid === undefined) {
        unresolved++;
        continue;
      }
      const sourceArn = permission.source_arn === undefined ? undefined : resolver.resolve(stack, String(permission.source_arn));
      const sourceAccount = permission.source_account === undefined ? undefined : resolver.resolve(stack, String(permission.source_account));
      const region = app.region;
      const partition = resolver.resolve(stack, "${data.aws_partition.p.partition}") ?? "aws";
      const functionArn = fn.startsWith("arn:") ? fn : `arn:${partition}:lambda:${region}:123456789012:function:${fn}`;
      const condition: Record<string, Record<string, string>> = {};
      if (sourceAccount !== undefined) condition.StringEquals = { "AWS:SourceAccount": sourceAccount };
      if (sourceArn !== undefined) condition.ArnLike = { "AWS:SourceArn": sourceArn };
      const statement = {
        Sid: sid,
        Effect: "Allow",
        Principal: { Service: resolver.resolve(stack, String(permission.principal)) ?? String(permission.principal) },
        Action: permission.action,
        Resource: functionArn,
        ...(Object.keys(condition).length === 0 ? {} : { Condition: condition }),
      };
      const list = byFunction.get(fn) ?? [];
      list.push({ sid, statement, resource: `aws_lambda_permission.${name}` });
      byFunction.set(fn, list);
    }
    for (const [fn, statements] of byFunction) {
      const seen = new Map<string, string>();
      for (const { sid, resource } of statements) {
        checked++;
        const other = seen.get(sid);
        if (other !== undefined) {
          violations.push({ stack, resource, argument: "statement_id", problem: `lambda.AddPermission.StatementId: "${sid}" is already the id of ${other} on ${fn}: statement ids are unique per function`, source: "Lambda API Reference, AddPermission (ResourceConflictException for an existing StatementId)" });
        }
        seen.set(sid, resource);
      }
      const document = { Version: "2012-10-17", Id: "default", Statement: statements.map((s) => s.statement) };
      quota(stack, `lambda function ${fn}`, `lambda-policy:${fn}`, Buffer.byteLength(JSON.stringify(document), "utf8"), QUOTAS.lambdaFunctionPolicyBytes, "bytes");
    }

    // IAM: managed policies, trust policies, and each role's inline policies together.
    for (const [name, policy] of Object.entries(resources.aws_iam_policy ?? {})) {
      const document = policyOf(stack, json, policy.policy);
      quota(stack, `aws_iam_policy.${name}`, `iam-managed:${resolver.resolve(stack, String(policy.name)) ?? name}`, document === undefined ? undefined : policyCharacters(document), QUOTAS.iamManagedPolicyCharacters, "characters");
    }
    for (const [name, role] of Object.entries(resources.aws_iam_role ?? {})) {
      const document = policyOf(stack, json, role.assume_role_policy);
      quota(stack, `aws_iam_role.${name}`, `iam-trust:${resolver.resolve(stack, String(role.name)) ?? name}`, document === undefined ? undefined : policyCharacters(document), QUOTAS.iamTrustPolicyCharacters, "characters");
    }
    const inline = new Map<string, number | undefined>();
    for (const policy of Object.values(resources.aws_iam_role_policy ?? {})) {
      const role = resolver.resolve(stack, String(policy.role)) ?? String(policy.role);
      const document = policyOf(stack, json, policy.policy);
      const previous = inline.has(role) ? inline.get(role) : 0;
      inline.set(role, previous === undefined || document === undefined ? undefined : previous + policyCharacters(document));
    }
    for (const [role, size] of inline) quota(stack, `role ${role}`, `iam-inline:${role}`, size, QUOTAS.iamRoleInlinePoliciesCharacters, "characters");

    // KMS key policies and CloudWatch Logs destination policies.
    for (const [name, key] of Object.entries(resources.aws_kms_key ?? {})) {
      const document = policyOf(stack, json, key.policy);
      quota(stack, `aws_kms_key.${name}`, `kms-key-policy:${name}`, document === undefined ? undefined : Buffer.byteLength(JSON.stringify(document), "utf8"), QUOTAS.kmsKeyPolicyBytes, "bytes");
    }
    for (const [name, destination] of Object.entries(resources.aws_cloudwatch_log_destination_policy ?? {})) {
      const document = policyOf(stack, json, destination.access_policy);
      quota(stack, `aws_cloudwatch_log_destination_policy.${name}`, `destination-policy:${name}`, document === undefined ? undefined : Buffer.byteLength(JSON.stringify(document), "utf8"), QUOTAS.logsDestinationPolicyBytes, "bytes");
    }

    // Dashboards: each log widget's query goes through StartQuery (10,000 characters).
    for (const [name, dashboard] of Object.entries(resources.aws_cloudwatch_dashboard ?? {})) {
      const body = JSON.parse(String(dashboard.dashboard_body)) as { widgets: { type: string; properties: { query?: string; title?: string } }[] };
      body.widgets.forEach((widget, index) => {
        if (widget.type !== "log" || widget.properties.query === undefined) return;
        const query = resolver.resolve(stack, widget.properties.query);
        quota(stack, `aws_cloudwatch_dashboard.${name}`, `insights-query:${name}#${index}`, query?.length, QUOTAS.insightsQueryCharacters, "characters");
      });
    }
  }
  return { violations, checked, unresolved, sizes };
}

/** A name AWS keeps unique per account across regions, with what holds it. */
export interface GlobalName {
  readonly kind: "iam-role" | "iam-policy" | "chatbot-configuration" | "budget" | "s3-bucket" | "dashboard";
  readonly name: string;
  readonly stack: string;
}

/**
 * The account-global names an app creates: IAM role and policy names (IAM names are global), Chatbot configuration
 * names (no region in their ARN), budget names (unique per account), dashboard names ("All dashboards in your account
 * are global": PutDashboard), and S3 bucket names (global across all accounts).
 */
export function accountGlobalNames(app: SynthesizedApp): GlobalName[] {
  const resolver = new Resolver(app);
  const kinds: [GlobalName["kind"], string, string][] = [
    ["iam-role", "aws_iam_role", "name"],
    ["iam-policy", "aws_iam_policy", "name"],
    ["chatbot-configuration", "aws_chatbot_slack_channel_configuration", "configuration_name"],
    ["chatbot-configuration", "aws_chatbot_teams_channel_configuration", "configuration_name"],
    ["budget", "aws_budgets_budget", "name"],
    ["s3-bucket", "aws_s3_bucket", "bucket"],
    ["dashboard", "aws_cloudwatch_dashboard", "dashboard_name"],
  ];
  const names: GlobalName[] = [];
  for (const [stack, json] of Object.entries(app.stacks)) {
    for (const [kind, type, argument] of kinds) {
      for (const resource of Object.values((json.resource?.[type] ?? {}) as Record<string, StackJson>)) {
        const name = resolver.resolve(stack, String(resource[argument]));
        if (name !== undefined) names.push({ kind, name, stack });
      }
    }
  }
  return names;
}
