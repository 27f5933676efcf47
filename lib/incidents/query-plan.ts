import type { AttributeValue, QueryCommandInput } from "@aws-sdk/client-dynamodb";
import {
  BY_FINGERPRINT_INDEX,
  BY_LOG_GROUP_INDEX,
  fingerprintShardKeys,
  INCIDENT_ATTRIBUTES,
  IncidentIndex,
  logGroupShardKeys,
} from "../../handlers/log-processor/incident-schema";
import { IncidentsCliOptions } from "./cli-options";

/** Which index partition to read, from when, and what the result is called. */
export interface IncidentQueryPlan {
  /** The index queried: `by-fingerprint` when a fingerprint is given, else `by-log-group`. */
  readonly index: IncidentIndex;
  /** What is read: the fingerprint or the log group. */
  readonly partitionValue: string;
  /**
   * The index partitions queried, in parallel, and merged newest first: every shard of the fingerprint
   * (`<fingerprint>#0` .. `#15`) or of the log group (`<log group>#0` .. `#15`).
   */
  readonly partitionKeys: readonly string[];
  /** Oldest `occurred_at` included (ISO-8601, the index's sort key). */
  readonly sinceIso: string;
  /** With both --fingerprint and --log-group: keep only this group's occurrences (a filter within the partition). */
  readonly logGroupFilter?: string;
  /** Whether the log group is the default (the test emitter's), because neither was given. */
  readonly defaultLogGroup: boolean;
  /** What is listed, for the header: `incidents of log group /aws/lambda/x`. */
  readonly subject: string;
}

/** The test emitter's log group in an environment: what is queried when no log group or fingerprint is given. */
export function testEmitterLogGroup(environment: string): string {
  return `/aws/lambda/log-monitor-${environment}-test-emitter`;
}

/**
 * Decides the query. Never a Scan: a fingerprint reads its `by-fingerprint` partitions (every group's occurrences,
 * filtered to one group when --log-group is also given); otherwise the `by-log-group` partition of the given group
 * or, with neither, of the test emitter's group (the only group the stacks subscribe). Both are bounded by the
 * sort key: `occurred_at >= now - since`.
 */
export function planIncidentQuery(
  options: Pick<IncidentsCliOptions, "sinceMs" | "logGroup" | "fingerprint">,
  context: { readonly environment: string; readonly nowMs: number },
): IncidentQueryPlan {
  const sinceIso = new Date(context.nowMs - options.sinceMs).toISOString();
  if (options.fingerprint !== undefined) {
    return {
      index: BY_FINGERPRINT_INDEX,
      partitionValue: options.fingerprint,
      partitionKeys: fingerprintShardKeys(options.fingerprint),
      sinceIso,
      defaultLogGroup: false,
      subject:
        options.logGroup === undefined
          ? `occurrences of fingerprint ${options.fingerprint}`
          : `occurrences of fingerprint ${options.fingerprint} in log group ${options.logGroup}`,
      ...(options.logGroup === undefined ? {} : { logGroupFilter: options.logGroup }),
    };
  }
  const logGroup = options.logGroup ?? testEmitterLogGroup(context.environment);
  return {
    index: BY_LOG_GROUP_INDEX,
    partitionValue: logGroup,
    partitionKeys: logGroupShardKeys(logGroup),
    sinceIso,
    defaultLogGroup: options.logGroup === undefined,
    subject: `incidents of log group ${logGroup}`,
  };
}

/** The Query request for one page of one of the plan's partitions (the first by default), newest first. */
export function toQueryInput(
  plan: IncidentQueryPlan,
  tableName: string,
  exclusiveStartKey?: Record<string, AttributeValue>,
  partitionKey: string = plan.partitionKeys[0] ?? plan.partitionValue,
): QueryCommandInput {
  const filter = plan.logGroupFilter !== undefined;
  return {
    TableName: tableName,
    IndexName: plan.index.name,
    KeyConditionExpression: "#pk = :pk AND #sk >= :since",
    ...(filter ? { FilterExpression: "#group = :group" } : {}),
    ExpressionAttributeNames: {
      "#pk": plan.index.partitionKey,
      "#sk": plan.index.sortKey,
      ...(filter ? { "#group": INCIDENT_ATTRIBUTES.logGroup } : {}),
    },
    ExpressionAttributeValues: {
      ":pk": { S: partitionKey },
      ":since": { S: plan.sinceIso },
      ...(filter ? { ":group": { S: plan.logGroupFilter as string } } : {}),
    },
    ScanIndexForward: false,
    ...(exclusiveStartKey === undefined ? {} : { ExclusiveStartKey: exclusiveStartKey }),
  };
}
