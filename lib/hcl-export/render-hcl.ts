import { BodySchema, KeySchema, StackSchema } from "./block-schema";
import { interpolationOnly, renderQuotedTemplate, renderStringExpression } from "./hcl-template";

/**
 * Renders one stack's synthesized Terraform JSON (`cdk.tf.json`) as HCL with the same meaning, in the layout
 * `terraform fmt` produces, so that `terraform fmt -check` accepts the result as it is.
 *
 * Values come from the JSON unchanged; only the syntax changes: strings become quoted templates (see
 * hcl-template.ts), keys the schema marks as blocks become nested blocks, and the meta-arguments that
 * Terraform JSON writes as strings (`depends_on`, `provider`, `lifecycle.ignore_changes`, ...) become the
 * references they stand for. What this renderer does not know how to write exactly, it refuses to write.
 * Expressions inside `${...}` and `%{...}` are copied as written: CDKTF's references are already in the
 * form `terraform fmt` keeps, but fmt may respace a hand-written expression such as `%{ if x }`.
 */

/** The synthesized JSON holds something the renderer cannot write as HCL with the same meaning. */
export class HclExportError extends Error {
  constructor(
    /** Where in the JSON: `resource.<type>.<name>.<key>`. */
    readonly address: string,
    /** Why, and what to do. */
    readonly reason: string,
  ) {
    super(`${address}: ${reason}`);
    this.name = "HclExportError";
  }
}

/** Comments to write above blocks; every line becomes a `# ` line. */
export interface HclComments {
  /** Lines at the top of the file. @default none */
  readonly header?: readonly string[];
  /**
   * Lines above a top-level block or the backend, by address: `terraform.backend`, `provider.<type>`,
   * `data.<type>.<name>`, `resource.<type>.<name>`, `output.<name>`. @default none
   */
  readonly above?: (address: string) => readonly string[];
}

/** A JSON value, as parsed from `cdk.tf.json`. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };
/** A JSON object. */
export type JsonObject = { readonly [key: string]: Json };

/** Renders a parsed `cdk.tf.json` as the text of a `.tf` file. */
export function renderStackHcl(json: JsonObject, schema: StackSchema, comments: HclComments = {}): string {
  const above = comments.above ?? (() => []);
  const sections: Line[][] = [];
  if (comments.header !== undefined && comments.header.length > 0) sections.push(commentLines(0, comments.header));

  for (const key of Object.keys(json)) {
    if (!["//", "terraform", "provider", "data", "resource", "output", "locals"].includes(key)) {
      throw new HclExportError(key, "this kind of top-level block is not supported by the exporter; extend lib/hcl-export/render-hcl.ts");
    }
  }

  if (json.terraform !== undefined) sections.push(terraformBlock(object(json.terraform, "terraform"), above));
  if (json.locals !== undefined) {
    sections.push([plain(0, "locals {"), ...argumentLines(1, object(json.locals, "locals"), "locals"), plain(0, "}")]);
  }
  for (const [type, instances] of Object.entries(object(json.provider ?? {}, "provider"))) {
    for (const instance of Array.isArray(instances) ? instances : [instances]) {
      const address = `provider.${type}`;
      sections.push([
        ...commentLines(0, above(address)),
        ...block(0, `provider ${quoted(type)}`, object(instance, address), schema.bodyOf("provider", type), address, "provider"),
      ]);
    }
  }
  for (const section of ["data", "resource"] as const) {
    for (const [type, byName] of Object.entries(object(json[section] ?? {}, section))) {
      for (const [name, body] of Object.entries(object(byName, `${section}.${type}`))) {
        const address = `${section}.${type}.${name}`;
        const header = `${section} ${quoted(type)} ${quoted(name)}`;
        sections.push([
          ...commentLines(0, above(address)),
          ...block(0, header, object(body, address), schema.bodyOf(section, type, name), address, section),
        ]);
      }
    }
  }
  for (const [name, body] of Object.entries(object(json.output ?? {}, "output"))) {
    const address = `output.${name}`;
    sections.push([...commentLines(0, above(address)), ...block(0, `output ${quoted(name)}`, object(body, address), OUTPUT_SCHEMA, address, "output")]);
  }

  const lines: Line[] = [];
  sections.forEach((section, index) => {
    if (index > 0) lines.push(plain(0, ""));
    lines.push(...section);
  });
  return formatLines(lines);
}

// ---------------------------------------------------------------------------------------------------------
// Lines and alignment

