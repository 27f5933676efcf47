import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, TerraformStack } from "cdktf";
import { schemaOfStack } from "./block-schema";
import { HclComments, JsonObject, renderStackHcl } from "./render-hcl";

/**
 * Exports every stack of a CDKTF app as a plain Terraform configuration: `<outDir>/<stack>/main.tf` plus the
 * stack's `assets/`, so that a team can keep managing the same infrastructure with the Terraform CLI alone.
 *
 * The app is synthesized as `cdktf synth` does (into a scratch folder, leaving `cdktf.out` alone), and each
 * stack's `cdk.tf.json` is rendered as HCL with the same meaning (render-hcl.ts). Resource addresses do not
 * change, so the existing state fits the exported configuration without any import or `state mv`.
 * Terraform ran in `<cdktf outdir>/stacks/<stack>` and now runs in `<outDir>/<stack>`; everything relative
 * to that folder is kept pointing at the same thing: relative local state paths (of the backend and of
 * `terraform_remote_state` reads) are re-pointed, and the assets (what `archive_file` zips) are copied.
 * S3 backends and remote-state reads are written exactly as they were.
 */

/** Options of {@link exportStacksAsHcl}. */
export interface ExportStacksOptions {
  /** Adds the stacks to the app, as the app's entry point does. */
  readonly build: (app: App) => void;
  /** The folder to write; each stack gets its own subfolder. Existing `main.tf` and `assets/` there are replaced, other files kept. */
  readonly outDir: string;
  /**
   * The folder `cdktf synth` writes to. Terraform ran in `<cdktfOutdir>/stacks/<stack>`, which is what
   * relative local state paths were relative to.
   */
  readonly cdktfOutdir: string;
}

/** One exported stack. */
export interface ExportedStack {
  /** The stack's id (its folder name). */
  readonly id: string;
  /** Absolute path of the folder written for it. */
  readonly directory: string;
  /** Stacks whose outputs it reads, which must be applied before it. */
  readonly dependencies: readonly string[];
  /** The backend type (`s3`, `local`, ...). */
  readonly backend: string;
  /** How many resources, data sources and outputs the configuration has. */
  readonly counts: { readonly resources: number; readonly dataSources: number; readonly outputs: number };
}

/** The name prefixes CDKTF gives cross-stack references (`TerraformStack` in cdktf 0.21). */
const CROSS_STACK_INPUT = "cross-stack-reference-input-";
const CROSS_STACK_OUTPUT = "cross-stack-output-";

/** Synthesizes the app and writes every stack as HCL, in deploy order (a stack after those it reads from). */
export function exportStacksAsHcl(options: ExportStacksOptions): ExportedStack[] {
  const synthDir = fs.mkdtempSync(path.join(os.tmpdir(), "hcl-export-"));
  try {
    const app = new App({ outdir: synthDir, stackTraces: false });
    options.build(app);
    app.synth();

    const manifest = readJson(path.join(synthDir, "manifest.json")) as { stacks: Record<string, { dependencies?: string[] }> };
    const stacks = app.node.children.filter((child): child is TerraformStack => TerraformStack.isStack(child));
    const dependenciesOf = (id: string): string[] => [...(manifest.stacks[id]?.dependencies ?? [])].sort();
    return deployOrder(stacks.map((stack) => stack.node.id), dependenciesOf).map((id) => {
      const stack = stacks.find((candidate) => candidate.node.id === id) as TerraformStack;
      return exportStack(stack, path.join(synthDir, "stacks", id), dependenciesOf(id), options);
    });
  } finally {
    fs.rmSync(synthDir, { recursive: true, force: true });
  }
}

