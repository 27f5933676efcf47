/**
 * Turns the policies of a synthesized app back into the IAM JSON documents AWS would store: the
 * `data.aws_iam_policy_document` blocks a resource argument references (or a literal JSON policy), with every
 * `${...}` resolved to its deployed value, and the `aws_lambda_permission` resources of a function gathered into
 * the resource policy Lambda builds from them.
 */
import type { SynthesizedApp } from "../simulate/synthesized-app";
import {
  blockOf,
  isJsonObject,
  ResourceRef,
  resolveArgument,
  resolveString,
  resourcesOfType,
} from "../simulate/terraform-references";

/** A policy statement in IAM's JSON grammar. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: "*" | Readonly<Record<string, string | readonly string[]>>;
  readonly NotPrincipal?: Readonly<Record<string, string | readonly string[]>>;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

/** A policy document in IAM's JSON grammar. */
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

/** A policy argument the proof cannot turn into a document; names the argument and the reason. */
export class PolicyConversionError extends Error {
  constructor(where: string, reason: string) {
    super(`cannot read the policy of ${where}: ${reason}`);
    this.name = "PolicyConversionError";
  }
}

const POLICY_DOCUMENT_REFERENCE = /^\$\{data\.aws_iam_policy_document\.([^.}]+)\.json\}$/;

/**
 * The policy document a resource argument holds (`aws_iam_role_policy.policy`, `aws_kms_key.policy`, ...), resolved.
 *
 * @throws PolicyConversionError when the argument is absent or is neither a policy-document reference nor JSON.
 */
export function policyOfArgument(app: SynthesizedApp, resource: ResourceRef, argument: string): PolicyDocument {
  const where = `${resource.address} ${argument}`;
  const value = resource.config[argument];
  if (typeof value !== "string") throw new PolicyConversionError(where, "the argument is not set");
  const documentName = POLICY_DOCUMENT_REFERENCE.exec(value)?.[1];
  if (documentName !== undefined) return policyDocumentData(app, resource.stackId, documentName);
  const resolved = resolveArgument(app, resource, argument);
  try {
    return JSON.parse(resolved) as PolicyDocument;
  } catch {
    throw new PolicyConversionError(where, "it is neither a data.aws_iam_policy_document reference nor JSON");
  }
}

/** Converts one `data.aws_iam_policy_document` block of a stack into the JSON document it renders. */
export function policyDocumentData(app: SynthesizedApp, stackId: string, name: string): PolicyDocument {
  const where = `${stackId}/data.aws_iam_policy_document.${name}`;
  const data = blockOf(blockOf(blockOf(app.stacks[stackId]?.json.data)?.aws_iam_policy_document)?.[name]);
  if (data === undefined) throw new PolicyConversionError(where, "no such data source");
  const statements = Array.isArray(data.statement) ? data.statement : data.statement === undefined ? [] : [data.statement];
  return {
    Version: "2012-10-17",
    Statement: statements.map((statement, index) => {
      if (!isJsonObject(statement)) throw new PolicyConversionError(where, `statement ${index} is not an object`);
      return convertStatement(app, stackId, statement, `${where} statement ${index}`);
    }),
  };
}

