import { Construct } from "constructs";
import { TEST_EMITTER_AWS_CALLS } from "../handlers/test-emitter/aws-calls";
import { BundledFunction } from "./bundled-function";
import { FlatConstruct } from "./flat-construct";
import { grantsForCalls } from "./handler-grants";

/** Props of {@link TestEmitter}. */
export interface TestEmitterProps {
  /** The function's name, e.g. `log-monitor-prod-test-emitter`. */
  readonly functionName: string;
  /** Its execution role's name (global: carries the region). */
  readonly roleName: string;
  /** The stack's region. */
  readonly region: string;
  /** Retention of the function's log group, in days. */
  readonly logRetentionDays: number;
  /** ARN of the key the function's log group is encrypted with. */
  readonly logsKmsKeyArn: string;
  /** ARN of a permissions boundary for the execution role. @default none */
  readonly permissionsBoundaryArn?: string;
}

/**
 * The test emitter (`test-emitter`): a function that writes INFO and ERROR log lines on demand, so that the whole
 * alerting chain can be exercised; its log group is the first one monitored. Created in the parent's scope (see
 * {@link FlatConstruct}).
 */
export class TestEmitter extends FlatConstruct {
  /** The function's log group name. */
  readonly logGroupName: string;
  /** The function's log group ARN (without the `:*` suffix). */
  readonly logGroupArn: string;

  constructor(scope: Construct, id: string, props: TestEmitterProps) {
    super(scope, id);
    const emitter = new BundledFunction(this.resourceScope, "test-emitter", {
      handlerName: "test-emitter",
      functionName: props.functionName,
      roleName: props.roleName,
      description: 'Writes INFO and ERROR log lines on demand to exercise the alerting chain: invoke with {"error_count": N}',
      // It writes at most a few hundred short lines: the smallest memory size is plenty, and a run that
      // takes more than 10 seconds is broken, not slow.
      memorySizeMb: 128,
      timeoutSeconds: 10,
      // No reserved concurrency: a new account (quota 10) refuses any reservation, and a test tool needs none.
      ...(props.permissionsBoundaryArn === undefined ? {} : { permissionsBoundaryArn: props.permissionsBoundaryArn }),
      logRetentionDays: props.logRetentionDays,
      logsKmsKeyArn: props.logsKmsKeyArn,
      // It only writes its own log lines: its declaration lists no AWS call, so it is granted none.
      policyStatements: grantsForCalls(TEST_EMITTER_AWS_CALLS, {}, {}, props.region),
    });
    this.logGroupName = emitter.logGroupName;
    this.logGroupArn = emitter.logGroupArn;
  }
}
