/**
 * What the authorization proof needs to know about a synthesized app, read from its JSON alone: the functions
 * with their roles' policies, the KMS key(s) with their key policies, and every resource with a policy or a key.
 * Every name and ARN is the one the synthesized configuration resolves to in account {@link SIMULATED_ACCOUNT_ID}.
 */
import type { SynthesizedApp } from "../simulate/synthesized-app";
import {
  blockOf,
  isJsonObject,
  referencedResource,
  ResourceRef,
  resolveArgument,
  resolveString,
  resourcesOfType,
  SIMULATED_ACCOUNT_ID,
  stackRegion,
} from "../simulate/terraform-references";
import { lambdaResourcePolicy, PolicyDocument, policyOfArgument } from "./policy-documents";

/** A policy attached to a role, by the name it has in AWS. */
export interface NamedPolicy {
  /** The inline policy's name (`aws_iam_role_policy.name`) or a managed policy's ARN. */
  readonly name: string;
  /** The document. */
  readonly policy: PolicyDocument;
}

/** A Lambda function with what decides what its code may do. */
export interface FunctionModel {
  /** The function's Terraform resource name, which is its handler folder's name (`log-processor`). */
  readonly handler: string;
  /** The function's name. */
  readonly name: string;
  /** Its ARN. */
  readonly arn: string;
  /** Its execution role's name. */
  readonly roleName: string;
  /** Its execution role's ARN. */
  readonly roleArn: string;
  /** The role's trust policy (`assume_role_policy`): who may assume it. */
  readonly trustPolicy: PolicyDocument;
  /** The ARN its code calls AWS as: the role's session, named after the function as Lambda names it. */
  readonly sessionArn: string;
  /** The role's identity policies. */
  readonly identityPolicies: readonly NamedPolicy[];
  /** ARN of the role's permissions boundary, if any (its document is not in the synthesized JSON). */
  readonly permissionsBoundaryArn: string | undefined;
  /** The function's environment variables, resolved. */
  readonly environment: Readonly<Record<string, string>>;
  /** ARN of its dead-letter queue or topic, if any. */
  readonly deadLetterArn: string | undefined;
  /** ARN of the log group it writes to, if the configuration names one. */
  readonly logGroupArn: string | undefined;
  /** Its resource policy, built from the `aws_lambda_permission` resources that target it. */
  readonly resourcePolicy: PolicyDocument | undefined;
}

/** A resource encrypted with a KMS key, possibly with its own resource policy. */
export interface EncryptedResource {
  /** Its name. */
  readonly name: string;
  /** Its ARN. */
  readonly arn: string;
  /** ARN of the customer-managed key encrypting it; undefined for AWS-owned or AWS-managed encryption. */
  readonly keyArn: string | undefined;
  /** Its resource policy (topic and queue policies), if any. */
  readonly policy: PolicyDocument | undefined;
}

/** A KMS key created by the app, with its key policy. */
export interface KeyModel {
  /** The key's ARN. */
  readonly arn: string;
  /** Its key policy. */
  readonly policy: PolicyDocument;
}

/** A CloudWatch alarm and where it sends notifications. */
export interface AlarmModel {
  readonly name: string;
  readonly arn: string;
  /** The ARNs in `alarm_actions`, `ok_actions` and `insufficient_data_actions`. */
  readonly actionArns: readonly string[];
}

/** A subscription filter: CloudWatch Logs delivers a log group's matching events to a destination. */
export interface SubscriptionModel {
  /** The log group's name. */
  readonly logGroupName: string;
  /** The log group's ARN, without `:*`. */
  readonly logGroupArn: string;
  /** The destination's ARN (the processor function, or the Kinesis stream). */
  readonly destinationArn: string;
  /** The role CloudWatch Logs assumes to deliver (a Kinesis destination); undefined for a function. */
  readonly roleArn: string | undefined;
}

/**
 * A role that an AWS service assumes (not a function's execution role): CloudWatch Logs' delivery role of the
 * Kinesis transport.
 */
