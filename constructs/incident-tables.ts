import { Construct } from "constructs";
import { DynamodbTable, DynamodbTableConfig } from "@cdktf/provider-aws/lib/dynamodb-table";
import { INCIDENT_INDEXES, INCIDENT_PARTITION_KEY, INCIDENT_TTL_ATTRIBUTE } from "../handlers/log-processor/incident-schema";
import { SUPPRESSION_PARTITION_KEY, SUPPRESSION_TTL_ATTRIBUTE } from "../handlers/log-processor/suppression-schema";
import { FlatConstruct } from "./flat-construct";

/** Props of {@link IncidentTables}. */
export interface IncidentTablesProps {
  /** Name of the incidents table, e.g. `log-monitor-prod-incidents`. */
  readonly incidentsTableName: string;
  /** Name of the alert-suppression table, e.g. `log-monitor-prod-alert-suppression`. */
  readonly suppressionTableName: string;
  /** ARN of the customer-managed key both tables are encrypted with. */
  readonly kmsKeyArn: string;
  /** Refuse to delete the tables (`LOG_MONITOR_DELETION_PROTECTION`). */
  readonly deletionProtection: boolean;
}

/** Names and ARNs of the two tables, as the functions that use them take them. */
export interface IncidentTableRefs {
  /** Name of the incidents table. */
  readonly incidentsTableName: string;
  /** ARN of the incidents table. */
  readonly incidentsTableArn: string;
  /** Name of the alert-suppression table. */
  readonly suppressionTableName: string;
  /** ARN of the alert-suppression table. */
  readonly suppressionTableArn: string;
}

/**
 * The processor's two tables, both on-demand, encrypted with the environment's key, with point-in-time recovery and
 * items that expire by TTL: `incidents-table` (one item per error event, keyed and indexed as
 * handlers/log-processor/incident-schema.ts declares) and `alert-suppression-table` (one suppression window per
 * failure fingerprint, handlers/log-processor/suppression-schema.ts). Created in the parent's scope (see
 * {@link FlatConstruct}).
 */
export class IncidentTables extends FlatConstruct {
  /** Names and ARNs of both tables. */
  readonly refs: IncidentTableRefs;

  constructor(scope: Construct, id: string, props: IncidentTablesProps) {
    super(scope, id);
    const common = {
      billingMode: "PAY_PER_REQUEST",
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: props.kmsKeyArn },
      deletionProtectionEnabled: props.deletionProtection,
    } satisfies Partial<DynamodbTableConfig>;

    const incidents = new DynamodbTable(this.resourceScope, "incidents-table", {
      name: props.incidentsTableName,
      hashKey: INCIDENT_PARTITION_KEY,
      attribute: [
        INCIDENT_PARTITION_KEY,
        ...new Set(INCIDENT_INDEXES.flatMap((index) => [index.partitionKey, index.sortKey])),
      ].map((name) => ({ name, type: "S" })),
      globalSecondaryIndex: INCIDENT_INDEXES.map((index) => ({
        name: index.name,
        hashKey: index.partitionKey,
        rangeKey: index.sortKey,
        projectionType: "ALL",
      })),
      ttl: { attributeName: INCIDENT_TTL_ATTRIBUTE, enabled: true },
      ...common,
    });

    const suppression = new DynamodbTable(this.resourceScope, "alert-suppression-table", {
      name: props.suppressionTableName,
      hashKey: SUPPRESSION_PARTITION_KEY,
      attribute: [{ name: SUPPRESSION_PARTITION_KEY, type: "S" }],
      ttl: { attributeName: SUPPRESSION_TTL_ATTRIBUTE, enabled: true },
      ...common,
    });

    this.refs = {
      incidentsTableName: incidents.name,
      incidentsTableArn: incidents.arn,
      suppressionTableName: suppression.name,
      suppressionTableArn: suppression.arn,
    };
  }
}
