#!/usr/bin/env node
/**
 * `npm test [-- jest options]`: the type check (`tsc --noEmit`) and jest, at the same time rather than one after the
 * other. Neither reads the other's output, and jest alone leaves a CPU idle at times (while suites wait on child
 * processes and servers, and at its tail, when the last suites run on one worker), which the type check fills.
 *
 * Both always run to the end; the exit status is the type check's when it failed, else jest's, so a type error fails
 * `npm test` as it did when `tsc --noEmit &&` came first. tsc's output is held and printed in one block when it ends,
 * so that it does not interleave with jest's. Both run with `CHECKPOINT_DISABLE=1`, as scripts/no-checkpoint.js sets
 * it (no update check from the CDKTF CLI that tests run). Arguments go to jest (`.ci/run` passes `--json
 * --outputFile=...`).
 */
"use strict";
const { spawn } = require("node:child_process");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");

/** Runs a command to its end; resolves with its exit status (1 for a signal or a failure to start) and its output. */
function run(command, args, { capture }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, CHECKPOINT_DISABLE: "1" },
      stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit",
    });
    const chunks = [];
    if (capture) {
      child.stdout.on("data", (chunk) => chunks.push(chunk));
      child.stderr.on("data", (chunk) => chunks.push(chunk));
    }
    child.once("error", (error) => resolve({ status: 127, output: `cannot run ${command}: ${error.message}\n` }));
    child.once("close", (code, signal) => resolve({ status: signal !== null ? 1 : (code ?? 1), output: Buffer.concat(chunks).toString("utf8") }));
  });
}

/**
 * Runs the type check (output captured) and the tests (output passed through) at once; resolves with the exit status:
 * the type check's when it failed, else the tests'.
 */
async function typecheckAndTest(typecheck, tests, write = (text) => process.stdout.write(text)) {
  const checked = run(typecheck.command, typecheck.args, { capture: true }).then((result) => {
    write(result.status === 0 ? "npm test: type check (tsc --noEmit) passed\n" : `${result.output}npm test: type check (tsc --noEmit) failed, exit status ${result.status}\n`);
    return result.status;
  });
  const [typeStatus, testStatus] = await Promise.all([checked, run(tests.command, tests.args, { capture: false }).then((result) => result.status)]);
  return typeStatus !== 0 ? typeStatus : testStatus;
}

module.exports = { typecheckAndTest };

if (require.main === module) {
  const node = process.execPath;
  typecheckAndTest(
    { command: node, args: [require.resolve("typescript/bin/tsc"), "--noEmit"] },
    { command: node, args: [require.resolve("jest/bin/jest"), ...process.argv.slice(2)] },
  ).then((status) => process.exit(status));
}
