/**
 * Runs TypeScript files under Node.js by transpiling each one with esbuild as it is required: the loader of
 * `cdktf synth` (cdktf.json's "app") and of every `npm run` tool. It only strips types, as `ts-node --transpile-only`
 * did, at a fraction of the start-up cost (TypeScript's compiler is never loaded); `npm test` type-checks with
 * `tsc --noEmit`. Usage: `node -r ./scripts/esbuild-register.js main.ts`.
 *
 * Transpiled files are kept in .build/ts-cache, named by the SHA-256 of the source, its path and the settings, so an
 * unchanged file is read back instead of transpiled again. Source maps are added when Node.js runs with
 * --enable-source-maps (they cost time on every start, and the tools print one-line errors anyway).
 */
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const CACHE_DIR = path.join(__dirname, "..", ".build", "ts-cache");
const withSourceMaps = process.sourceMapsEnabled === true;
// The Lambda runtime's major (constructs/bundle-handler.ts) and the `node` devDependency's.
const OPTIONS = {
  loader: "ts",
  format: "cjs",
  platform: "node",
  target: "node24",
  ...(withSourceMaps ? { sourcemap: "inline", sourcesContent: false } : {}),
};
let esbuild;
let cacheKeyPrefix;

function transpile(source, filename) {
  esbuild = esbuild || require("esbuild");
  return esbuild.transformSync(source, { ...OPTIONS, sourcefile: filename }).code;
}

function cached(source, filename) {
  // The esbuild version is read from its package.json, which is cheaper than loading esbuild.
  cacheKeyPrefix =
    cacheKeyPrefix || `${require("esbuild/package.json").version} ${JSON.stringify(OPTIONS)}`;
  const key = crypto.createHash("sha256").update(`${cacheKeyPrefix}\0${filename}\0${source}`).digest("hex");
  const file = path.join(CACHE_DIR, `${key}.js`);
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    const code = transpile(source, filename);
    try {
      // Written aside and renamed: a process reading at the same time never sees half a file.
      fs.mkdirSync(CACHE_DIR, { recursive: true });
      const temporary = `${file}.${process.pid}`;
      fs.writeFileSync(temporary, code);
      fs.renameSync(temporary, file);
    } catch {
      // A read-only project folder: run without the cache.
    }
    return code;
  }
}

require.extensions[".ts"] = function compileTypeScript(module, filename) {
  module._compile(cached(fs.readFileSync(filename, "utf8"), filename), filename);
};