export interface ServiceRoleModel {
  readonly name: string;
  readonly arn: string;
  /** Its trust policy (who may assume it). */
  readonly trustPolicy: PolicyDocument;
  readonly identityPolicies: readonly NamedPolicy[];
  readonly permissionsBoundaryArn: string | undefined;
}

/** The account-level subscription filter policy (account-wide monitoring). */
export interface AccountSubscriptionModel {
  readonly policyName: string;
  /** The destination's ARN (the processor function, or the Kinesis stream). */
  readonly destinationArn: string;
  /** The delivery role for a Kinesis destination. */
  readonly roleArn: string | undefined;
  /** Its `LogGroupName NOT IN [...]` criteria. */
  readonly selectionCriteria: string;
}

/** A CloudWatch Logs destination (cross-account delivery) and who may subscribe to it. */
export interface DestinationModel {
  readonly name: string;
  /** `arn:aws:logs:<region>:<account>:destination:<name>`. */
  readonly arn: string;
  /** The Kinesis stream it delivers into. */
  readonly targetArn: string;
  /** The role CloudWatch Logs assumes to put records into the stream. */
  readonly roleArn: string;
  /** Its destination policy (who may subscribe), if the app attaches one. */
  readonly accessPolicy: PolicyDocument | undefined;
}

/** A Lambda event source mapping: the function's role reads the source. */
export interface EventSourceMappingModel {
  /** The function's name. */
  readonly functionName: string;
  /** The stream's ARN. */
  readonly eventSourceArn: string;
  /** The on-failure destination's ARN, if any. */
  readonly onFailureArn: string | undefined;
}

/** An AWS Budgets budget and the SNS topics its notifications go to. */
export interface BudgetModel {
  readonly name: string;
  readonly arn: string;
  readonly topicArns: readonly string[];
}

/** A role a service assumes on the project's behalf (Chatbot, Scheduler), as a caller: what decides what it may do. */
export interface AssumedRoleModel {
  /** The role's name. */
  readonly roleName: string;
  /** The ARN calls are made as: a session of the role. */
  readonly sessionArn: string;
  readonly identityPolicies: readonly NamedPolicy[];
  readonly permissionsBoundaryArn: string | undefined;
}

/** An AWS Chatbot channel configuration: its channel role and its guardrail policies. */
export interface ChatChannelModel {
  /** The configuration's name. */
  readonly name: string;
  readonly role: AssumedRoleModel;
  /** The guardrail policies: nothing run from the channel exceeds them (they act as a boundary on the role). */
  readonly guardrails: readonly NamedPolicy[];
}

/** An EventBridge Scheduler schedule that invokes a target with its role. */
export interface ScheduleModel {
  readonly name: string;
  /** The target's ARN. */
  readonly targetArn: string;
  readonly role: AssumedRoleModel;
}

/** Everything the proof evaluates, for one synthesized configuration. */
export interface SystemModel {
  /** The account the app is resolved into. */
  readonly account: string;
  /** The region of the stacks. */
  readonly region: string;
  /** The environment's name, from the provider's `Environment` default tag. */
  readonly environment: string;
  readonly functions: readonly FunctionModel[];
  /** KMS keys the app creates, by ARN. */
  readonly keys: ReadonlyMap<string, KeyModel>;
  readonly tables: readonly EncryptedResource[];
  readonly topics: readonly EncryptedResource[];
  readonly queues: readonly EncryptedResource[];
  /** Log groups the app creates. */
  readonly logGroups: readonly EncryptedResource[];
  readonly alarms: readonly AlarmModel[];
  readonly subscriptions: readonly SubscriptionModel[];
  readonly budgets: readonly BudgetModel[];
  /** Kinesis data streams the app creates (the Kinesis transport). */
  readonly streams: readonly EncryptedResource[];
  /** Roles assumed by a service rather than a function (CloudWatch Logs' delivery role). */
  readonly serviceRoles: readonly ServiceRoleModel[];
  /** The account-level subscription filter policy, if any. */
  readonly accountSubscriptions: readonly AccountSubscriptionModel[];
  readonly eventSourceMappings: readonly EventSourceMappingModel[];
  /** CloudWatch Logs destinations (cross-account delivery). */
  readonly destinations: readonly DestinationModel[];
  /** Chat channel configurations (AWS Chatbot). @default none */
  readonly chatChannels?: readonly ChatChannelModel[];
  /** Scheduler schedules. @default none */
  readonly schedules?: readonly ScheduleModel[];
}

