/**
 * Jest's transformer: strips types with esbuild (as scripts/esbuild-register.js does for the tools), instead of
 * ts-jest, which loads TypeScript's compiler in every worker. Type-checking is done once by `tsc --noEmit` in
 * `npm test`. A file that calls `jest.mock` (whose calls must be hoisted above the imports, which esbuild does not
 * do) goes to ts-jest instead, so such a test works as it did.
 */
"use strict";
const crypto = require("crypto");
const { transformSync, version } = require("esbuild");

const OPTIONS = { loader: "ts", format: "cjs", platform: "node", target: "node24", sourcemap: "external", sourcesContent: true };

/**
 * esbuild's CommonJS output exports through getters that cannot be redefined, and `import * as m` gets a copy of
 * the module's exports, so `jest.spyOn(m, "fn")` would fail or spy on the copy; with ts-jest's output it spies on
 * the module. Marks the getters of esbuild's helpers configurable and lets a namespace import of a transpiled
 * module be the module itself (same lines, so the source map still fits).
 */
function spyableExports(code) {
  return code
    .replace("var __toESM = (mod, isNodeMode, target) => (", "var __toESM = (mod, isNodeMode, target) => mod && mod.__esModule && !isNodeMode ? mod : (")
    .replace("__defProp(target, name, { get: all[name], enumerable: true });", "__defProp(target, name, { get: all[name], enumerable: true, configurable: true });")
    .replace(
      "__defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });",
      "__defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable, configurable: true });",
    );
}

// jest.mock and its kin must run before the imports they affect: ts-jest hoists them, esbuild does not.
const NEEDS_HOISTING = /\bjest\s*\.\s*(mock|unmock|doMock|enableAutomock|disableAutomock|deepUnmock)\s*\(/;
let tsJest;
function tsJestTransformer() {
  tsJest = tsJest || require("ts-jest").default.createTransformer({ diagnostics: false });
  return tsJest;
}

module.exports = {
  getCacheKey(source, filename, options) {
    if (NEEDS_HOISTING.test(source)) return `ts-jest:${tsJestTransformer().getCacheKey(source, filename, options)}`;
    return crypto
      .createHash("sha256")
      .update(`${version}\0${JSON.stringify(OPTIONS)}\0${spyableExports.toString()}\0${filename}\0${source}`)
      .digest("hex");
  },
  process(source, filename, options) {
    if (NEEDS_HOISTING.test(source)) return tsJestTransformer().process(source, filename, options);
    const { code, map } = transformSync(source, { ...OPTIONS, sourcefile: filename });
    return { code: spyableExports(code), map };
  },
};
