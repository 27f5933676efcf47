import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { buildSync, version as esbuildVersion } from "esbuild";

/** The project's root folder (the one holding `handlers/`). */
export const PROJECT_ROOT = path.resolve(__dirname, "..");

/** The Lambda runtime every handler is built for; esbuild's target follows it. */
export const LAMBDA_RUNTIME = "nodejs24.x";
const ESBUILD_TARGET = "node24";

const bundled = new Map<string, string>();

// Every esbuild setting that changes the output. Whitespace and syntax are minified for size; names are kept so
// that stack traces stay readable.
const BUILD_OPTIONS = {
  bundle: true,
  platform: "node",
  target: ESBUILD_TARGET,
  format: "cjs",
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: true,
  sourcemap: false,
  legalComments: "eof",
  charset: "utf8",
  logLevel: "error",
} as const;

/** What a bundle was built from: the esbuild version and settings, and the SHA-256 of every input file. */
interface BundleInputs {
  readonly key: string;
  readonly digest: string;
  readonly inputs: Readonly<Record<string, string>>;
}

const INPUTS_FILE = "inputs.json";
const BUILD_KEY = `${esbuildVersion} ${JSON.stringify(BUILD_OPTIONS)}`;

function fileDigest(relativePath: string): string | undefined {
  try {
    return createHash("sha256").update(fs.readFileSync(path.join(PROJECT_ROOT, relativePath))).digest("hex");
  } catch {
    return undefined;
  }
}

/** The folder of the last bundle when it was built by this esbuild, with these settings, from these same file contents. */
function reusableBundle(handlerDir: string): string | undefined {
  let recorded: BundleInputs;
  try {
    recorded = JSON.parse(fs.readFileSync(path.join(handlerDir, INPUTS_FILE), "utf8")) as BundleInputs;
  } catch {
    return undefined;
  }
  if (recorded.key !== BUILD_KEY || !/^[0-9a-f]{64}$/.test(recorded.digest)) return undefined;
  const outDir = path.join(handlerDir, recorded.digest);
  if (!fs.existsSync(path.join(outDir, "index.js"))) return undefined;
  for (const [file, digest] of Object.entries(recorded.inputs)) {
    if (fileDigest(file) !== digest) return undefined;
  }
  return outDir;
}

/** Records what the bundle `digest` was built from; written to a temporary file and renamed, so readers never see half of it. */
function recordInputs(handlerDir: string, digest: string, inputFiles: readonly string[]): void {
  const inputs: Record<string, string> = {};
  for (const file of [...inputFiles].sort()) {
    const fileHash = fileDigest(file);
    if (fileHash === undefined) return; // an input that cannot be read again: build every time rather than guess
    inputs[file] = fileHash;
  }
  const record: BundleInputs = { key: BUILD_KEY, digest, inputs };
  const temporary = path.join(handlerDir, `.${INPUTS_FILE}.${process.pid}`);
  fs.writeFileSync(temporary, JSON.stringify(record));
  fs.renameSync(temporary, path.join(handlerDir, INPUTS_FILE));
}

/**
 * Bundles `handlers/<handlerName>/index.ts` and its dependencies (the AWS SDK included, so that the
 * function runs the SDK version we tested rather than whatever the runtime ships) into one `index.js`,
 * and returns the absolute path of the folder holding it.
 *
 * Every setting that changes the output is fixed here, so the same source gives the same bytes on any
 * machine, and with it the same asset hash and `source_code_hash`. The folder is named after the content
 * (`.build/handlers/<handlerName>/<sha256>`) and never rewritten once complete, so that test workers and
 * synths running at the same time cannot see each other's half-written bundles.
 */
export function bundleHandler(handlerName: string): string {
  const cached = bundled.get(handlerName);
  if (cached !== undefined) return cached;

  const entry = path.join(PROJECT_ROOT, "handlers", handlerName, "index.ts");
  if (!fs.existsSync(entry)) {
    throw new Error(`Handler "${handlerName}" has no entry point: ${path.relative(PROJECT_ROOT, entry)} does not exist`);
  }

  const handlerDir = path.join(PROJECT_ROOT, ".build", "handlers", handlerName);
  // Bundling only what changed: a synth whose handler sources (and the packages they import) are unchanged
  // reuses the bundle of the last build instead of running esbuild again (about half a second for the processor).
  const reused = reusableBundle(handlerDir);
  if (reused !== undefined) {
    bundled.set(handlerName, reused);
    return reused;
  }

  const result = buildSync({
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [path.relative(PROJECT_ROOT, entry)],
    outfile: "index.js",
    write: false,
    metafile: true,
    ...BUILD_OPTIONS,
  });
  const [output] = result.outputFiles;
  const digest = createHash("sha256").update(output.contents).digest("hex");

  const outDir = path.join(handlerDir, digest);
  if (!fs.existsSync(outDir)) {
    fs.mkdirSync(handlerDir, { recursive: true });
    const staging = fs.mkdtempSync(path.join(handlerDir, ".staging-"));
    fs.writeFileSync(path.join(staging, "index.js"), output.contents);
    try {
      fs.renameSync(staging, outDir);
    } catch (error) {
      // Another process finished the same bundle first; its copy is byte-identical.
      fs.rmSync(staging, { recursive: true, force: true });
      if (!fs.existsSync(outDir)) throw error;
    }
  }
  recordInputs(handlerDir, digest, Object.keys(result.metafile?.inputs ?? {}));

  bundled.set(handlerName, outDir);
  return outDir;
}