/** The app cannot be modelled (a missing argument, an unsupported construct); says what and where. */
export class SystemModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SystemModelError";
  }
}

function optionalArgument(app: SynthesizedApp, resource: ResourceRef, argument: string): string | undefined {
  return typeof resource.config[argument] === "string" ? resolveArgument(app, resource, argument) : undefined;
}

function stringList(app: SynthesizedApp, resource: ResourceRef, value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is string => typeof item === "string").map((item) => resolveString(app, resource.stackId, item, resource.address));
}

/** Reads the model of one synthesized app. */
export function readSystemModel(app: SynthesizedApp): SystemModel {
  const firstStack = Object.keys(app.stacks).sort()[0];
  if (firstStack === undefined) throw new SystemModelError("the synthesized app has no stack");
  const region = stackRegion(app, firstStack);
  const account = SIMULATED_ACCOUNT_ID;
  const tags = blockOf(blockOf(blockOf(blockOf(app.stacks[firstStack]?.json.provider)?.aws)?.default_tags)?.tags);
  const environment = tags?.Environment;
  if (typeof environment !== "string") throw new SystemModelError(`stack ${firstStack} has no Environment default tag`);

  const keys = new Map<string, KeyModel>();
  for (const key of resourcesOfType(app, "aws_kms_key")) {
    const arn = resolveString(app, key.stackId, `\${aws_kms_key.${key.name}.arn}`, key.address);
    keys.set(arn, { arn, policy: policyOfArgument(app, key, "policy") });
  }

  const topicPolicies = new Map<string, PolicyDocument>();
  for (const policy of resourcesOfType(app, "aws_sns_topic_policy")) {
    topicPolicies.set(resolveArgument(app, policy, "arn"), policyOfArgument(app, policy, "policy"));
  }
  const topics = resourcesOfType(app, "aws_sns_topic").map((topic) => {
    const arn = resolveString(app, topic.stackId, `\${aws_sns_topic.${topic.name}.arn}`, topic.address);
    return { name: resolveArgument(app, topic, "name"), arn, keyArn: optionalArgument(app, topic, "kms_master_key_id"), policy: topicPolicies.get(arn) };
  });

  const queuePolicies = new Map<string, PolicyDocument>();
  for (const policy of resourcesOfType(app, "aws_sqs_queue_policy")) {
    queuePolicies.set(resolveArgument(app, policy, "queue_url"), policyOfArgument(app, policy, "policy"));
  }
  const queues = resourcesOfType(app, "aws_sqs_queue").map((queue) => {
    const name = resolveArgument(app, queue, "name");
    const url = `https://sqs.${region}.amazonaws.com/${account}/${name}`;
    return {
      name,
      arn: resolveString(app, queue.stackId, `\${aws_sqs_queue.${queue.name}.arn}`, queue.address),
      keyArn: optionalArgument(app, queue, "kms_master_key_id"),
      policy: queuePolicies.get(url),
    };
  });

  const tables = resourcesOfType(app, "aws_dynamodb_table").map((table) => {
    const encryption = blockOf(table.config.server_side_encryption);
    const keyArn =
      encryption?.enabled === true && typeof encryption.kms_key_arn === "string"
        ? resolveString(app, table.stackId, encryption.kms_key_arn, `${table.address} server_side_encryption`)
        : undefined;
    return {
      name: resolveArgument(app, table, "name"),
      arn: resolveString(app, table.stackId, `\${aws_dynamodb_table.${table.name}.arn}`, table.address),
      keyArn,
      policy: undefined,
    };
  });

  const logGroups = resourcesOfType(app, "aws_cloudwatch_log_group").map((group) => ({
    name: resolveArgument(app, group, "name"),
    arn: resolveString(app, group.stackId, `\${aws_cloudwatch_log_group.${group.name}.arn}`, group.address),
    keyArn: optionalArgument(app, group, "kms_key_id"),
    policy: undefined,
  }));

  const alarms = resourcesOfType(app, "aws_cloudwatch_metric_alarm").map((alarm) => ({
    name: resolveArgument(app, alarm, "alarm_name"),
    arn: resolveString(app, alarm.stackId, `\${aws_cloudwatch_metric_alarm.${alarm.name}.arn}`, alarm.address),
    actionArns: [
      ...new Set(
        ["alarm_actions", "ok_actions", "insufficient_data_actions"].flatMap((argument) => stringList(app, alarm, alarm.config[argument])),
      ),
    ],
  }));

  const subscriptions = resourcesOfType(app, "aws_cloudwatch_log_subscription_filter").map((filter) => {
    const logGroupName = resolveArgument(app, filter, "log_group_name");
    return {
      logGroupName,
      logGroupArn: `arn:aws:logs:${region}:${account}:log-group:${logGroupName}`,
      destinationArn: resolveArgument(app, filter, "destination_arn"),
      roleArn: optionalArgument(app, filter, "role_arn"),
    };
  });

  const streams = resourcesOfType(app, "aws_kinesis_stream").map((stream) => ({
    name: resolveArgument(app, stream, "name"),
    arn: resolveString(app, stream.stackId, `\${aws_kinesis_stream.${stream.name}.arn}`, stream.address),
    keyArn: stream.config.encryption_type === "KMS" ? optionalArgument(app, stream, "kms_key_id") : undefined,
    policy: undefined,
  }));

  const accountSubscriptions = resourcesOfType(app, "aws_cloudwatch_log_account_policy")
    .filter((policy) => policy.config.policy_type === "SUBSCRIPTION_FILTER_POLICY")
    .map((policy) => {
      const document = JSON.parse(resolveArgument(app, policy, "policy_document")) as Record<string, unknown>;
      if (typeof document.DestinationArn !== "string") throw new SystemModelError(`${policy.address}: its policy document has no DestinationArn`);
      return {
        policyName: resolveArgument(app, policy, "policy_name"),
        destinationArn: document.DestinationArn,
        roleArn: typeof document.RoleArn === "string" ? document.RoleArn : undefined,
        selectionCriteria: optionalArgument(app, policy, "selection_criteria") ?? "",
      };
    });

  const destinationPolicies = new Map<string, PolicyDocument>();
  for (const policy of resourcesOfType(app, "aws_cloudwatch_log_destination_policy")) {
    destinationPolicies.set(resolveArgument(app, policy, "destination_name"), policyOfArgument(app, policy, "access_policy"));
  }
  const destinations = resourcesOfType(app, "aws_cloudwatch_log_destination").map((destination) => {
    const name = resolveArgument(app, destination, "name");
    return {
      name,
      arn: `arn:aws:logs:${region}:${account}:destination:${name}`,
      targetArn: resolveArgument(app, destination, "target_arn"),
      roleArn: resolveArgument(app, destination, "role_arn"),
      accessPolicy: destinationPolicies.get(name),
    };
  });

  const deliveryRoleArns = new Set([
    ...[...subscriptions, ...accountSubscriptions].flatMap((s) => (s.roleArn === undefined ? [] : [s.roleArn])),
    ...destinations.map((destination) => destination.roleArn),
  ]);
  const serviceRoles = resourcesOfType(app, "aws_iam_role")
    .map((role) => ({ role, arn: resolveString(app, role.stackId, `\${aws_iam_role.${role.name}.arn}`, role.address) }))
    .filter(({ arn }) => deliveryRoleArns.has(arn))
    .map(({ role, arn }) => {
      const name = resolveArgument(app, role, "name");
      return {
        name,
        arn,
        trustPolicy: policyOfArgument(app, role, "assume_role_policy"),
        identityPolicies: rolePolicies(app, name, arn),
        permissionsBoundaryArn: optionalArgument(app, role, "permissions_boundary"),
      };
    });

  const eventSourceMappings = resourcesOfType(app, "aws_lambda_event_source_mapping").map((mapping) => {
    const onFailure = blockOf(blockOf(mapping.config.destination_config)?.on_failure)?.destination_arn;
    return {
      functionName: resolveArgument(app, mapping, "function_name"),
      eventSourceArn: resolveArgument(app, mapping, "event_source_arn"),
      onFailureArn: typeof onFailure === "string" ? resolveString(app, mapping.stackId, onFailure, `${mapping.address} destination_config`) : undefined,
    };
  });

  const budgets = resourcesOfType(app, "aws_budgets_budget").map((budget) => {
    const notifications = Array.isArray(budget.config.notification) ? budget.config.notification : [];
    const topicArns = notifications.flatMap((notification) =>
      isJsonObject(notification) ? stringList(app, budget, notification.subscriber_sns_topic_arns) : [],
    );
    return {
      name: resolveArgument(app, budget, "name"),
      arn: resolveString(app, budget.stackId, `\${aws_budgets_budget.${budget.name}.arn}`, budget.address),
      topicArns: [...new Set(topicArns)],
    };
  });

  const functions = resourcesOfType(app, "aws_lambda_function").map((fn) => readFunction(app, fn, region, account));

  const assumedRole = (resource: ResourceRef, argument: string, session: string): AssumedRoleModel => {
    const role = referencedResource(app, resource.stackId, resource.config[argument])?.resource;
    if (role === undefined || role.type !== "aws_iam_role") {
      throw new SystemModelError(`${resource.address}: its ${argument} is not an aws_iam_role of the app, so its policies are unknown`);
    }
    const roleName = resolveArgument(app, role, "name");
    return {
      roleName,
      sessionArn: `arn:aws:sts::${account}:assumed-role/${roleName}/${session}`,
      identityPolicies: [...rolePolicies(app, roleName, `arn:aws:iam::${account}:role/${roleName}`), ...attachedPolicies(app, roleName)],
      permissionsBoundaryArn: optionalArgument(app, role, "permissions_boundary"),
    };
  };
  const chatChannels = ["aws_chatbot_slack_channel_configuration", "aws_chatbot_teams_channel_configuration"].flatMap((type) =>
    resourcesOfType(app, type).map((configuration) => ({
      name: resolveArgument(app, configuration, "configuration_name"),
      role: assumedRole(configuration, "iam_role_arn", "AWSChatbot"),
      guardrails: (Array.isArray(configuration.config.guardrail_policy_arns) ? configuration.config.guardrail_policy_arns : []).map((reference) => {
        const managed = referencedResource(app, configuration.stackId, reference)?.resource;
        if (managed === undefined || managed.type !== "aws_iam_policy") {
          throw new SystemModelError(`${configuration.address}: a guardrail is not a policy the app creates, so its document is unknown`);
        }
        return { name: resolveString(app, configuration.stackId, String(reference), configuration.address), policy: policyOfArgument(app, managed, "policy") };
      }),
    })),
  );
  const schedules = resourcesOfType(app, "aws_scheduler_schedule").map((schedule) => {
    const target = blockOf(schedule.config.target);
    if (target === undefined) throw new SystemModelError(`${schedule.address} has no target`);
    const asResource = { ...schedule, config: target };
    return {
      name: resolveArgument(app, schedule, "name"),
      targetArn: resolveString(app, schedule.stackId, String(target.arn), `${schedule.address} target`),
      role: assumedRole(asResource, "role_arn", "scheduler"),
    };
  });

  return {
    account,
    region,
    environment,
    functions,
    keys,
    tables,
    topics,
    queues,
    logGroups,
    alarms,
    subscriptions,
    budgets,
    streams,
    serviceRoles,
    accountSubscriptions,
    eventSourceMappings,
    destinations,
    chatChannels,
    schedules,
  };
}

