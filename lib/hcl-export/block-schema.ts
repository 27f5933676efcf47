import { TerraformDataSource, TerraformElement, TerraformProvider, TerraformResource, TerraformStack } from "cdktf";

/**
 * Which keys of a Terraform JSON body are nested blocks.
 *
 * Terraform JSON writes a nested block (`logging_config { ... }`) and an argument of object type
 * (`tags = { ... }`) the same way, as a JSON object; HCL does not, and Terraform rejects one for the other.
 * The provider schema knows, but reading it needs `terraform init` and the providers. CDKTF's generated
 * provider classes know too: their HCL fragments (`toHclTerraform()`) describe every argument as
 * `{ value, isBlock, type, storageClassType }`. This module reads only that `isBlock` flag from them; the
 * values themselves are taken from the synthesized JSON, which is what CDKTF deploys.
 */

/** What one key of a body is in HCL. */
export type KeySchema = { readonly kind: "attribute" } | { readonly kind: "block"; readonly body: BodySchema };

/** The keys of a body that are known, by name. A key that is not listed is unknown. */
export type BodySchema = ReadonlyMap<string, KeySchema>;

/** The block structure of every resource, data source and provider of one stack. */
export interface StackSchema {
  /** The body of `resource.<type>.<name>`, `data.<type>.<name>` or `provider.<type>`, when known. */
  bodyOf(section: "resource" | "data" | "provider", type: string, name?: string): BodySchema | undefined;
}

/** Two descriptions of the same key disagree (one says block, the other argument). */
export class SchemaConflictError extends Error {
  constructor(
    /** Where: `resource.<type>.<name>.<key>...`. */
    readonly address: string,
  ) {
    super(`CDKTF describes ${address} both as a nested block and as an argument`);
    this.name = "SchemaConflictError";
  }
}

const ATTRIBUTE: KeySchema = { kind: "attribute" };

/**
 * Types of Terraform's built-in provider, which has no generated class (CDKTF writes `terraform_remote_state`
 * from its own `DataTerraformRemoteState*` classes): all of their arguments are arguments, none are blocks.
 */
const BUILT_IN: Readonly<Record<string, BodySchema>> = {
  "data.terraform_remote_state": new Map([
    ["backend", ATTRIBUTE],
    ["config", ATTRIBUTE],
    ["defaults", ATTRIBUTE],
    ["workspace", ATTRIBUTE],
  ]),
  "resource.terraform_data": new Map([
    ["input", ATTRIBUTE],
    ["triggers_replace", ATTRIBUTE],
  ]),
};

/** Reads the block structure of a stack's elements from their CDKTF HCL fragments. Call it after `app.synth()`. */
export function schemaOfStack(stack: TerraformStack): StackSchema {
  const bodies = new Map<string, BodySchema>();
  const add = (address: string, body: BodySchema): void => {
    const known = bodies.get(address);
    bodies.set(address, known === undefined ? body : mergeBodies(known, body, address));
  };

  for (const construct of stack.node.findAll()) {
    if (!TerraformElement.isTerraformElement(construct) || construct.cdktfStack !== stack) continue;
    const describesBlocks =
      TerraformResource.isTerraformResource(construct) ||
      TerraformDataSource.isTerraformDataSource(construct) ||
      TerraformProvider.isTerraformProvider(construct);
    if (!describesBlocks) continue;

    const fragment = construct.toHclTerraform() as Record<string, unknown>;
    for (const section of ["resource", "data"] as const) {
      for (const [type, byName] of Object.entries(asRecord(fragment[section]))) {
        for (const [name, body] of Object.entries(asRecord(byName))) {
          add(`${section}.${type}.${name}`, schemaOfBody(asRecord(body), `${section}.${type}.${name}`));
        }
      }
    }
    for (const [type, instances] of Object.entries(asRecord(fragment.provider))) {
      for (const instance of Array.isArray(instances) ? instances : [instances]) {
        add(`provider.${type}`, schemaOfBody(asRecord(instance), `provider.${type}`));
      }
    }
  }

  return {
    bodyOf(section, type, name) {
      return bodies.get(name === undefined ? `${section}.${type}` : `${section}.${type}.${name}`) ?? BUILT_IN[`${section}.${type}`];
    },
  };
}

/** The schema of one fragment body: descriptors name their kind; anything else (overrides, meta-arguments) stays unknown. */
function schemaOfBody(body: Record<string, unknown>, address: string): BodySchema {
  let schema: BodySchema = new Map();
  for (const [key, value] of Object.entries(body)) {
    if (key === "//" || !isDescriptor(value)) continue;
    if (!(value.isBlock ?? value.is_block)) {
      schema = mergeBodies(schema, new Map([[key, ATTRIBUTE]]), address);
      continue;
    }
    let nested: BodySchema = new Map();
    for (const element of Array.isArray(value.value) ? value.value : [value.value]) {
      if (isPlainObject(element)) nested = mergeBodies(nested, schemaOfBody(element, `${address}.${key}`), `${address}.${key}`);
    }
    schema = mergeBodies(schema, new Map([[key, { kind: "block", body: nested }]]), address);
  }
  return schema;
}

/** The union of two descriptions of the same body (blocks of a list describe the same type; their keys may differ). */
function mergeBodies(a: BodySchema, b: BodySchema, address: string): BodySchema {
  const merged = new Map(a);
  for (const [key, schema] of b) {
    const known = merged.get(key);
    if (known === undefined) {
      merged.set(key, schema);
    } else if (known.kind !== schema.kind) {
      throw new SchemaConflictError(`${address}.${key}`);
    } else if (known.kind === "block" && schema.kind === "block") {
      merged.set(key, { kind: "block", body: mergeBodies(known.body, schema.body, `${address}.${key}`) });
    }
  }
  return merged;
}

/** A CDKTF HCL attribute descriptor; provider fragments pass through a snake-case conversion, hence `is_block`. */
interface Descriptor {
  readonly value: unknown;
  readonly isBlock?: boolean;
  readonly is_block?: boolean;
}

function isDescriptor(value: unknown): value is Descriptor {
  return isPlainObject(value) && "value" in value && (typeof value.isBlock === "boolean" || typeof value.is_block === "boolean");
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asRecord(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}
