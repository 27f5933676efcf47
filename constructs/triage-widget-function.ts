import { Construct } from "constructs";
import { BundledFunction } from "./bundled-function";
import { grantsForCalls } from "./handler-grants";
import { TRIAGE_WIDGET_AWS_CALLS } from "../handlers/triage-widget/aws-calls";
import { PROCESSOR_LOG_GROUP_VARIABLE, SUPPRESSION_TABLE_VARIABLE } from "../handlers/triage-widget/config";

/** Props of {@link TriageWidgetFunction}. */
export interface TriageWidgetFunctionProps {
  /** The function's name, `log-monitor-<env>-triage-widget`. */
  readonly functionName: string;
  /** Its role's name (global: carries the region). */
  readonly roleName: string;
  readonly region: string;
  /** Name and ARN of the alert-suppression table it lists and triages. */
  readonly suppressionTableName: string;
  readonly suppressionTableArn: string;
  /** The log processor's log group, which the widget's links query for a failure's fingerprint. */
  readonly processorLogGroupName: string;
  /** The environment's key: it encrypts the table (so the role uses it through DynamoDB) and the function's log group. */
  readonly kmsKeyArn: string;
  readonly logRetentionDays: number;
  /** @default none */
  readonly permissionsBoundaryArn?: string;
}

/**
 * The Lambda function behind the dashboard's triage widget (handlers/triage-widget): a CloudWatch custom widget that
 * lists the failures of the alert-suppression table and resolves, mutes, ignores and reopens them. Its role may Scan
 * and UpdateItem that one table (and use the table's key through DynamoDB), granted from the handler's declaration of
 * its calls, and write its own logs; nothing else. Who may use the widget is who may invoke the function: the
 * dashboard invokes it with the viewer's own credentials (docs/operations.md, "Triage widget").
 */
export class TriageWidgetFunction extends Construct {
  /** The function's ARN: the widget's `endpoint`. */
  readonly functionArn: string;
  /** The function's name. */
  readonly functionName: string;

  constructor(scope: Construct, id: string, props: TriageWidgetFunctionProps) {
    super(scope, id);
    const environment: Record<string, string> = {
      [SUPPRESSION_TABLE_VARIABLE]: props.suppressionTableName,
      [PROCESSOR_LOG_GROUP_VARIABLE]: props.processorLogGroupName,
    };
    const grants = grantsForCalls(
      TRIAGE_WIDGET_AWS_CALLS,
      environment,
      {
        [SUPPRESSION_TABLE_VARIABLE]: {
          sid: "TriageFailures",
          arn: props.suppressionTableArn,
          encryption: { keyArn: props.kmsKeyArn, service: "dynamodb", sid: "UseKeyForEncryptedTable" },
        },
      },
      props.region,
    );
    const fn = new BundledFunction(this, "triage-widget", {
      handlerName: "triage-widget",
      functionName: props.functionName,
      roleName: props.roleName,
      description: "The overview dashboard's triage widget: lists failures and resolves, mutes, ignores or reopens them",
      // A consistent Scan of the suppression table (one item per failure seen within about a day, or triaged within
      // 90 days: up to about 10,000 after a storm, a few MB in pages of 1 MB) and one HTML table of at most 50 rows.
      // 512 MB gives a third of a vCPU for parsing the pages; 20 s leaves room for their round trips.
      memorySizeMb: 512,
      timeoutSeconds: 20,
      environment,
      logRetentionDays: props.logRetentionDays,
      logsKmsKeyArn: props.kmsKeyArn,
      ...(props.permissionsBoundaryArn === undefined ? {} : { permissionsBoundaryArn: props.permissionsBoundaryArn }),
      policyStatements: grants,
    });
    this.functionArn = fn.functionArn;
    this.functionName = fn.functionName;
  }
}
