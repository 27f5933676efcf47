/**
 * The calls the authorization proof evaluates: every call the system needs (each handler's declared calls, and the
 * calls AWS services make for the system), each expected to be Allowed, and calls that must be refused, each
 * expected to be Denied. All are built from the model of the synthesized app; nothing here names a resource.
 */
import type { AwsCall } from "../../handlers/aws-call";
import type { SourceScope } from "../../config/cross-account";
import type { PolicyDocument } from "./policy-documents";
import { operatorCalls } from "./operator";
import type { EncryptedResource, FunctionModel, NamedPolicy, ServiceRoleModel, SystemModel } from "./system-model";

/** What the proof expects AWS to decide. */
export type Expectation = "Allowed" | "Denied";

/** Who makes a call. */
export interface CallPrincipal {
  /** For the matrix: a role name, a service principal, or "role outsider (account ...)". */
  readonly label: string;
  /** What iam-simulate evaluates: a role-session ARN, a role ARN, or a service principal. */
  readonly principal: string;
}

/** One request and the policies AWS would evaluate for it. */
export interface AuthorizationCall {
  readonly principal: CallPrincipal;
  readonly action: string;
  /** The resource's ARN. */
  readonly resource: string;
  /** The request context (condition keys). */
  readonly context: Readonly<Record<string, string>>;
  readonly expected: Expectation;
  /** Why the call is made, or why it must be refused. */
  readonly purpose: string;
  /** The principal's identity policies (none for a service principal). */
  readonly identityPolicies: readonly NamedPolicy[];
  /** The principal's permissions boundary, when it has one. */
  readonly permissionsBoundary: NamedPolicy | undefined;
  /** The resource's policy (key, topic, queue or function policy), when it has one. */
  readonly resourcePolicy: PolicyDocument | undefined;
}

/** Where the documents the synthesized JSON does not hold come from. */
export interface ExternalDocuments {
  /** The document assumed for any permissions boundary ARN. */
  readonly permissionsBoundary: PolicyDocument;
  /** The key policy assumed for a key the app does not create (`LOG_MONITOR_KMS_KEY_ARN`), if any. */
  readonly userKeyPolicy: PolicyDocument | undefined;
  /**
   * The accounts or organization the configuration admits to the destination (`LOG_MONITOR_SOURCE_ACCOUNTS`,
   * `LOG_MONITOR_ORGANIZATION_ID`): taken from the configuration, not from the synthesized policy, so that a policy
   * that leaves one out is caught. @default none
   */
  readonly crossAccountSources?: SourceScope;
}

/** The calls could not be built (a handler without a declaration, a variable the function lacks); says which. */
export class CallPlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CallPlanError";
  }
}

/** An account that is not the deployment's (from AWS's documentation examples). */
export const OTHER_ACCOUNT = "444455556666";

/** An organization that is not the configured one (the proof's "another organization"). */
export const OTHER_ORGANIZATION = "o-otherorg0000";
/** A member account of the configured organization, in the organization configuration. */
export const ORGANIZATION_MEMBER_ACCOUNT = "111122223333";
/** The region the proof uses for "another region". */
const OTHER_REGION = "ap-southeast-2";

/** An existing log group of the account that is not monitored. */
const UNMONITORED_LOG_GROUP = "/aws/lambda/not-monitored";

/** The KMS actions a service performs on a caller's behalf when the caller uses a resource encrypted with a key. */
const KMS_ACTIONS_VIA: Readonly<Record<string, readonly string[]>> = {
  // DynamoDB decrypts the table key with the caller's permission on reads and writes of a table encrypted with a
  // customer-managed key (AWS KMS Developer Guide, "How Amazon DynamoDB uses AWS KMS",
  // https://docs.aws.amazon.com/kms/latest/developerguide/services-dynamodb.html#dynamodb-authz).
  dynamodb: ["kms:Decrypt"],
  // A publisher to an encrypted topic needs kms:GenerateDataKey and kms:Decrypt ("Setting up AWS KMS permissions",
  // Amazon SNS Developer Guide, sns-key-management).
  sns: ["kms:GenerateDataKey", "kms:Decrypt"],
  // A producer to an encrypted queue needs kms:GenerateDataKey and kms:Decrypt ("Configuring AWS KMS permissions",
  // Amazon SQS Developer Guide, sqs-key-management).
  sqs: ["kms:GenerateDataKey", "kms:Decrypt"],
};

/** The account of an ARN (its fifth component), or undefined for ARNs without one. */
export function arnAccount(arn: string): string | undefined {
  const account = arn.split(":")[4];
  return account === undefined || account === "" ? undefined : account;
}

