import { Construct } from "constructs";
import { SourceScope } from "../config/cross-account";
import { FlatConstruct } from "./flat-construct";
import { LogDestination } from "./log-destination";
import { LogStream, LogStreamProps } from "./log-stream";
import { StreamDestination } from "./log-group-subscription";

/** The cross-account part of {@link KinesisTransportProps}. */
export interface CrossAccountDestinationProps {
  /** The CloudWatch Logs destination's name, e.g. `log-monitor-prod-destination`. */
  readonly destinationName: string;
  /** Name of the role CloudWatch Logs assumes for the source accounts' deliveries (global: carries the region). */
  readonly roleName: string;
  /** The central account's id (`LOG_MONITOR_ACCOUNT_ID`), which holds the destination. */
  readonly centralAccountId: string;
  /** The accounts or organization admitted to subscribe. */
  readonly sources: SourceScope;
}

/** Props of {@link KinesisTransport}: the stream's (see {@link LogStreamProps}), and the cross-account destination's. */
export interface KinesisTransportProps extends LogStreamProps {
  /**
   * A CloudWatch Logs destination in front of the stream for other accounts' log groups (`LOG_MONITOR_SOURCE_ACCOUNTS`
   * or `LOG_MONITOR_ORGANIZATION_ID`). @default none: only this account's log groups deliver
   */
  readonly crossAccount?: CrossAccountDestinationProps;
}

/**
 * The Kinesis transport (`LOG_MONITOR_TRANSPORT=kinesis`): subscription filters deliver into an encrypted stream
 * ({@link LogStream}, `log-stream`), optionally behind a cross-account destination ({@link LogDestination},
 * `log-destination`), and the processor reads the stream through an event source mapping (see LogProcessor). Both
 * keep their ids in the parent's scope (see {@link FlatConstruct}).
 */
export class KinesisTransport extends FlatConstruct {
  /** The stream's ARN. */
  readonly streamArn: string;
  /** Where subscription filters and the account policy deliver: the stream, through the delivery role. */
  readonly subscriptionDestination: StreamDestination;

  constructor(scope: Construct, id: string, props: KinesisTransportProps) {
    super(scope, id);
    const { crossAccount, ...streamProps } = props;
    const stream = new LogStream(this.resourceScope, "log-stream", streamProps);
    // The destination the source accounts subscribe to, in front of the same stream.
    if (crossAccount !== undefined) {
      new LogDestination(this.resourceScope, "log-destination", {
        ...crossAccount,
        streamArn: stream.streamArn,
        kmsKeyArn: props.kmsKeyArn,
        region: props.region,
        ...(props.permissionsBoundaryArn === undefined ? {} : { permissionsBoundaryArn: props.permissionsBoundaryArn }),
      });
    }
    this.streamArn = stream.streamArn;
    this.subscriptionDestination = {
      kind: "stream",
      streamArn: stream.streamArn,
      deliveryRoleArn: stream.deliveryRoleArn,
      deliveryRolePolicy: stream.deliveryRolePolicy,
    };
  }
}
