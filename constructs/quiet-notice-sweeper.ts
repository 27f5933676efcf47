import { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { SchedulerSchedule } from "@cdktf/provider-aws/lib/scheduler-schedule";
import { BundledFunction } from "./bundled-function";
import { grantsForCalls } from "./handler-grants";
import { IncidentTableRefs } from "./incident-tables";
import { BY_FINGERPRINT_INDEX } from "../handlers/log-processor/incident-schema";
import { QUIET_NOTICES_AWS_CALLS } from "../handlers/quiet-notices/aws-calls";

/** Minutes between sweeps: part of a notice's latency (README, "Quiet-again notices"). */
export const QUIET_SWEEP_RATE_MINUTES = 5;

/** Props of {@link QuietNoticeSweeper}. */
export interface QuietNoticeSweeperProps {
  /** The function's name, `log-monitor-<env>-quiet-notices`. */
  readonly functionName: string;
  /** Its role's name (global: carries the region). */
  readonly roleName: string;
  /** The scheduler role's name (global: carries the region). */
  readonly schedulerRoleName: string;
  /** The schedule's name. */
  readonly scheduleName: string;
  /** The account, for the scheduler role's trust condition. */
  readonly accountId: string;
  readonly region: string;
  /** The suppression table it sweeps and the incidents table it reads the latest incident from. */
  readonly tables: IncidentTableRefs;
  /** The alert topic notices go to (not the critical topic: a notice is not a page). */
  readonly alertTopicArn: string;
  readonly suppressionMinutes: number;
  readonly kmsKeyArn: string;
  readonly logRetentionDays: number;
  /** @default none */
  readonly permissionsBoundaryArn?: string;
}

/**
 * The quiet-notice sweeper: a function that publishes one "quiet again" notice per episode that has not recurred for a
 * whole window (handlers/quiet-notices), invoked every {@link QUIET_SWEEP_RATE_MINUTES} minutes by an EventBridge
 * Scheduler schedule whose role may invoke this function and nothing else. Not built on DynamoDB TTL deletions, which
 * can lag by up to 48 hours.
 */
export class QuietNoticeSweeper extends Construct {
  /** ARN of the sweeper function. */
  readonly functionArn: string;

  constructor(scope: Construct, id: string, props: QuietNoticeSweeperProps) {
    super(scope, id);
    const environment: Record<string, string> = {
      SUPPRESSION_TABLE_NAME: props.tables.suppressionTableName,
      INCIDENTS_TABLE_NAME: props.tables.incidentsTableName,
      ALERT_TOPIC_ARN: props.alertTopicArn,
      SUPPRESSION_MINUTES: String(props.suppressionMinutes),
    };
    // The grants come from the handler's declaration of its calls (handlers/quiet-notices/aws-calls.ts), each with
    // the key through the service that uses it.
    const tableKey = { keyArn: props.kmsKeyArn, service: "dynamodb", sid: "UseKeyForEncryptedTables" } as const;
    const grants = grantsForCalls(
      QUIET_NOTICES_AWS_CALLS,
      environment,
      {
        SUPPRESSION_TABLE_NAME: { sid: "FindAndCloseQuietEpisodes", arn: props.tables.suppressionTableArn, encryption: tableKey },
        // Its only call on the incidents table is a Query of the by-fingerprint index.
        INCIDENTS_TABLE_NAME: { sid: "ReadLatestIncident", arn: `${props.tables.incidentsTableArn}/index/${BY_FINGERPRINT_INDEX.name}`, encryption: tableKey },
        ALERT_TOPIC_ARN: {
          sid: "PublishQuietNotices",
          arn: props.alertTopicArn,
          encryption: { keyArn: props.kmsKeyArn, service: "sns", sid: "EncryptQuietNotices" },
        },
      },
      props.region,
    );
    const sweeper = new BundledFunction(this, "quiet-notices", {
      handlerName: "quiet-notices",
      functionName: props.functionName,
      roleName: props.roleName,
      description: "Publishes one quiet-again notice per alerted failure that has not recurred for a whole suppression window",
      // After a storm one sweep claims, summarises and closes every quiet episode: two conditional writes each. For
      // 10,000 episodes the sweeper's own work measured 30 s of CPU (about 1.5 ms a request, docs/alert-state-machine.md);
      // Lambda gives 1,769 MB one full vCPU (Lambda Developer Guide, "Configuring Lambda function memory"), and 120 s
      // leaves room for DynamoDB's round trips. The sweep stops claiming at half the time left above its reserve, so a
      // larger storm is finished by the next sweep, never cut off. Idle sweeps take a fraction of a second.
      memorySizeMb: 1769,
      timeoutSeconds: 120,
      environment,
      logRetentionDays: props.logRetentionDays,
      logsKmsKeyArn: props.kmsKeyArn,
      ...(props.permissionsBoundaryArn === undefined ? {} : { permissionsBoundaryArn: props.permissionsBoundaryArn }),
      policyStatements: grants,
    });

    // EventBridge Scheduler User Guide, "Set up the execution role": trust scheduler.amazonaws.com, for schedules of
    // this account only (aws:SourceAccount), and allow exactly the target's action on the target.
    const trust = new DataAwsIamPolicyDocument(this, "scheduler-trust", {
      statement: [
        {
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["scheduler.amazonaws.com"] }],
          actions: ["sts:AssumeRole"],
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] }],
        },
      ],
    });
    trust.overrideLogicalId("quiet-notices-scheduler-trust");
    const role = new IamRole(this, "scheduler-role", {
      name: props.schedulerRoleName,
      description: "Lets EventBridge Scheduler invoke the quiet-notice sweeper, and nothing else",
      assumeRolePolicy: trust.json,
      ...(props.permissionsBoundaryArn === undefined ? {} : { permissionsBoundary: props.permissionsBoundaryArn }),
    });
    role.overrideLogicalId("quiet-notices-scheduler-role");
    const invoke = new DataAwsIamPolicyDocument(this, "scheduler-policy-document", {
      statement: [{ sid: "InvokeSweeper", effect: "Allow", actions: ["lambda:InvokeFunction"], resources: [sweeper.functionArn] }],
    });
    invoke.overrideLogicalId("quiet-notices-scheduler-policy-document");
    const invokePolicy = new IamRolePolicy(this, "scheduler-role-policy", { name: "invoke-quiet-notice-sweeper", role: role.name, policy: invoke.json });
    invokePolicy.overrideLogicalId("quiet-notices-scheduler-role-policy");

    new SchedulerSchedule(this, "schedule", {
      name: props.scheduleName,
      description: `Runs the quiet-notice sweep every ${QUIET_SWEEP_RATE_MINUTES} minutes`,
      scheduleExpression: `rate(${QUIET_SWEEP_RATE_MINUTES} minutes)`,
      flexibleTimeWindow: { mode: "OFF" },
      target: {
        arn: sweeper.functionArn,
        roleArn: role.arn,
        input: "{}",
        // The next sweep is the retry: a failed one reopens what it could not notify.
        retryPolicy: { maximumRetryAttempts: 0 },
      },
      // The role may invoke the sweeper only once its policy exists: otherwise the first runs fail unseen.
      dependsOn: [invokePolicy],
    }).overrideLogicalId("quiet-notices-schedule");
    this.functionArn = sweeper.functionArn;
  }
}
