import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { buildSync } from "esbuild";

/** The project's root folder (the one holding `handlers/`). */
export const PROJECT_ROOT = path.resolve(__dirname, "..");

/** The Lambda runtime every handler is built for; esbuild's target follows it. */
export const LAMBDA_RUNTIME = "nodejs22.x";
const ESBUILD_TARGET = "node22";

const bundled = new Map<string, string>();

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

  const result = buildSync({
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [path.relative(PROJECT_ROOT, entry)],
    outfile: "index.js",
    write: false,
    bundle: true,
    platform: "node",
    target: ESBUILD_TARGET,
    format: "cjs",
    // Whitespace and syntax are minified for size; names are kept so that stack traces stay readable.
    minifyWhitespace: true,
    minifySyntax: true,
    keepNames: true,
    sourcemap: false,
    legalComments: "eof",
    charset: "utf8",
    logLevel: "error",
  });
  const [output] = result.outputFiles;
  const digest = createHash("sha256").update(output.contents).digest("hex");

  const handlerDir = path.join(PROJECT_ROOT, ".build", "handlers", handlerName);
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

  bundled.set(handlerName, outDir);
  return outDir;
}