/** The app's customer-managed policies attached to a role (aws_iam_role_policy_attachment). */
function attachedPolicies(app: SynthesizedApp, roleName: string): NamedPolicy[] {
  const policies: NamedPolicy[] = [];
  for (const attachment of resourcesOfType(app, "aws_iam_role_policy_attachment")) {
    if (resolveArgument(app, attachment, "role") !== roleName) continue;
    const managed = referencedResource(app, attachment.stackId, attachment.config.policy_arn)?.resource;
    if (managed === undefined || managed.type !== "aws_iam_policy") {
      throw new SystemModelError(`${attachment.address}: the attached policy is not one the app creates, so its document is unknown`);
    }
    policies.push({ name: resolveArgument(app, attachment, "policy_arn"), policy: policyOfArgument(app, managed, "policy") });
  }
  return policies;
}

/** The inline policies attached to a role, by its name or ARN. */
function rolePolicies(app: SynthesizedApp, roleName: string, roleArn: string): NamedPolicy[] {
  const policies: NamedPolicy[] = [];
  for (const policy of resourcesOfType(app, "aws_iam_role_policy")) {
    const target = resolveArgument(app, policy, "role");
    if (target !== roleName && target !== roleArn) continue;
    policies.push({ name: resolveArgument(app, policy, "name"), policy: policyOfArgument(app, policy, "policy") });
  }
  return policies;
}

