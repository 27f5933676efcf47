/**
 * Jest's transformer: strips types with esbuild (as scripts/esbuild-register.js does for the tools), instead of
 * ts-jest, which loads TypeScript's compiler in every worker. Type-checking is done once by `tsc --noEmit` in
 * `npm test`. The tests use no `jest.mock` (which would need hoisting that esbuild does not do).
 */
"use strict";
const crypto = require("crypto");
const { transformSync, version } = require("esbuild");

const OPTIONS = { loader: "ts", format: "cjs", platform: "node", target: "node22", sourcemap: "external", sourcesContent: true };

module.exports = {
  getCacheKey(source, filename) {
    return crypto.createHash("sha256").update(`${version}\0${JSON.stringify(OPTIONS)}\0${filename}\0${source}`).digest("hex");
  },
  process(source, filename) {
    const { code, map } = transformSync(source, { ...OPTIONS, sourcefile: filename });
    return { code, map };
  },
};
