#!/usr/bin/env node
/**
 * `node scripts/no-checkpoint.js <command> [args...]`: runs a command with `CHECKPOINT_DISABLE=1`, so that the CDKTF
 * CLI (and Terraform) make no update-check call to checkpoint-api.hashicorp.com: synth and the tests stay offline.
 * A script line `CHECKPOINT_DISABLE=1 cdktf synth` would need a POSIX shell; npm runs scripts with cmd.exe on
 * Windows, so the variable is set here instead. The command is looked up on PATH (npm puts node_modules/.bin first),
 * and its exit status, or the signal that ended it, is passed on.
 */
"use strict";
const { spawn } = require("node:child_process");

const [command, ...args] = process.argv.slice(2);
if (command === undefined) {
  process.stderr.write("no-checkpoint: name the command to run, e.g. node scripts/no-checkpoint.js cdktf synth\n");
  process.exit(2);
}
const child = spawn(command, args, {
  stdio: "inherit",
  env: { ...process.env, CHECKPOINT_DISABLE: "1" },
  // On Windows, node_modules/.bin holds .cmd shims, which only a shell runs.
  shell: process.platform === "win32",
});
child.once("error", (error) => {
  process.stderr.write(`no-checkpoint: cannot run ${command}: ${error.message}\n`);
  process.exit(127);
});
child.once("exit", (code, signal) => {
  if (signal !== null) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
