/**
 * Reads resources out of synthesized Terraform JSON and resolves the `${...}` expressions in their arguments to
 * the values they would have once deployed, across stacks.
 *
 * Arguments written in the configuration (a table's `name`, a function's `function_name`) resolve to themselves.
 * Attributes only AWS knows after apply are given the value they would have in account
 * {@link SIMULATED_ACCOUNT_ID}: ARNs are built from the resource's name as AWS builds them. CDKTF's cross-stack
 * references (`data.terraform_remote_state.cross-stack-reference-input-<stack>.outputs.<output>`) are followed to
 * the producing stack's output.
 */
import type { JsonObject, SynthesizedApp } from "./synthesized-app";

/** The account the simulation pretends to deploy into (AWS's documentation example account). */
export const SIMULATED_ACCOUNT_ID = "123456789012";

/** The id AWS would give the environment's created KMS key (a fixed, valid UUID: the simulation creates one key). */
export const SIMULATED_KEY_ID = "00000000-0000-4000-8000-000000000000";

/** Prefix CDKTF gives the remote-state data source a consumer reads a producer stack's outputs through. */
const CROSS_STACK_INPUT_PREFIX = "cross-stack-reference-input-";

/** An expression that cannot be given a value; says which, where, and why. */
export class UnresolvableReferenceError extends Error {
  constructor(
    /** The expression, without `${}`. */
    readonly expression: string,
    /** The resource argument it appears in (`processing/aws_lambda_function.log-processor environment`). */
    readonly where: string,
    reason: string,
  ) {
    super(`cannot resolve \${${expression}} in ${where}: ${reason}`);
    this.name = "UnresolvableReferenceError";
  }
}

/** A resource of a synthesized stack. */
export interface ResourceRef {
  /** The stack holding it. */
  readonly stackId: string;
  /** Its Terraform type (`aws_lambda_function`). */
  readonly type: string;
  /** Its name in the stack (`log-processor`). */
  readonly name: string;
  /** `<stack>/<type>.<name>`, for messages. */
  readonly address: string;
  /** Its arguments as synthesized. */
  readonly config: JsonObject;
}

/** Whether a value is a JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A nested block: CDKTF writes most as an object and some as a one-element list; undefined when absent. */
export function blockOf(value: unknown): JsonObject | undefined {
  if (Array.isArray(value)) return isJsonObject(value[0]) ? value[0] : undefined;
  return isJsonObject(value) ? value : undefined;
}

function stackJson(app: SynthesizedApp, stackId: string): JsonObject {
  const stack = app.stacks[stackId];
  if (stack === undefined) throw new Error(`the synthesized app has no stack "${stackId}"`);
  return stack.json;
}

/** One resource, or undefined when the stack has none of that type and name. */
export function resourceAt(app: SynthesizedApp, stackId: string, type: string, name: string): ResourceRef | undefined {
  const resources = blockOf(stackJson(app, stackId).resource);
  const config = blockOf(blockOf(resources?.[type])?.[name]);
  return config === undefined ? undefined : { stackId, type, name, address: `${stackId}/${type}.${name}`, config };
}

/** Every resource of a type, in every stack, in stack then name order. */
export function resourcesOfType(app: SynthesizedApp, type: string): ResourceRef[] {
  const found: ResourceRef[] = [];
  for (const stackId of Object.keys(app.stacks).sort()) {
    const ofType = blockOf(blockOf(stackJson(app, stackId).resource)?.[type]) ?? {};
    for (const name of Object.keys(ofType).sort()) {
      const resource = resourceAt(app, stackId, type, name);
      if (resource !== undefined) found.push(resource);
    }
  }
  return found;
}

/** The region of a stack's AWS provider. */
export function stackRegion(app: SynthesizedApp, stackId: string): string {
  const region = blockOf(blockOf(stackJson(app, stackId).provider)?.aws)?.region;
  if (typeof region !== "string") throw new Error(`stack "${stackId}" has no AWS provider with a region`);
  return region;
}