/**
 * One line of output. `assign` is set on `key = value` lines whose value ends on the same line: like
 * `terraform fmt`, runs of consecutive such lines get their `=` aligned.
 */
interface Line {
  readonly indent: number;
  readonly lead: string;
  readonly assign?: string;
}

function plain(indent: number, text: string): Line {
  return { indent, lead: text };
}

function commentLines(indent: number, lines: readonly string[]): Line[] {
  return lines.map((line) => plain(indent, line === "" ? "#" : `# ${line}`));
}

const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

/** Columns as `terraform fmt` counts them (grapheme clusters). */
function columns(text: string): number {
  let count = 0;
  for (const _ of graphemes.segment(text)) count++;
  return count;
}

/** Joins lines, indenting by two spaces a level and aligning the `=` of each run of single-line assignments. */
function formatLines(lines: readonly Line[]): string {
  const out: string[] = [];
  let run: Line[] = [];
  const flush = (): void => {
    const width = Math.max(0, ...run.map((line) => 2 * line.indent + columns(line.lead)));
    for (const line of run) {
      const padding = " ".repeat(width - 2 * line.indent - columns(line.lead) + 1);
      out.push(`${"  ".repeat(line.indent)}${line.lead}${padding}${line.assign}`);
    }
    run = [];
  };
  for (const line of lines) {
    if (line.assign !== undefined && !line.lead.includes("\n") && !line.assign.includes("\n")) {
      run.push(line);
      continue;
    }
    flush();
    out.push(line.lead === "" ? "" : `${"  ".repeat(line.indent)}${line.lead}`);
  }
  flush();
  return `${out.join("\n")}\n`;
}

// ---------------------------------------------------------------------------------------------------------
// Blocks

/** The kind of body being written, which decides its meta-arguments. */
type BodyKind = "resource" | "data" | "provider" | "output" | "lifecycle" | "nested" | "condition";

/** `output` blocks: `value` may be an object (an argument); `precondition` is the only nested block. */
const OUTPUT_SCHEMA: BodySchema = new Map<string, KeySchema>([
  ["value", { kind: "attribute" }],
  ["precondition", { kind: "block", body: new Map() }],
]);

/** `header { body }` (or `header {}` when empty). */
function block(indent: number, header: string, body: JsonObject, schema: BodySchema | undefined, address: string, kind: BodyKind): Line[] {
  const content = bodyLines(indent + 1, body, schema, address, kind);
  return content.length === 0 ? [plain(indent, `${header} {}`)] : [plain(indent, `${header} {`), ...content, plain(indent, "}")];
}

/** Meta-arguments written before the arguments, as Terraform's style guide has them. */
const LEADING_META = ["count", "for_each", "provider"];

/**
 * The lines of a body: leading meta-arguments, the arguments, the nested blocks (each after a blank line),
 * then `depends_on` and `lifecycle`.
 */
function bodyLines(indent: number, body: JsonObject, schema: BodySchema | undefined, address: string, kind: BodyKind): Line[] {
  const meta: Line[] = [];
  const attributes: Line[] = [];
  const blocks: Line[][] = [];
  const trailing: Line[][] = [];

  for (const [key, value] of Object.entries(body)) {
    const where = `${address}.${key}`;
    if (key === "//") continue;

    if ((kind === "resource" || kind === "data") && LEADING_META.includes(key)) {
      meta.push(...(key === "provider" ? [assignment(indent, key, reference(value, where))] : argumentLines(indent, { [key]: value }, address)));
      continue;
    }
    if ((kind === "resource" || kind === "data" || kind === "output") && key === "depends_on") {
      trailing.push(referenceList(indent, key, value, where));
      continue;
    }
    if ((kind === "resource" || kind === "data") && key === "lifecycle") {
      trailing.push(block(indent, "lifecycle", object(value, where), undefined, where, "lifecycle"));
      continue;
    }
    if (kind === "lifecycle") {
      if (key === "ignore_changes" && value === "all") attributes.push(assignment(indent, key, "all"));
      else if (key === "ignore_changes" || key === "replace_triggered_by") attributes.push(...referenceList(indent, key, value, where));
      else if (key === "precondition" || key === "postcondition") blocks.push(...nestedBlocks(indent, key, value, undefined, where, "condition"));
      else if (key === "create_before_destroy" || key === "prevent_destroy") attributes.push(...argumentLines(indent, { [key]: value }, address));
      else throw new HclExportError(where, "is not a lifecycle argument the exporter knows");
      continue;
    }
    if (["dynamic", "provisioner", "connection"].includes(key)) {
      throw new HclExportError(where, `${key} blocks are not supported by the exporter (this project has none); extend lib/hcl-export/render-hcl.ts`);
    }

    const known = schema?.get(key);
    if (known?.kind === "block") {
      blocks.push(...nestedBlocks(indent, key, value, known.body, where, "nested"));
    } else if (known?.kind === "attribute" || kind === "condition" || isScalarOrScalarList(value)) {
      attributes.push(...argumentLines(indent, { [key]: value }, address));
    } else {
      throw new HclExportError(
        where,
        "is an object, and neither CDKTF's description of this element nor the exporter says whether it is a nested block or an " +
          "argument of object type (typically a value set with addOverride); the two are written differently in HCL",
      );
    }
  }

  const groups: Line[][] = [];
  if (meta.length > 0) groups.push(meta);
  if (attributes.length > 0) groups.push(attributes);
  groups.push(...blocks, ...trailing);
  return groups.flatMap((group, index) => (index === 0 ? group : [plain(indent, ""), ...group]));
}