function convertStatement(app: SynthesizedApp, stackId: string, statement: Readonly<Record<string, unknown>>, where: string): PolicyStatement {
  const strings = (key: string): string[] | undefined => {
    const value = statement[key];
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || !value.every((item): item is string => typeof item === "string")) {
      throw new PolicyConversionError(where, `${key} is not a list of strings`);
    }
    return value.map((item) => resolveString(app, stackId, item, where));
  };
  const principals = (key: string): PolicyStatement["Principal"] | undefined => {
    const value = statement[key];
    if (value === undefined) return undefined;
    const blocks = Array.isArray(value) ? value : [value];
    const byType: Record<string, string[]> = {};
    for (const block of blocks) {
      if (!isJsonObject(block) || typeof block.type !== "string" || !Array.isArray(block.identifiers)) {
        throw new PolicyConversionError(where, `${key} needs a type and identifiers`);
      }
      // The provider renders `type = "*"`, `identifiers = ["*"]` as the bare `"Principal": "*"`.
      if (block.type === "*") return "*";
      const ids = block.identifiers.map((id) => resolveString(app, stackId, String(id), where));
      byType[block.type] = [...(byType[block.type] ?? []), ...ids];
    }
    return byType;
  };
  const conditions: Record<string, Record<string, string[]>> = {};
  const conditionValue = statement.condition;
  for (const block of Array.isArray(conditionValue) ? conditionValue : conditionValue === undefined ? [] : [conditionValue]) {
    if (!isJsonObject(block) || typeof block.test !== "string" || typeof block.variable !== "string" || !Array.isArray(block.values)) {
      throw new PolicyConversionError(where, "a condition needs test, variable and values");
    }
    const operator = (conditions[block.test] ??= {});
    // Two blocks with one operator and key cannot be one JSON object; the provider refuses them too.
    if (operator[block.variable] !== undefined) {
      throw new PolicyConversionError(where, `condition ${block.test} ${block.variable} is given twice`);
    }
    operator[block.variable] = block.values.map((v) => resolveString(app, stackId, String(v), where));
  }
  const effect = statement.effect ?? "Allow";
  if (effect !== "Allow" && effect !== "Deny") throw new PolicyConversionError(where, `effect ${String(effect)} is not Allow or Deny`);
  const sid = statement.sid;
  const principal = principals("principals");
  const notPrincipal = principals("not_principals");
  const action = strings("actions");
  const notAction = strings("not_actions");
  const resource = strings("resources");
  const notResource = strings("not_resources");
  return {
    ...(typeof sid === "string" && sid !== "" ? { Sid: sid } : {}),
    Effect: effect,
    ...(principal !== undefined ? { Principal: principal } : {}),
    ...(notPrincipal !== undefined && notPrincipal !== "*" ? { NotPrincipal: notPrincipal } : {}),
    ...(action !== undefined ? { Action: action } : {}),
    ...(notAction !== undefined ? { NotAction: notAction } : {}),
    ...(resource !== undefined ? { Resource: resource } : {}),
    ...(notResource !== undefined ? { NotResource: notResource } : {}),
    ...(Object.keys(conditions).length > 0 ? { Condition: conditions } : {}),
  };
}

/** The ARN of a function, as `aws_lambda_permission.function_name` may give it (a name or an ARN). */
function functionArnOf(nameOrArn: string, region: string, account: string): string {
  return nameOrArn.startsWith("arn:") ? nameOrArn : `arn:aws:lambda:${region}:${account}:function:${nameOrArn}`;
}

/**
 * The resource policy Lambda builds for a function from its `aws_lambda_permission` resources (AddPermission):
 * one statement each, `Sid` = `statement_id`, `source_arn` as `ArnLike AWS:SourceArn`, `source_account` as
 * `StringEquals AWS:SourceAccount`. Undefined when the function has no permission.
 */
export function lambdaResourcePolicy(
  app: SynthesizedApp,
  functionArn: string,
  region: string,
  account: string,
): PolicyDocument | undefined {
  const statements: PolicyStatement[] = [];
  for (const permission of resourcesOfType(app, "aws_lambda_permission")) {
    const target = functionArnOf(resolveArgument(app, permission, "function_name"), region, account);
    if (target !== functionArn) continue;
    const principal = resolveArgument(app, permission, "principal");
    const condition: Record<string, Record<string, string[]>> = {};
    if (typeof permission.config.source_arn === "string") {
      condition.ArnLike = { "AWS:SourceArn": [resolveArgument(app, permission, "source_arn")] };
    }
    if (typeof permission.config.source_account === "string") {
      condition.StringEquals = { "AWS:SourceAccount": [resolveArgument(app, permission, "source_account")] };
    }
    if (typeof permission.config.principal_org_id === "string") {
      condition.StringEquals = { ...condition.StringEquals, "aws:PrincipalOrgID": [resolveArgument(app, permission, "principal_org_id")] };
    }
    statements.push({
      Sid: typeof permission.config.statement_id === "string" ? resolveArgument(app, permission, "statement_id") : permission.name,
      Effect: "Allow",
      Principal: principal.endsWith(".amazonaws.com") ? { Service: principal } : { AWS: principal },
      Action: resolveArgument(app, permission, "action"),
      Resource: functionArn,
      ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
    });
  }
  return statements.length === 0 ? undefined : { Version: "2012-10-17", Statement: statements };
}
