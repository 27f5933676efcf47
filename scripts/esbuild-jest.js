/**
 * Jest's transformer: strips types with esbuild (as scripts/esbuild-register.js does for the tools), instead of
 * ts-jest, which loads TypeScript's compiler in every worker. Type-checking is done once by `tsc --noEmit` in
 * `npm test`. The tests use no `jest.mock` (which would need hoisting that esbuild does not do).
 */
"use strict";
const crypto = require("crypto");
const { transformSync, version } = require("esbuild");

const OPTIONS = { loader: "ts", format: "cjs", platform: "node", target: "node22", sourcemap: "external", sourcesContent: true };

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

module.exports = {
  getCacheKey(source, filename) {
    return crypto
      .createHash("sha256")
      .update(`${version}\0${JSON.stringify(OPTIONS)}\0${spyableExports.toString()}\0${filename}\0${source}`)
      .digest("hex");
  },
  process(source, filename) {
    const { code, map } = transformSync(source, { ...OPTIONS, sourcefile: filename });
    return { code: spyableExports(code), map };
  },
};