function readFunction(app: SynthesizedApp, fn: ResourceRef, region: string, account: string): FunctionModel {
  const name = resolveArgument(app, fn, "function_name");
  const arn = `arn:aws:lambda:${region}:${account}:function:${name}`;
  const role = referencedResource(app, fn.stackId, fn.config.role)?.resource;
  if (role === undefined || role.type !== "aws_iam_role") {
    throw new SystemModelError(`${fn.address}: its role is not an aws_iam_role of the app, so its policies are unknown`);
  }
  const roleName = resolveArgument(app, role, "name");
  const roleArn = `arn:aws:iam::${account}:role/${roleName}`;

  const identityPolicies: NamedPolicy[] = [];
  for (const policy of resourcesOfType(app, "aws_iam_role_policy")) {
    const target = resolveArgument(app, policy, "role");
    if (target !== roleName && target !== roleArn) continue;
    identityPolicies.push({ name: resolveArgument(app, policy, "name"), policy: policyOfArgument(app, policy, "policy") });
  }
  for (const attachment of resourcesOfType(app, "aws_iam_role_policy_attachment")) {
    if (resolveArgument(app, attachment, "role") !== roleName) continue;
    const managed = referencedResource(app, attachment.stackId, attachment.config.policy_arn)?.resource;
    if (managed === undefined || managed.type !== "aws_iam_policy") {
      throw new SystemModelError(`${attachment.address}: the attached policy is not one the app creates, so its document is unknown`);
    }
    identityPolicies.push({ name: resolveArgument(app, attachment, "policy_arn"), policy: policyOfArgument(app, managed, "policy") });
  }

  const variables = blockOf(blockOf(fn.config.environment)?.variables) ?? {};
  const environment: Record<string, string> = {};
  for (const [key, value] of Object.entries(variables)) {
    if (typeof value === "string") environment[key] = resolveString(app, fn.stackId, value, `${fn.address} environment ${key}`);
  }
  const deadLetter = blockOf(fn.config.dead_letter_config)?.target_arn;
  const logGroupName = blockOf(fn.config.logging_config)?.log_group;
  return {
    handler: fn.name,
    name,
    arn,
    roleName,
    roleArn,
    trustPolicy: policyOfArgument(app, role, "assume_role_policy"),
    // Lambda assumes the role with the function's name as the session name.
    sessionArn: `arn:aws:sts::${account}:assumed-role/${roleName}/${name}`,
    identityPolicies,
    permissionsBoundaryArn: optionalArgument(app, role, "permissions_boundary"),
    environment,
    deadLetterArn: typeof deadLetter === "string" ? resolveString(app, fn.stackId, deadLetter, `${fn.address} dead_letter_config`) : undefined,
    logGroupArn:
      typeof logGroupName === "string"
        ? `arn:aws:logs:${region}:${account}:log-group:${resolveString(app, fn.stackId, logGroupName, `${fn.address} logging_config`)}`
        : `arn:aws:logs:${region}:${account}:log-group:/aws/lambda/${name}`,
    resourcePolicy: lambdaResourcePolicy(app, arn, region, account),
  };
}
