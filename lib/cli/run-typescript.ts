import * as path from "node:path";

/**
 * The loader every TypeScript entry point runs with (cdktf.json's app, the npm scripts, and the tests and tools that
 * start them in a child process): esbuild strips the types as each file is required.
 */
export const TYPESCRIPT_LOADER = path.resolve(__dirname, "..", "..", "scripts", "esbuild-register.js");

/** Node.js arguments that run a TypeScript file (relative to the working folder) with the project's loader. */
export function typescriptArgs(file: string, ...args: readonly string[]): string[] {
  return ["-r", TYPESCRIPT_LOADER, file, ...args];
}