const WHOLE_REFERENCE = /^\$\{([^}]+)\}$/;
const ANY_REFERENCE = /\$\{([^}]+)\}/g;

/**
 * The resource a value points at when the whole value is one reference to a resource attribute
 * (`${aws_lambda_function.log-processor.arn}`), following cross-stack references; undefined for anything else.
 */
export function referencedResource(
  app: SynthesizedApp,
  stackId: string,
  value: unknown,
): { readonly resource: ResourceRef; readonly attribute: string } | undefined {
  if (typeof value !== "string") return undefined;
  const expression = WHOLE_REFERENCE.exec(value)?.[1];
  if (expression === undefined) return undefined;
  const parts = expression.split(".");
  if (parts[0] === "data") {
    const producer = crossStackOutput(app, stackId, parts);
    return producer === undefined ? undefined : referencedResource(app, producer.stackId, producer.value);
  }
  const [type, name, ...attribute] = parts;
  if (type === undefined || name === undefined) return undefined;
  const resource = resourceAt(app, stackId, type, name);
  return resource === undefined ? undefined : { resource, attribute: attribute.join(".") };
}

/**
 * Resolves every `${...}` in a string to its deployed value.
 *
 * @param where names the argument, for the error message.
 * @throws UnresolvableReferenceError for an expression that is neither a configured argument, an attribute the
 *   simulation knows how AWS computes, nor a cross-stack output.
 */
export function resolveString(app: SynthesizedApp, stackId: string, value: string, where: string): string {
  return value.replace(ANY_REFERENCE, (_match, expression: string) => resolveExpression(app, stackId, expression, where));
}

/** Resolves a value that must be a string (references included). */
export function resolveArgument(app: SynthesizedApp, resource: ResourceRef, argument: string): string {
  const value = resource.config[argument];
  if (typeof value !== "string") throw new Error(`${resource.address} has no string argument ${argument}`);
  return resolveString(app, resource.stackId, value, `${resource.address} ${argument}`);
}

function resolveExpression(app: SynthesizedApp, stackId: string, expression: string, where: string): string {
  const parts = expression.split(".");
  if (parts[0] === "data") {
    const output = crossStackOutput(app, stackId, parts);
    if (output !== undefined) {
      if (typeof output.value !== "string") {
        throw new UnresolvableReferenceError(expression, where, `output ${parts[4]} of stack ${output.stackId} is not a string`);
      }
      return resolveString(app, output.stackId, output.value, where);
    }
    return resolveDataSource(app, stackId, parts, expression, where);
  }
  const [type, name, ...rest] = parts;
  const attribute = rest.join(".");
  const resource = type === undefined || name === undefined ? undefined : resourceAt(app, stackId, type, name);
  if (resource === undefined) throw new UnresolvableReferenceError(expression, where, `stack ${stackId} has no such resource`);
  const configured = resource.config[attribute];
  if (typeof configured === "string") return resolveString(app, stackId, configured, where);
  if (typeof configured === "number" || typeof configured === "boolean") return String(configured);
  return computedAttribute(app, resource, attribute, expression, where);
}

/** The producing stack and value of a cross-stack read, or undefined when `parts` is another data source. */
function crossStackOutput(
  app: SynthesizedApp,
  stackId: string,
  parts: readonly string[],
): { readonly stackId: string; readonly value: unknown } | undefined {
  const [, type, name, outputs, outputName] = parts;
  if (type !== "terraform_remote_state" || outputs !== "outputs" || name === undefined || outputName === undefined) return undefined;
  if (!name.startsWith(CROSS_STACK_INPUT_PREFIX)) return undefined;
  const producerId = name.slice(CROSS_STACK_INPUT_PREFIX.length);
  if (app.stacks[producerId] === undefined) return undefined;
  const output = blockOf(blockOf(stackJson(app, producerId).output)?.[outputName]);
  if (output === undefined) return undefined;
  // Read through the consumer's remote state: the consumer must actually declare the data source.
  if (blockOf(blockOf(blockOf(stackJson(app, stackId).data)?.terraform_remote_state)?.[name]) === undefined) return undefined;
  return { stackId: producerId, value: output.value };
}

