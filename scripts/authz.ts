/**
 * `npm run authz [-- --samples] [--json] [--help]`: the offline authorization proof of the configuration in the
 * environment (by default) or of the sample configurations, with the request-constraint checks (lib/authz/cli.ts).
 * Exits 1 when a call is not decided as expected or a constraint is broken, 2 on bad usage or configuration.
 */
import * as path from "node:path";
import { runAuthz } from "../lib/authz/cli";
import { runTool } from "../lib/cli/errors";

runTool("authz", () =>
  runAuthz(process.argv.slice(2), process.env, path.resolve(__dirname, ".."), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  }),
);
