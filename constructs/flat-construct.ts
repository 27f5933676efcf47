import { Construct } from "constructs";

/**
 * A construct that creates its resources in its parent's scope rather than under itself, for logic extracted from a
 * stack after its resources were deployed.
 *
 * Why not under `this`: CDKTF derives a resource's Terraform address from its construct path. The table
 * `incidents-table` created in the stack is `aws_dynamodb_table.incidents-table`; created under a construct
 * `incident-tables` it would become `aws_dynamodb_table.incident-tables_incidents-table_<hash>`, and Terraform would
 * destroy the user's table and create an empty one. `overrideLogicalId` would restore the address but not the
 * construct path CDKTF records beside each resource in `cdk.tf.json` (`"//": {"metadata": {"path": ...}}`). Creating
 * the resources in the parent keeps both, so the synthesized Terraform is the same byte for byte as when the stack
 * created them itself. The construct's own node stays empty: its id is no address, it only has to differ from its
 * siblings' ids (the resources' ids are the contract, STYLE.md "Construct IDs are a contract").
 */
export abstract class FlatConstruct extends Construct {
  /** The scope the resources are created in: the construct's parent. */
  protected readonly resourceScope: Construct;

  protected constructor(scope: Construct, id: string) {
    super(scope, id);
    this.resourceScope = scope;
  }
}
