import { AssetType, TerraformAsset, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { ArchiveProvider } from "@cdktf/provider-archive/lib/provider";
import { DataArchiveFile } from "@cdktf/provider-archive/lib/data-archive-file";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { bundleHandler, LAMBDA_RUNTIME } from "./bundle-handler";
import { PolicyStatementSpec, toPolicyDocumentStatement } from "./policy-statement";

/** Props of {@link BundledFunction}. */
export interface BundledFunctionProps {
  /** The folder under `handlers/` whose `index.ts` exports `handler`. */
  readonly handlerName: string;
  /** The Lambda function's name; its log group is `/aws/lambda/<functionName>`. */
  readonly functionName: string;
  /** The execution role's name. IAM names are global to the account, so it carries the region (Lambda's are regional). */
  readonly roleName: string;
  /** What the function does, shown in the Lambda console. */
  readonly description: string;
  /** Memory in MB (CPU scales with it); state the reason at the call site. */
  readonly memorySizeMb: number;
  /** Timeout in seconds; state the reason at the call site. */
  readonly timeoutSeconds: number;
  /** Environment variables the handler reads at cold start. @default none */
  readonly environment?: Readonly<Record<string, string>>;
  /** Retention of the function's log group, in days. */
  readonly logRetentionDays: number;
  /** ARN of the KMS key that encrypts the function's log group. */
  readonly logsKmsKeyArn: string;
  /** What the function may do beyond writing its own logs and traces. @default nothing more */
  readonly policyStatements?: readonly PolicyStatementSpec[];
  /** SQS queue that keeps asynchronous invocations that failed every retry. @default none */
  readonly deadLetterQueueArn?: string;
  /**
   * Concurrent executions reserved for (and capping) the function, so that a burst can neither starve
   * other functions in the account nor run away with cost. Leave it unset where the account may still be on
   * the new-account quota: Lambda refuses any reservation that would leave fewer than 10 unreserved.
   * @default none (the account's unreserved pool)
   */
  readonly reservedConcurrency?: number;
  /** ARN of a permissions boundary for the execution role, as many organisations require. @default none */
  readonly permissionsBoundaryArn?: string;
}

/**
 * A Node.js Lambda function built from a TypeScript handler in this repository, with its own log group
 * (created first, so that retention and encryption apply from the first line), a role that may write only
 * that log group plus what the caller grants, and active X-Ray tracing.
 *
 * The handler is bundled with esbuild when the stack is synthesized, brought in as a TerraformAsset, and
 * zipped by the archive provider's `archive_file` at plan time; `source_code_hash` comes from that zip, so
 * a code change (and only a code change) updates the function.
 */
export class BundledFunction extends Construct {
  /** The function's name. */
  readonly functionName: string;
  /** The function's ARN. */
  readonly functionArn: string;
  /** The function's log group name. */
  readonly logGroupName: string;
  /** The function's log group ARN (without the `:*` suffix). */
  readonly logGroupArn: string;
  /** The execution role's ARN. */
  readonly roleArn: string;
  /** The function's timeout in seconds. */
  readonly timeoutSeconds: number;

  constructor(scope: Construct, id: string, props: BundledFunctionProps) {
    super(scope, id);
    const stack = TerraformStack.of(this);
    ensureArchiveProvider(stack);

    const logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.logsKmsKeyArn,
    });
    logGroup.overrideLogicalId(`${id}-log-group`);

    const assumeRole = new DataAwsIamPolicyDocument(this, "assume-role-policy", {
      statement: [
        {
          sid: "LambdaAssumesRole",
          effect: "Allow",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["lambda.amazonaws.com"] }],
        },
      ],
    });
    assumeRole.overrideLogicalId(`${id}-assume-role-policy`);

    const role = new IamRole(this, "role", {
      name: props.roleName,
      description: `Execution role of the ${props.functionName} Lambda function`,
      assumeRolePolicy: assumeRole.json,
      ...(props.permissionsBoundaryArn ? { permissionsBoundary: props.permissionsBoundaryArn } : {}),
    });
    role.overrideLogicalId(`${id}-role`);

    const statements: PolicyStatementSpec[] = [
      {
        sid: "WriteOwnLogs",
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: [`${logGroup.arn}:*`],
      },
      {
        // X-Ray's PutTraceSegments and PutTelemetryRecords support no resource-level permissions:
        // "*" is the only resource AWS accepts for them.
        sid: "WriteTraces",
        actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
        resources: ["*"],
      },
      ...(props.policyStatements ?? []),
    ];
    const policy = new DataAwsIamPolicyDocument(this, "policy", {
      statement: statements.map(toPolicyDocumentStatement),
    });
    policy.overrideLogicalId(`${id}-policy`);

    const rolePolicy = new IamRolePolicy(this, "role-policy", {
      name: `${props.roleName}-permissions`,
      role: role.id,
      policy: policy.json,
    });
    rolePolicy.overrideLogicalId(`${id}-role-policy`);

    const asset = new TerraformAsset(this, "bundle", {
      path: bundleHandler(props.handlerName),
      type: AssetType.DIRECTORY,
    });
    const archive = new DataArchiveFile(this, "archive", {
      type: "zip",
      sourceDir: asset.path,
      outputPath: `${asset.path}.zip`,
      // Fixed file modes keep the zip, and so source_code_hash, identical across machines and umasks.
      outputFileMode: "0644",
    });
    archive.overrideLogicalId(`${id}-archive`);

    const fn = new LambdaFunction(this, "function", {
      functionName: props.functionName,
      description: props.description,
      runtime: LAMBDA_RUNTIME,
      architectures: ["arm64"],
      handler: "index.handler",
      filename: archive.outputPath,
      sourceCodeHash: archive.outputBase64Sha256,
      role: role.arn,
      memorySize: props.memorySizeMb,
      timeout: props.timeoutSeconds,
      ...(props.reservedConcurrency === undefined ? {} : { reservedConcurrentExecutions: props.reservedConcurrency }),
      ...(props.environment ? { environment: { variables: { ...props.environment } } } : {}),
      loggingConfig: {
        // Lambda's JSON log format gives every line a `level` field that metric filters and
        // Logs Insights can match exactly, instead of guessing from the text.
        logFormat: "JSON",
        logGroup: logGroup.name,
        applicationLogLevel: "INFO",
        systemLogLevel: "INFO",
      },
      tracingConfig: { mode: "Active" },
      ...(props.deadLetterQueueArn ? { deadLetterConfig: { targetArn: props.deadLetterQueueArn } } : {}),
      // The role's permissions must exist before the first invocation tries to write logs.
      dependsOn: [rolePolicy],
    });
    fn.overrideLogicalId(id);

    this.functionName = fn.functionName;
    this.functionArn = fn.arn;
    this.logGroupName = logGroup.name;
    this.logGroupArn = logGroup.arn;
    this.roleArn = role.arn;
    this.timeoutSeconds = props.timeoutSeconds;
  }
}

function ensureArchiveProvider(stack: TerraformStack): void {
  if (!stack.node.tryFindChild("archive")) {
    new ArchiveProvider(stack, "archive");
  }
}