/** The blocks of a key: one for an object, one per element for an array, none for null or []. */
function nestedBlocks(indent: number, key: string, value: Json, schema: BodySchema | undefined, address: string, kind: BodyKind): Line[][] {
  if (value === null) return [];
  const elements = Array.isArray(value) ? value : [value];
  return elements.map((element, index) =>
    block(indent, key, object(element, Array.isArray(value) ? `${address}[${index}]` : address), schema, address, kind),
  );
}

/** The `terraform { ... }` block: required_version, required_providers, then the backend. */
function terraformBlock(terraform: JsonObject, above: (address: string) => readonly string[]): Line[] {
  const groups: Line[][] = [];
  const { required_version, required_providers, backend, ...rest } = terraform;
  const unsupported = Object.keys(rest);
  if (unsupported.length > 0) {
    throw new HclExportError(`terraform.${unsupported[0]}`, "is not supported by the exporter; extend lib/hcl-export/render-hcl.ts");
  }
  if (required_version !== undefined) groups.push(argumentLines(1, { required_version }, "terraform"));
  if (required_providers !== undefined) {
    const providers = argumentLines(2, object(required_providers, "terraform.required_providers"), "terraform.required_providers");
    groups.push([plain(1, "required_providers {"), ...providers, plain(1, "}")]);
  }
  if (backend !== undefined) {
    const backends = Object.entries(object(backend, "terraform.backend"));
    if (backends.length !== 1) throw new HclExportError("terraform.backend", `has ${backends.length} backends; Terraform takes exactly one`);
    const [[type, config]] = backends;
    const body = argumentLines(2, object(config, `terraform.backend.${type}`), `terraform.backend.${type}`);
    groups.push([
      ...commentLines(1, above("terraform.backend")),
      ...(body.length === 0 ? [plain(1, `backend ${quoted(type)} {}`)] : [plain(1, `backend ${quoted(type)} {`), ...body, plain(1, "}")]),
    ]);
  }
  return [plain(0, "terraform {"), ...groups.flatMap((group, index) => (index === 0 ? group : [plain(1, ""), ...group])), plain(0, "}")];
}

// ---------------------------------------------------------------------------------------------------------
// Arguments and expressions

/**
 * `name = value` lines for arguments of a block body, whose names are always bare identifiers. A "//" key is a
 * comment in a Terraform JSON block body (CDKTF's metadata), not an argument: it is left out.
 */
function argumentLines(indent: number, entries: JsonObject, address: string): Line[] {
  return Object.entries(entries)
    .filter(([name]) => name !== "//")
    .flatMap(([name, value]) => {
      if (!IDENTIFIER.test(name)) throw new HclExportError(`${address}.${name}`, "is not a name HCL accepts for an argument");
      return keyValueLines(indent, name, value, `${address}.${name}`);
    });
}

/** `key = value` lines for the entries of an object constructor (keys quoted where HCL needs it). */
function objectEntryLines(indent: number, entries: JsonObject, address: string): Line[] {
  return Object.entries(entries).flatMap(([key, value]) => keyValueLines(indent, objectKey(key), value, `${address}.${key}`));
}

function keyValueLines(indent: number, key: string, value: Json, address: string): Line[] {
  const rendered = expression(value, indent, address);
  return rendered.tail.length === 0
    ? [{ indent, lead: key, assign: `= ${rendered.head}` }]
    : [plain(indent, `${key} = ${rendered.head}`), ...rendered.tail];
}