/** Builds every call for one model. `declarations` maps a function's handler (`log-processor`) to its calls. */
export function planCalls(
  model: SystemModel,
  declarations: Readonly<Record<string, readonly AwsCall[]>>,
  external: ExternalDocuments,
): AuthorizationCall[] {
  const calls: AuthorizationCall[] = [];
  const { account, region, environment } = model;
  const tls = { "aws:SecureTransport": "true" };

  const keyPolicy = (keyArn: string): PolicyDocument => {
    const created = model.keys.get(keyArn);
    if (created !== undefined) return created.policy;
    if (external.userKeyPolicy !== undefined) return external.userKeyPolicy;
    throw new CallPlanError(`key ${keyArn} is neither created by the app nor given a key policy to assume`);
  };
  // Another environment's name for one of this environment's resources: `prod` becomes `prod-eu`, an environment
  // whose name starts with this one's (the case a `log-monitor-prod-*` pattern gets wrong).
  const sibling = (name: string): string => {
    const marker = `-${environment}-`;
    if (!name.includes(marker)) throw new CallPlanError(`${name} does not carry the environment name ${environment}`);
    return name.replace(marker, `-${environment}-eu-`);
  };
  const otherAccountArn = (arn: string): string => arn.replace(`:${account}:`, `:${OTHER_ACCOUNT}:`);

  const rolePrincipal = (fn: FunctionModel): CallPrincipal => ({ label: `role ${fn.roleName}`, principal: fn.sessionArn });
  /** A role's permissions boundary, as AWS evaluates it: the document assumed for any boundary ARN. */
  const boundaryOf = (role: { readonly permissionsBoundaryArn: string | undefined }): NamedPolicy | undefined =>
    role.permissionsBoundaryArn === undefined ? undefined : { name: role.permissionsBoundaryArn, policy: external.permissionsBoundary };
  const asRole = (fn: FunctionModel) => ({ identityPolicies: fn.identityPolicies, permissionsBoundary: boundaryOf(fn) });
  const asService = (service: string) => ({
    principal: { label: service, principal: service },
    identityPolicies: [],
    permissionsBoundary: undefined,
  });
  /** A service role in the session CloudWatch Logs opens with it (a delivery or destination role putting into a stream). */
  const asLogsSession = (role: ServiceRoleModel) => ({
    principal: { label: `role ${role.name}`, principal: `arn:aws:sts::${account}:assumed-role/${role.name}/CloudWatchLogs` },
    identityPolicies: role.identityPolicies,
    permissionsBoundary: boundaryOf(role),
  });

  const encrypted = (arn: string): EncryptedResource | undefined =>
    [...model.tables, ...model.topics, ...model.queues].find((resource) => resource.arn === arn);

  /** A function's role using a resource, and the key behind it through the resource's service. */
  const roleUses = (fn: FunctionModel, action: string, resourceArn: string, purpose: string, expected: Expectation): void => {
    const target = encrypted(resourceArn);
    calls.push({
      principal: rolePrincipal(fn),
      action,
      resource: resourceArn,
      context: tls,
      expected,
      purpose,
      ...asRole(fn),
      resourcePolicy: target?.policy,
    });
    if (target?.keyArn === undefined || expected === "Denied") return;
    const service = action.split(":")[0] ?? "";
    for (const kmsAction of KMS_ACTIONS_VIA[service] ?? []) {
      calls.push({
        principal: rolePrincipal(fn),
        action: kmsAction,
        resource: target.keyArn,
        context: { ...tls, "kms:ViaService": `${service}.${region}.amazonaws.com`, "kms:CallerAccount": account },
        expected,
        purpose: `${service} uses the key of ${target.name} for ${action}`,
        ...asRole(fn),
        resourcePolicy: keyPolicy(target.keyArn),
      });
    }
  };

  const resourceArnOf = (fn: FunctionModel, declared: AwsCall): string => {
    const value = fn.environment[declared.resource.variable];
    if (value === undefined) {
      throw new CallPlanError(`${fn.name} declares ${declared.action} on ${declared.resource.variable}, which its environment does not set`);
    }
    switch (declared.resource.holds) {
      case "dynamodb-table-name":
        return `arn:aws:dynamodb:${region}:${account}:table/${value}${declared.resource.index === undefined ? "" : `/index/${declared.resource.index}`}`;
      case "sns-topic-arn":
        return value;
      case "sqs-queue-url": {
        const name = value.split("/").pop() ?? "";
        return `arn:aws:sqs:${region}:${account}:${name}`;
      }
    }
  };

  // 1. Lambda assumes each function's role (the trust policy); what each handler's code calls with it, and what
  //    Lambda does with it.
  for (const fn of model.functions) {
    const assume = (principal: CallPrincipal, expected: Expectation, purpose: string, identityPolicies: readonly NamedPolicy[] = []): void => {
      calls.push({
        principal,
        action: "sts:AssumeRole",
        resource: fn.roleArn,
        context: tls,
        expected,
        purpose,
        identityPolicies,
        permissionsBoundary: undefined,
        resourcePolicy: fn.trustPolicy,
      });
    };
    assume({ label: "lambda.amazonaws.com", principal: "lambda.amazonaws.com" }, "Allowed", `Lambda runs ${fn.name} with its role`);
    assume({ label: "ec2.amazonaws.com", principal: "ec2.amazonaws.com" }, "Denied", "another service");
    assume(
      { label: `role outsider (account ${OTHER_ACCOUNT})`, principal: `arn:aws:iam::${OTHER_ACCOUNT}:role/outsider` },
      "Denied",
      "an outside account",
      [{ name: "outsider-allows-everything", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] } }],
    );

    const declared = declarations[fn.handler];
    if (declared === undefined) throw new CallPlanError(`function ${fn.name} (handler ${fn.handler}) has no declaration of its AWS calls`);
    const made = declared.filter((call) => call.skippedWhen === undefined || fn.environment[call.skippedWhen.variable] !== call.skippedWhen.value);
    for (const call of made) roleUses(fn, call.action, resourceArnOf(fn, call), `${fn.handler} ${call.purpose}`, "Allowed");

    if (fn.deadLetterArn !== undefined) {
      const action = fn.deadLetterArn.split(":")[2] === "sns" ? "sns:Publish" : "sqs:SendMessage";
      roleUses(fn, action, fn.deadLetterArn, `Lambda parks ${fn.name}'s failed events with its role`, "Allowed");
    }
    if (fn.logGroupArn !== undefined) {
      for (const action of ["logs:CreateLogStream", "logs:PutLogEvents"]) {
        calls.push({
          principal: rolePrincipal(fn),
          action,
          resource: `${fn.logGroupArn}:log-stream:example`,
          context: tls,
          expected: "Allowed",
          purpose: `Lambda writes ${fn.name}'s logs with its role`,
          ...asRole(fn),
          resourcePolicy: undefined,
        });
      }
    }

    // Refused: another environment's table, the key used directly or through another service, a topic the
    // function does not declare.
    const firstTableCall = made.find((call) => call.resource.holds === "dynamodb-table-name");
    if (firstTableCall !== undefined) {
      const tableArn = resourceArnOf(fn, firstTableCall);
      const tableName = tableArn.split("/").pop() ?? "";
      roleUses(fn, firstTableCall.action, tableArn.replace(`/${tableName}`, `/${sibling(tableName)}`), "another environment's table", "Denied");
    }
    // Refused: reading a table of the app the function declares no call on (the triage widget reads no incident), and
    // replacing or deleting an item of a table it uses without declaring it (every writer of the suppression table
    // updates its own attributes only; a whole-item put or a delete would drop the others').
    const usedTables = new Set(made.filter((call) => call.resource.holds === "dynamodb-table-name").map((call) => resourceArnOf(fn, call).split("/index/")[0]));
    for (const table of model.tables) {
      if (!usedTables.has(table.arn)) {
        roleUses(fn, "dynamodb:Scan", table.arn, `${fn.handler} reads no item of ${table.name}`, "Denied");
        continue;
      }
      for (const action of ["dynamodb:PutItem", "dynamodb:DeleteItem"]) {
        if (!made.some((call) => call.action === action && resourceArnOf(fn, call) === table.arn)) {
          roleUses(fn, action, table.arn, `${fn.handler} does not ${action === "dynamodb:PutItem" ? "replace" : "delete"} items of ${table.name}`, "Denied");
        }
      }
    }
    for (const keyArn of new Set([...model.keys.keys(), ...[...model.tables, ...model.topics, ...model.queues].flatMap((r) => (r.keyArn ? [r.keyArn] : []))])) {
      calls.push({
        principal: rolePrincipal(fn),
        action: "kms:Decrypt",
        resource: keyArn,
        context: { ...tls, "kms:CallerAccount": account },
        expected: "Denied",
        purpose: "direct use of the key, outside the services",
        ...asRole(fn),
        resourcePolicy: keyPolicy(keyArn),
      });
      calls.push({
        principal: rolePrincipal(fn),
        action: "kms:Decrypt",
        resource: keyArn,
        context: { ...tls, "kms:CallerAccount": account, "kms:ViaService": `s3.${region}.amazonaws.com` },
        expected: "Denied",
        purpose: "use of the key through a service the project does not use (S3)",
        ...asRole(fn),
        resourcePolicy: keyPolicy(keyArn),
      });
    }
    for (const topic of model.topics) {
      const publishes = made.some((call) => call.action === "sns:Publish" && resourceArnOf(fn, call) === topic.arn);
      if (!publishes) roleUses(fn, "sns:Publish", topic.arn, `${fn.handler} does not publish to ${topic.name}`, "Denied");
    }
  }

  // 2. CloudWatch Logs invokes the destination of each subscription filter (Lambda permission with source_arn
  //    "<group ARN>:*" and source_account, "Using CloudWatch Logs subscription filters", CloudWatch Logs User Guide).
  const invoke = (functionArn: string, groupArn: string, sourceAccount: string, expected: Expectation, purpose: string): void => {
    const fn = model.functions.find((candidate) => candidate.arn === functionArn);
    calls.push({
      ...asService("logs.amazonaws.com"),
      action: "lambda:InvokeFunction",
      resource: functionArn,
      context: { ...tls, "aws:SourceArn": `${groupArn}:*`, "aws:SourceAccount": sourceAccount },
      expected,
      purpose,
      resourcePolicy: fn?.resourcePolicy,
    });
  };
  // Subscriptions to a Kinesis stream (the Kinesis transport) invoke nothing: CloudWatch Logs puts records with the
  // delivery role instead (section 6).
  const functionSubscriptions = model.subscriptions.filter((s) => s.roleArn === undefined);
  for (const subscription of functionSubscriptions) {
    invoke(subscription.destinationArn, subscription.logGroupArn, account, "Allowed", `delivers ${subscription.logGroupName}`);
  }
  // Account-wide monitoring straight to the function: every log group of the account and region may be delivered,
  // by design (the account policy's selection criteria, not the permission, leave out the excluded groups).
  const accountWideToFunction = model.accountSubscriptions.find((policy) => policy.roleArn === undefined);
  const projectSubscription = functionSubscriptions.find((s) => s.logGroupName.includes(`-${environment}-`));
  if (projectSubscription !== undefined) {
    const { destinationArn, logGroupArn, logGroupName } = projectSubscription;
    invoke(destinationArn, otherAccountArn(logGroupArn), OTHER_ACCOUNT, "Denied", "another account's log group");
    const beyondListed: Expectation = accountWideToFunction === undefined ? "Denied" : "Allowed";
    const reach = accountWideToFunction === undefined ? "" : " (account-wide policy)";
    invoke(destinationArn, logGroupArn.replace(logGroupName, sibling(logGroupName)), account, beyondListed, `another environment's log group${reach}`);
    invoke(destinationArn, logGroupArn.replace(logGroupName, UNMONITORED_LOG_GROUP), account, beyondListed, `a log group that is not monitored${reach}`);
  }
  if (accountWideToFunction !== undefined) {
    const anyGroup = `arn:aws:logs:${region}:${account}:log-group:/aws/lambda/any-function`;
    invoke(accountWideToFunction.destinationArn, anyGroup, account, "Allowed", `account policy ${accountWideToFunction.policyName} delivers any log group`);
    invoke(accountWideToFunction.destinationArn, otherAccountArn(anyGroup), OTHER_ACCOUNT, "Denied", "account policy: another account's log group");
  }

  // 3. CloudWatch alarms and AWS Budgets publish to the encrypted topic: the topic policy, and the key policy
  //    for the data key ("Configure AWS KMS permissions for AWS services", Amazon SNS Developer Guide).
  const servicePublishes = (service: string, topic: EncryptedResource, sourceArn: string, sourceAccount: string, expected: Expectation, purpose: string, secure = "true"): void => {
    const context = { "aws:SecureTransport": secure, "aws:SourceArn": sourceArn, "aws:SourceAccount": sourceAccount };
    calls.push({ ...asService(service), action: "sns:Publish", resource: topic.arn, context, expected, purpose, resourcePolicy: topic.policy });
    // A publish SNS refuses never reaches KMS: only a request over TLS asks for a data key.
    if (topic.keyArn === undefined || secure !== "true") return;
    for (const action of KMS_ACTIONS_VIA.sns ?? []) {
      calls.push({
        ...asService(service),
        action,
        resource: topic.keyArn,
        context: { ...context, "kms:ViaService": `sns.${region}.amazonaws.com` },
        expected,
        purpose: `${purpose} (data key)`,
        resourcePolicy: keyPolicy(topic.keyArn),
      });
    }
  };
  const topicByArn = (arn: string): EncryptedResource | undefined => model.topics.find((topic) => topic.arn === arn);
  let firstAlarm: { readonly name: string; readonly arn: string; readonly topic: EncryptedResource } | undefined;
  for (const alarm of model.alarms) {
    for (const actionArn of alarm.actionArns) {
      const topic = topicByArn(actionArn);
      if (topic === undefined) continue;
      firstAlarm ??= { name: alarm.name, arn: alarm.arn, topic };
      servicePublishes("cloudwatch.amazonaws.com", topic, alarm.arn, account, "Allowed", `alarm ${alarm.name} notifies`);
    }
  }
  if (firstAlarm !== undefined) {
    const { name, arn, topic } = firstAlarm;
    servicePublishes("cloudwatch.amazonaws.com", topic, otherAccountArn(arn), OTHER_ACCOUNT, "Denied", "another account's alarm");
    servicePublishes("cloudwatch.amazonaws.com", topic, arn.replace(name, sibling(name)), account, "Denied", "another environment's alarm");
    servicePublishes("cloudwatch.amazonaws.com", topic, arn, account, "Denied", "a notification sent without TLS", "false");
  }
  for (const budget of model.budgets) {
    for (const topicArn of budget.topicArns) {
      const topic = topicByArn(topicArn);
      if (topic === undefined) continue;
      servicePublishes("budgets.amazonaws.com", topic, budget.arn, account, "Allowed", `budget ${budget.name} notifies`);
      servicePublishes("budgets.amazonaws.com", topic, otherAccountArn(budget.arn), OTHER_ACCOUNT, "Denied", "another account's budget");
      servicePublishes("budgets.amazonaws.com", topic, budget.arn.replace(budget.name, sibling(budget.name)), account, "Denied", "another environment's budget");
    }
  }

  // 4. CloudWatch Logs encrypts each log group the app creates, with the group's ARN as encryption context
  //    ("Encrypt log data in CloudWatch Logs using AWS Key Management Service", CloudWatch Logs User Guide).
  const logsService = `logs.${region}.amazonaws.com`;
  const logsUseKey = (keyArn: string, groupArn: string, expected: Expectation, purpose: string): void => {
    for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
      calls.push({
        ...asService(logsService),
        action,
        resource: keyArn,
        context: { "kms:EncryptionContext:aws:logs:arn": groupArn },
        expected,
        purpose,
        resourcePolicy: keyPolicy(keyArn),
      });
    }
  };
  const encryptedGroups = model.logGroups.filter((group) => group.keyArn !== undefined);
  for (const group of encryptedGroups) logsUseKey(group.keyArn ?? "", group.arn, "Allowed", `encrypts ${group.name}`);
  const firstGroup = encryptedGroups[0];
  if (firstGroup !== undefined) {
    const keyArn = firstGroup.keyArn ?? "";
    logsUseKey(keyArn, otherAccountArn(firstGroup.arn), "Denied", "another account's log group");
    logsUseKey(keyArn, firstGroup.arn.replace(firstGroup.name, sibling(firstGroup.name)), "Denied", "another environment's log group");
  }

  // 6. Roles services assume for the project. A chat channel's role (AWS Chatbot) may describe this environment's
  //    alarms and do nothing else; its guardrail policies bound whatever is run from the channel, like a permissions
  //    boundary, so the proof evaluates them as one. An EventBridge Scheduler role may invoke its target only.
  for (const channel of model.chatChannels ?? []) {
    const guardrail: NamedPolicy | undefined =
      channel.guardrails.length === 0
        ? undefined
        : { name: channel.guardrails.map((g) => g.name).join(" + "), policy: { Version: "2012-10-17", Statement: channel.guardrails.flatMap((g) => asList(g.policy.Statement)) } };
    const channelCall = (action: string, resource: string, expected: Expectation, purpose: string): void => {
      calls.push({
        principal: { label: `role ${channel.role.roleName} (${channel.name})`, principal: channel.role.sessionArn },
        action,
        resource,
        context: tls,
        expected,
        purpose,
        identityPolicies: channel.role.identityPolicies,
        permissionsBoundary: guardrail,
        resourcePolicy: undefined,
      });
    };
    for (const alarm of model.alarms) channelCall("cloudwatch:DescribeAlarms", alarm.arn, "Allowed", `chat channel ${channel.name} shows alarm ${alarm.name}`);
    const firstAlarm = model.alarms[0];
    if (firstAlarm !== undefined) {
      channelCall("cloudwatch:DescribeAlarms", firstAlarm.arn.replace(firstAlarm.name, sibling(firstAlarm.name)), "Denied", "another environment's alarm, from a chat channel");
      channelCall("cloudwatch:DeleteAlarms", firstAlarm.arn, "Denied", "deleting an alarm from a chat channel");
    }
    for (const topic of model.topics) channelCall("sns:Publish", topic.arn, "Denied", `publishing to ${topic.name} from a chat channel`);
    for (const fn of model.functions) channelCall("lambda:InvokeFunction", fn.arn, "Denied", `invoking ${fn.name} from a chat channel`);
  }
  for (const schedule of model.schedules ?? []) {
    for (const fn of model.functions) {
      calls.push({
        principal: { label: `role ${schedule.role.roleName} (schedule ${schedule.name})`, principal: schedule.role.sessionArn },
        action: "lambda:InvokeFunction",
        resource: fn.arn,
        context: tls,
        expected: fn.arn === schedule.targetArn ? "Allowed" : "Denied",
        purpose: fn.arn === schedule.targetArn ? `schedule ${schedule.name} runs ${fn.name}` : `schedule ${schedule.name} may not run ${fn.name}`,
        identityPolicies: schedule.role.identityPolicies,
        permissionsBoundary: boundaryOf(schedule.role),
        resourcePolicy: fn.resourcePolicy,
      });
    }
  }

  // 5. Another account may not send to the queue, publish to the topic or invoke a function, even with an
  //    identity policy that allows it everything: cross-account access needs the resource policy's consent.
  const outsider = { label: `role outsider (account ${OTHER_ACCOUNT})`, principal: `arn:aws:iam::${OTHER_ACCOUNT}:role/outsider` };
  const allowsEverything: NamedPolicy = {
    name: "outsider-allows-everything",
    policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["sqs:*", "sns:*", "lambda:*"], Resource: "*" }] },
  };
  const outsiderCalls: [string, string, PolicyDocument | undefined][] = [
    ...model.queues.map((queue): [string, string, PolicyDocument | undefined] => ["sqs:SendMessage", queue.arn, queue.policy]),
    ...model.topics.map((topic): [string, string, PolicyDocument | undefined] => ["sns:Publish", topic.arn, topic.policy]),
    ...model.functions.map((fn): [string, string, PolicyDocument | undefined] => ["lambda:InvokeFunction", fn.arn, fn.resourcePolicy]),
  ];
  for (const [action, resource, resourcePolicy] of outsiderCalls) {
    calls.push({
      principal: outsider,
      action,
      resource,
      context: tls,
      expected: "Denied",
      purpose: "an outside account",
      identityPolicies: [allowsEverything],
      permissionsBoundary: undefined,
      resourcePolicy,
    });
  }
  // 6. The Kinesis transport. CloudWatch Logs assumes the delivery role (its trust policy; aws:SourceArn and
  //    aws:SourceAccount, CloudWatch Logs User Guide, "Subscription filters with Amazon Kinesis Data Streams") and puts
  //    records with it, which needs a data key of the stream's key through Kinesis; the event source mapping reads
  //    the stream with the function's role, which needs kms:Decrypt through Kinesis (Kinesis Data Streams Developer
  //    Guide, "Permissions to use user-generated KMS keys"; Lambda Developer Guide, "Using AWS Lambda with Amazon
  //    Kinesis", execution role permissions).
  const streamByArn = (arn: string): EncryptedResource | undefined => model.streams.find((stream) => stream.arn === arn);
  const kinesisContext = (keyed: boolean): Record<string, string> => (keyed ? { ...tls, "kms:ViaService": `kinesis.${region}.amazonaws.com`, "kms:CallerAccount": account } : tls);
  const deliveries = [
    ...model.subscriptions.flatMap((s) => (s.roleArn === undefined ? [] : [{ roleArn: s.roleArn, streamArn: s.destinationArn, sourceArn: `${s.logGroupArn}:*`, label: s.logGroupName }])),
    ...model.accountSubscriptions.flatMap((p) =>
      p.roleArn === undefined
        ? []
        : [{ roleArn: p.roleArn, streamArn: p.destinationArn, sourceArn: `arn:aws:logs:${region}:${account}:log-group:/aws/lambda/any-function:*`, label: `account policy ${p.policyName}` }],
    ),
  ];
  const checkedRoles = new Set<string>();
  for (const delivery of deliveries) {
    const role = model.serviceRoles.find((candidate) => candidate.arn === delivery.roleArn);
    const stream = streamByArn(delivery.streamArn);
    if (role === undefined || stream === undefined) {
      throw new CallPlanError(`the delivery of ${delivery.label} uses role ${delivery.roleArn} and stream ${delivery.streamArn}, which the app does not create`);
    }
    calls.push({
      ...asService("logs.amazonaws.com"),
      action: "sts:AssumeRole",
      resource: role.arn,
      context: { ...tls, "aws:SourceArn": delivery.sourceArn, "aws:SourceAccount": account },
      expected: "Allowed",
      purpose: `CloudWatch Logs delivers ${delivery.label} with ${role.name}`,
      resourcePolicy: role.trustPolicy,
    });
    const asDeliveryRole = asLogsSession(role);
    const deliveryCall = (action: string, resource: string, context: Record<string, string>, expected: Expectation, purpose: string, resourcePolicy?: PolicyDocument): void => {
      calls.push({ ...asDeliveryRole, action, resource, context, expected, purpose, resourcePolicy });
    };
    deliveryCall("kinesis:PutRecord", stream.arn, tls, "Allowed", `CloudWatch Logs puts ${delivery.label}'s deliveries into ${stream.name}`);
    if (stream.keyArn !== undefined) {
      deliveryCall("kms:GenerateDataKey", stream.keyArn, kinesisContext(true), "Allowed", `kinesis uses the key of ${stream.name} for kinesis:PutRecord`, keyPolicy(stream.keyArn));
    }
    if (checkedRoles.has(role.arn)) continue;
    checkedRoles.add(role.arn);
    // Refused: the role used by CloudWatch Logs of another account; reading the stream; another environment's stream;
    // the key directly.
    calls.push({
      ...asService("logs.amazonaws.com"),
      action: "sts:AssumeRole",
      resource: role.arn,
      context: { ...tls, "aws:SourceArn": otherAccountArn(delivery.sourceArn), "aws:SourceAccount": OTHER_ACCOUNT },
      expected: "Denied",
      purpose: "CloudWatch Logs for another account's log group",
      resourcePolicy: role.trustPolicy,
    });
    deliveryCall("kinesis:GetRecords", stream.arn, tls, "Denied", "the delivery role reads the stream");
    deliveryCall("kinesis:PutRecord", stream.arn.replace(`/${stream.name}`, `/${sibling(stream.name)}`), tls, "Denied", "another environment's stream");
    if (stream.keyArn !== undefined) {
      deliveryCall("kms:GenerateDataKey", stream.keyArn, { ...tls, "kms:CallerAccount": account }, "Denied", "direct use of the key, outside Kinesis", keyPolicy(stream.keyArn));
    }
  }
  for (const mapping of model.eventSourceMappings) {
    const fn = model.functions.find((candidate) => candidate.name === mapping.functionName);
    const stream = streamByArn(mapping.eventSourceArn);
    if (fn === undefined || stream === undefined) {
      throw new CallPlanError(`the event source mapping of ${mapping.functionName} reads ${mapping.eventSourceArn}, which the app does not create`);
    }
    for (const action of ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"]) {
      calls.push({ principal: rolePrincipal(fn), action, resource: stream.arn, context: tls, expected: "Allowed", purpose: `Lambda reads ${stream.name} for ${fn.name}`, ...asRole(fn), resourcePolicy: undefined });
    }
    if (stream.keyArn !== undefined) {
      calls.push({
        principal: rolePrincipal(fn),
        action: "kms:Decrypt",
        resource: stream.keyArn,
        context: kinesisContext(true),
        expected: "Allowed",
        purpose: `kinesis uses the key of ${stream.name} for kinesis:GetRecords`,
        ...asRole(fn),
        resourcePolicy: keyPolicy(stream.keyArn),
      });
    }
    if (mapping.onFailureArn !== undefined) roleUses(fn, "sqs:SendMessage", mapping.onFailureArn, `Lambda sends ${stream.name}'s failed batches' descriptions`, "Allowed");
    calls.push({ principal: rolePrincipal(fn), action: "kinesis:PutRecord", resource: stream.arn, context: tls, expected: "Denied", purpose: "the processor writes to the stream", ...asRole(fn), resourcePolicy: undefined });
  }
  // 7. Cross-account delivery. A source account's administrator subscribes to the destination: a cross-account
  //    request, allowed only when the caller's identity policy allows it and the destination policy admits the
  //    account (CloudWatch Logs User Guide, "Step 3: Add/validate IAM permissions for the cross-account destination";
  //    IAM User Guide, "Cross-account policy evaluation logic"). CloudWatch Logs then assumes the destination role for
  //    that account's log groups (aws:SourceArn, "Step 1: Create a destination") and puts records with it.
  for (const destination of model.destinations) {
    const sources = external.crossAccountSources;
    if (sources === undefined) throw new CallPlanError(`destination ${destination.name} exists but the configuration admits no source accounts`);
    const role = model.serviceRoles.find((candidate) => candidate.arn === destination.roleArn);
    const stream = streamByArn(destination.targetArn);
    if (role === undefined || stream === undefined) {
      throw new CallPlanError(`destination ${destination.name} uses role ${destination.roleArn} and stream ${destination.targetArn}, which the app does not create`);
    }
    const admitted = sources.kind === "accounts" ? sources.accountIds : [ORGANIZATION_MEMBER_ACCOUNT];
    const orgOf = (member: boolean): Record<string, string> =>
      sources.kind === "organization" ? { "aws:PrincipalOrgID": member ? sources.organizationId : OTHER_ORGANIZATION } : {};
    const subscribe = (sourceAccount: string, action: string, expected: Expectation, purpose: string, member: boolean): void => {
      const adminRole = `arn:aws:iam::${sourceAccount}:role/Admin`;
      calls.push({
        principal: { label: `role Admin (account ${sourceAccount})`, principal: `arn:aws:sts::${sourceAccount}:assumed-role/Admin/deployer` },
        action,
        resource: destination.arn,
        context: { ...tls, ...orgOf(member) },
        expected,
        purpose,
        identityPolicies: [
          {
            name: `${adminRole} (subscribes to the central destination)`,
            policy: { Version: "2012-10-17", Statement: [{ Sid: "SubscribeToCentralDestination", Effect: "Allow", Action: ["logs:PutSubscriptionFilter"], Resource: destination.arn }] },
          },
        ],
        permissionsBoundary: undefined,
        resourcePolicy: destination.accessPolicy,
      });
    };
    // With an organization, CloudWatch Logs acts for an account of it (aws:SourceOrgID), or of another one. The request
    // carries aws:SourceOrgID because AWS documents it as the key for this cross-service use: "We recommend using the
    // aws:SourceArn, aws:SourceAccount, aws:SourceOrgID, and aws:SourceOrgPaths global condition context keys ... Use
    // aws:SourceOrgID to allow any resource from any account within an organization be associated with the
    // cross-service use" (CloudWatch Logs User Guide, subscriptions, "Confused deputy prevention",
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Subscriptions-confused-deputy.html). aws:SourceArn is
    // sent as the same page and "Step 1: Create a destination" show; no other key is added.
    const assume = (sourceArn: string, expected: Expectation, purpose: string, member = true): void => {
      calls.push({
        ...asService("logs.amazonaws.com"),
        action: "sts:AssumeRole",
        resource: role.arn,
        context: { ...tls, "aws:SourceArn": sourceArn, ...(sources.kind === "organization" ? { "aws:SourceOrgID": member ? sources.organizationId : OTHER_ORGANIZATION } : {}) },
        expected,
        purpose,
        resourcePolicy: role.trustPolicy,
      });
    };
    const asDestinationRole = asLogsSession(role);
    for (const sourceAccount of admitted) {
      subscribe(sourceAccount, "logs:PutSubscriptionFilter", "Allowed", `account ${sourceAccount} subscribes its log groups to ${destination.name}`, true);
      assume(`arn:aws:logs:${region}:${sourceAccount}:log-group:/aws/lambda/any-function:*`, "Allowed", `CloudWatch Logs delivers account ${sourceAccount}'s events to ${destination.name} with ${role.name}`);
    }
    // The recipient's own CloudWatch Logs sends a test message when the destination is created.
    assume(`arn:aws:logs:${region}:${account}:destination:${destination.name}`, "Allowed", `CloudWatch Logs tests ${destination.name} for the recipient account`);
    calls.push({ ...asDestinationRole, action: "kinesis:PutRecord", resource: stream.arn, context: tls, expected: "Allowed", purpose: `CloudWatch Logs puts ${destination.name}'s deliveries into ${stream.name}`, resourcePolicy: undefined });
    if (stream.keyArn !== undefined) {
      calls.push({ ...asDestinationRole, action: "kms:GenerateDataKey", resource: stream.keyArn, context: kinesisContext(true), expected: "Allowed", purpose: `kinesis uses the key of ${stream.name} for ${destination.name}'s deliveries`, resourcePolicy: keyPolicy(stream.keyArn) });
    }
    // Refused: an account the configuration does not admit; another organization's account; CloudWatch Logs for an
    // unlisted account or another region; the destination role reading the stream or writing another environment's.
    if (sources.kind === "accounts") {
      subscribe(OTHER_ACCOUNT, "logs:PutSubscriptionFilter", "Denied", `an unlisted account subscribes to ${destination.name}`, false);
      assume(`arn:aws:logs:${region}:${OTHER_ACCOUNT}:log-group:/aws/lambda/any-function:*`, "Denied", `CloudWatch Logs for an unlisted account's log group, to ${destination.name}`);
    } else {
      subscribe(OTHER_ACCOUNT, "logs:PutSubscriptionFilter", "Denied", `an account of another organization subscribes to ${destination.name}`, false);
      assume(`arn:aws:logs:${region}:${OTHER_ACCOUNT}:log-group:/aws/lambda/any-function:*`, "Denied", `CloudWatch Logs for another organization's log group, to ${destination.name}`, false);
    }
    assume(`arn:aws:logs:${OTHER_REGION}:${admitted[0] ?? OTHER_ACCOUNT}:log-group:/aws/lambda/any-function:*`, "Denied", `CloudWatch Logs in another region, to ${destination.name}`);
    calls.push({ ...asDestinationRole, action: "kinesis:GetRecords", resource: stream.arn, context: tls, expected: "Denied", purpose: "the destination role reads the stream", resourcePolicy: undefined });
    calls.push({
      ...asDestinationRole,
      action: "kinesis:PutRecord",
      resource: stream.arn.replace(`/${stream.name}`, `/${sibling(stream.name)}`),
      context: tls,
      expected: "Denied",
      purpose: "the destination role writes another environment's stream",
      resourcePolicy: undefined,
    });
  }

  // The operator: `npm run incidents` with the documented least-privilege policy (lib/authz/operator.ts).
  calls.push(...operatorCalls(model, keyPolicy));
  return calls;
}

function asList<T>(value: T | readonly T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? [...(value as readonly T[])] : [value as T];
}
