/**
 * The pull-request comment with the plans of the three stacks: pure functions, so that what reviewers
 * read can be tested without AWS.
 */

/** Marks the comment so that later runs update it instead of adding another. */
export const COMMENT_MARKER = "<!-- log-monitor-cdktf-diff -->";

/** GitHub rejects comments over 65,536 characters; each plan is cut to fit with room to spare. */
const MAX_PLAN_CHARACTERS = 18_000;

/** The outcome of `cdktf diff <stack>`. */
export type StackDiff =
  | { readonly stack: string; readonly kind: "planned"; readonly output: string }
  | { readonly stack: string; readonly kind: "producer-not-deployed"; readonly producers: readonly string[]; readonly output: string }
  | { readonly stack: string; readonly kind: "failed"; readonly output: string };

/**
 * Classifies a failed diff. A consumer stack cannot be planned until the stacks it reads from are deployed:
 * its `terraform_remote_state` finds no state, or a state without the cross-stack outputs
 * (hashicorp/terraform-cdk#3514). That is said plainly; any other failure is a real one.
 */
export function classifyFailedDiff(stack: string, output: string, producers: readonly string[]): StackDiff {
  const missingRemoteState =
    /cross-stack-output-|Unable to find remote state|No stored state was found|does not have an attribute named "cross-stack/.test(output);
  return missingRemoteState && producers.length > 0
    ? { stack, kind: "producer-not-deployed", producers, output }
    : { stack, kind: "failed", output };
}

/** The comment body: one section per stack, in deploy order. */
export function renderDiffComment(diffs: readonly StackDiff[], commitSha: string): string {
  const sections = diffs.map((diff) => {
    switch (diff.kind) {
      case "planned":
        return `### \`${diff.stack}\`\n\n${summaryLine(diff.output)}\n\n<details><summary>Plan</summary>\n\n\`\`\`\n${truncate(stripAnsi(diff.output))}\n\`\`\`\n</details>`;
      case "producer-not-deployed":
        return (
          `### \`${diff.stack}\`\n\n:information_source: Not planned: \`${diff.stack}\` reads outputs of ` +
          `${diff.producers.map((p) => `\`${p}\``).join(" and ")}, which ${diff.producers.length > 1 ? "have" : "has"} not been deployed ` +
          `in this environment yet (CDKTF cross-stack references need the producer's state). Deploy ` +
          `${diff.producers.map((p) => `\`${p}\``).join(", then ")} first; this stack's plan will then appear here.`
        );
      case "failed":
        return `### \`${diff.stack}\`\n\n:x: \`cdktf diff ${diff.stack}\` failed.\n\n\`\`\`\n${truncate(stripAnsi(diff.output))}\n\`\`\``;
    }
  });
  return [COMMENT_MARKER, `## Terraform plans (cdktf diff) for ${commitSha.slice(0, 7)}`, ...sections].join("\n\n") + "\n";
}

/** Terraform's own one-line summary ("Plan: 1 to add, 0 to change, 0 to destroy." or "No changes."). */
function summaryLine(output: string): string {
  const plain = stripAnsi(output);
  const plan = /Plan: \d+ to add, \d+ to change, \d+ to destroy\./.exec(plain);
  if (plan) return `**${plan[0]}**`;
  if (/No changes\./.test(plain)) return "**No changes.**";
  return "Plan output below.";
}

function truncate(text: string): string {
  return text.length <= MAX_PLAN_CHARACTERS
    ? text
    : `${text.slice(0, MAX_PLAN_CHARACTERS)}\n... (${text.length - MAX_PLAN_CHARACTERS} more characters in the workflow log)`;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

/**
 * A PagerDuty integration URL's key (`/integration/<key>/enqueue`, `/x-ere/<key>`). Terraform prints the pager's
 * endpoint as "(sensitive value)" (docs/alerts-and-chat.md, On-call paging); this is a second guard, for output
 * Terraform does not redact (a provider's error message quoting a request, say), so the comment never carries it.
 */
const PAGERDUTY_KEY = /(events(?:\.[a-z]+)?\.pagerduty\.com\/(?:integration|x-ere)\/)[^/\s"'`]+/gi;

function stripAnsi(text: string): string {
  return text.replace(ANSI, "").replace(PAGERDUTY_KEY, "$1<redacted>");
}