function assignment(indent: number, key: string, expressionText: string): Line {
  return { indent, lead: key, assign: `= ${expressionText}` };
}

/** `key = [a.b, c.d]`: strings that Terraform JSON parses as references or expressions, written bare. */
function referenceList(indent: number, key: string, value: Json, address: string): Line[] {
  if (!Array.isArray(value)) throw new HclExportError(address, "must be a list");
  const references = value.map((item, index) => reference(item, `${address}[${index}]`));
  const inline = `[${references.join(", ")}]`;
  if (columns(inline) <= INLINE_LIST_COLUMNS) return [assignment(indent, key, inline)];
  return [plain(indent, `${key} = [`), ...references.map((item) => plain(indent + 1, `${item},`)), plain(indent, "]")];
}

/** A string Terraform JSON parses as an expression rather than a template, e.g. `"aws_iam_role.x"` in depends_on. */
function reference(value: Json, address: string): string {
  if (typeof value !== "string") throw new HclExportError(address, "must be a string naming a reference");
  const text = interpolationOnly(value) ?? value;
  if (text.trim() === "" || text.includes("\n")) throw new HclExportError(address, `${JSON.stringify(value)} is not a reference`);
  return text.trim();
}

/** Lists of scalars longer than this are written one element a line. */
const INLINE_LIST_COLUMNS = 100;

/** An expression: `head` continues the current line; `tail` holds the following lines of a multi-line value. */
interface Rendered {
  readonly head: string;
  readonly tail: readonly Line[];
}

function expression(value: Json, indent: number, address: string): Rendered {
  if (value === null) return { head: "null", tail: [] };
  if (typeof value === "boolean") return { head: String(value), tail: [] };
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new HclExportError(address, `${value} is not a number Terraform can read`);
    return { head: String(value), tail: [] };
  }
  if (typeof value === "string") return { head: renderStringExpression(value), tail: [] };

  if (Array.isArray(value)) {
    if (value.length === 0) return { head: "[]", tail: [] };
    const elements = value.map((element, index) => expression(element, indent + 1, `${address}[${index}]`));
    if (elements.every((element) => element.tail.length === 0)) {
      const inline = `[${elements.map((element) => element.head).join(", ")}]`;
      if (columns(inline) <= INLINE_LIST_COLUMNS && !inline.includes("\n")) return { head: inline, tail: [] };
    }
    const tail: Line[] = elements.flatMap((element) => {
      if (element.tail.length === 0) return [plain(indent + 1, `${element.head},`)];
      const last = element.tail[element.tail.length - 1];
      return [plain(indent + 1, element.head), ...element.tail.slice(0, -1), { ...last, lead: `${last.lead},` }];
    });
    return { head: "[", tail: [...tail, plain(indent, "]")] };
  }

  const entries = value as JsonObject;
  if (Object.keys(entries).length === 0) return { head: "{}", tail: [] };
  return { head: "{", tail: [...objectEntryLines(indent + 1, entries, address), plain(indent, "}")] };
}

/** HCL identifiers as Terraform names use them (letters, digits, underscores and dashes). */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * An object key: bare when it is a plain name, quoted (as a template, like in JSON) otherwise. Keys with
 * dashes are quoted too: bare, `cost-center` would be read right, but looks like a subtraction.
 */
function objectKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) && !RESERVED_KEYS.has(key) ? key : renderQuotedTemplate(key);
}

/** Words that HCL would read as something other than a name at the start of an object key. */
const RESERVED_KEYS = new Set(["true", "false", "null", "for", "in", "if"]);

/** A block label: a quoted string with no template sequences. */
function quoted(label: string): string {
  if (/[\\"\n\r\t]|\$\{|%\{/.test(label)) throw new HclExportError(label, "cannot be a block label");
  return `"${label}"`;
}

// ---------------------------------------------------------------------------------------------------------
// JSON helpers

function isScalarOrScalarList(value: Json): boolean {
  const scalar = (item: Json): boolean => item === null || typeof item !== "object";
  return scalar(value) || (Array.isArray(value) && value.every(scalar));
}

function object(value: Json | undefined, address: string): JsonObject {
  if (value === null || value === undefined || typeof value !== "object" || Array.isArray(value)) {
    throw new HclExportError(address, "must be a JSON object");
  }
  return value as JsonObject;
}
