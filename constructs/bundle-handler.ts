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
 * function runs the SDK version we tested rather than whatever the runtime ships) into a clean folder
 * `.build/handlers/<handlerName>/` holding one `index.js`, and returns that folder's absolute path.
 *
 * Every setting that changes the output is fixed here, so the same source gives the same bytes on any
 * machine, and with it the same asset hash and `source_code_hash`. Each handler is bundled once per process.
 */
export function bundleHandler(handlerName: string): string {
  const cached = bundled.get(handlerName);
  if (cached !== undefined) return cached;

  const entry = path.join(PROJECT_ROOT, "handlers", handlerName, "index.ts");
  if (!fs.existsSync(entry)) {
    throw new Error(`Handler "${handlerName}" has no entry point: ${path.relative(PROJECT_ROOT, entry)} does not exist`);
  }
  const outDir = path.join(PROJECT_ROOT, ".build", "handlers", handlerName);
  fs.rmSync(outDir, { recursive: true, force: true });

  buildSync({
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [path.relative(PROJECT_ROOT, entry)],
    outfile: path.join(outDir, "index.js"),
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

  bundled.set(handlerName, outDir);
  return outDir;
}