function resolveDataSource(app: SynthesizedApp, stackId: string, parts: readonly string[], expression: string, where: string): string {
  const [, type, , attribute] = parts;
  if (type === "aws_caller_identity" && attribute === "account_id") return SIMULATED_ACCOUNT_ID;
  if (type === "aws_partition" && attribute === "partition") return "aws";
  if (type === "aws_region" && (attribute === "name" || attribute === "region")) return stackRegion(app, stackId);
  if (type === "aws_cloudwatch_log_group" && attribute === "arn") {
    // An existing group read by name; the data source's ARN has no `:*` suffix (like the resource's).
    const config = blockOf(blockOf(blockOf(stackJson(app, stackId).data)?.aws_cloudwatch_log_group)?.[parts[2] ?? ""]);
    if (typeof config?.name === "string") {
      const name = resolveString(app, stackId, config.name, where);
      return `arn:aws:logs:${stackRegion(app, stackId)}:${SIMULATED_ACCOUNT_ID}:log-group:${name}`;
    }
  }
  throw new UnresolvableReferenceError(expression, where, "the simulation does not know what this data source returns");
}

/** ARNs and ids AWS assigns at creation, as AWS forms them from the resource's own arguments. */
function computedAttribute(app: SynthesizedApp, resource: ResourceRef, attribute: string, expression: string, where: string): string {
  const region = stackRegion(app, resource.stackId);
  const account = SIMULATED_ACCOUNT_ID;
  const named = (argument: string): string => resolveArgument(app, resource, argument);
  if (attribute === "arn") {
    switch (resource.type) {
      case "aws_sns_topic":
        return `arn:aws:sns:${region}:${account}:${named("name")}`;
      case "aws_sqs_queue":
        return `arn:aws:sqs:${region}:${account}:${named("name")}`;
      case "aws_lambda_function":
        return `arn:aws:lambda:${region}:${account}:function:${named("function_name")}`;
      case "aws_cloudwatch_log_group":
        return `arn:aws:logs:${region}:${account}:log-group:${named("name")}`;
      case "aws_dynamodb_table":
        return `arn:aws:dynamodb:${region}:${account}:table/${named("name")}`;
      case "aws_cloudwatch_metric_alarm":
        return `arn:aws:cloudwatch:${region}:${account}:alarm:${named("alarm_name")}`;
      case "aws_iam_role":
        return `arn:aws:iam::${account}:role/${named("name")}`;
      case "aws_iam_policy":
        return `arn:aws:iam::${account}:policy/${named("name")}`;
      case "aws_kms_key":
        return `arn:aws:kms:${region}:${account}:key/${SIMULATED_KEY_ID}`;
      case "aws_kinesis_stream":
        return `arn:aws:kinesis:${region}:${account}:stream/${named("name")}`;
      case "aws_budgets_budget":
        // Budgets are global: no region in the ARN.
        return `arn:aws:budgets::${account}:budget/${named("name")}`;
      default:
        break;
    }
  }
  if ((attribute === "key_id" || attribute === "id") && resource.type === "aws_kms_key") return SIMULATED_KEY_ID;
  if (attribute === "id" || attribute === "name") {
    for (const argument of ["name", "function_name", "alarm_name"]) {
      if (typeof resource.config[argument] === "string") return named(argument);
    }
  }
  if (attribute === "url" && resource.type === "aws_sqs_queue") {
    return `https://sqs.${region}.amazonaws.com/${account}/${named("name")}`;
  }
  throw new UnresolvableReferenceError(expression, where, `the simulation does not know how AWS computes ${resource.type}.${attribute}`);
}