function exportStack(stack: TerraformStack, synthStackDir: string, dependencies: string[], options: ExportStacksOptions): ExportedStack {
  const id = stack.node.id;
  const oldWorkingDir = path.join(options.cdktfOutdir, "stacks", id);
  const directory = path.resolve(options.outDir, id);
  const json = readJson(path.join(synthStackDir, "cdk.tf.json")) as Body;

  const terraform = (json.terraform ?? {}) as Body;
  const backends = (terraform.backend ?? {}) as Record<string, Body>;
  const backend = Object.keys(backends)[0] ?? "local";
  if (backend === "local") {
    // No path (or no backend at all) means Terraform's default: terraform.tfstate in the working folder.
    const local: Body = { ...backends.local };
    local.path = repointPath(typeof local.path === "string" ? local.path : "terraform.tfstate", oldWorkingDir, directory);
    if (typeof local.workspace_dir === "string") local.workspace_dir = repointPath(local.workspace_dir, oldWorkingDir, directory);
    json.terraform = { ...terraform, backend: { local } };
  }
  const data = (json.data ?? {}) as Record<string, Record<string, Body>>;
  for (const read of Object.values(data.terraform_remote_state ?? {})) {
    const config = read.config as Body | undefined;
    if (read.backend === "local" && config !== undefined && typeof config.path === "string") {
      config.path = repointPath(config.path, oldWorkingDir, directory);
    }
  }

  const hasAssets = fs.existsSync(path.join(synthStackDir, "assets"));
  const hcl = renderStackHcl(json as JsonObject, schemaOfStack(stack), comments(id, dependencies, backend, hasAssets, path.basename(options.cdktfOutdir)));

  fs.mkdirSync(directory, { recursive: true });
  fs.writeFileSync(path.join(directory, "main.tf"), hcl);
  // Replaced as a whole, so that bundles of an earlier export do not linger.
  fs.rmSync(path.join(directory, "assets"), { recursive: true, force: true });
  if (hasAssets) fs.cpSync(path.join(synthStackDir, "assets"), path.join(directory, "assets"), { recursive: true });

  const count = (section: unknown): number =>
    Object.values((section ?? {}) as Record<string, Body>).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
  return {
    id,
    directory,
    dependencies,
    backend,
    counts: { resources: count(json.resource), dataSources: count(json.data), outputs: Object.keys((json.output ?? {}) as Body).length },
  };
}

/**
 * A relative state path, re-pointed so that from `toDir` it names the file it named from `fromDir`.
 * Absolute paths, and paths built with interpolations, are left as they are.
 */
export function repointPath(statePath: string, fromDir: string, toDir: string): string {
  if (path.isAbsolute(statePath) || statePath.includes("${")) return statePath;
  return path.relative(toDir, path.resolve(fromDir, statePath)).split(path.sep).join("/");
}

/** The comments that explain, in the file, what the export kept and why. */
function comments(id: string, dependencies: readonly string[], backend: string, hasAssets: boolean, cdktfOutdirName: string): HclComments {
  const header = [
    `Stack "${id}", exported from its CDKTF synthesis (cdk.tf.json) as plain Terraform.`,
    "Same resources at the same addresses, same backend and state: after `terraform init` in this folder,",
    "`terraform plan` shows no changes.",
  ];
  if (dependencies.length === 1) header.push(`Reads outputs of stack ${dependencies[0]} from its state: apply that first.`);
  if (dependencies.length > 1) header.push(`Reads outputs of stacks ${dependencies.join(" and ")} from their state: apply those first.`);
  if (hasAssets) header.push("assets/ holds the handler bundles CDKTF built; archive_file zips them at plan time.");

  return {
    header,
    above: (address) => {
      if (address === "terraform.backend") {
        return backend === "local"
          ? [`The state file CDKTF used (Terraform ran in ${cdktfOutdirName}/stacks/${id}), addressed from this folder.`]
          : ["As CDKTF configured it: the state stays where it is."];
      }
      const read = /^data\.terraform_remote_state\.(.+)$/.exec(address);
      if (read !== null) {
        return read[1].startsWith(CROSS_STACK_INPUT)
          ? [`Outputs of stack "${read[1].slice(CROSS_STACK_INPUT.length)}", read from its state (a CDKTF cross-stack reference).`]
          : [];
      }
      if (address.startsWith(`output.${CROSS_STACK_OUTPUT}`)) {
        return ["Read by another stack through terraform_remote_state: keep the name."];
      }
      return [];
    },
  };
}

/** Stack ids ordered so that each comes after the stacks it depends on; otherwise in the app's order. */
function deployOrder(ids: readonly string[], dependenciesOf: (id: string) => readonly string[]): string[] {
  const ordered: string[] = [];
  const visit = (id: string, chain: readonly string[]): void => {
    if (ordered.includes(id)) return;
    if (chain.includes(id)) throw new Error(`The stacks depend on each other in a cycle: ${[...chain, id].join(" -> ")}`);
    for (const dependency of dependenciesOf(id)) if (ids.includes(dependency)) visit(dependency, [...chain, id]);
    ordered.push(id);
  };
  for (const id of ids) visit(id, []);
  return ordered;
}

/** A parsed JSON object, changed in place before rendering. */
type Body = Record<string, unknown>;

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}
