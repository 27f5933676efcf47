// Preloaded with `node -r`: at exit, writes to stderr one line naming which of cdktf, the AWS provider's classes and
// the project's stacks/ the process loaded (`loaded: cdktf provider-aws stacks`, or `loaded: nothing`).
"use strict";
process.on("exit", () => {
  const loaded = Object.keys(require.cache);
  const kinds = [
    ["cdktf", /[\\/]node_modules[\\/]cdktf[\\/]/],
    ["provider-aws", /[\\/]node_modules[\\/]@cdktf[\\/]provider-aws[\\/]/],
    ["stacks", /[\\/]stacks[\\/][^\\/]+\.ts$/],
  ].filter(([, pattern]) => loaded.some((file) => pattern.test(file)));
  process.stderr.write(`loaded: ${kinds.length === 0 ? "nothing" : kinds.map(([kind]) => kind).join(" ")}\n`);
});
