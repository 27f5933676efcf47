/**
 * The triage widget's core: one event in, the widget's HTML out. Lists the suppression table's failures, performs the
 * action a button asked for (when one did), and renders the table again; the answer replaces the widget's content.
 */
import { listFailures } from "../../lib/triage/triage-store";
import { performAction, WidgetClient } from "./actions";
import { renderWidget, WidgetPage } from "./render";
import { parseWidgetEvent } from "./widget-event";

/** What the core needs from its adapter (index.ts) or a test. */
export interface TriageWidgetDeps {
  readonly client: WidgetClient;
  readonly tableName: string;
  readonly region: string;
  readonly processorLogGroup: string;
  /** The ARN the buttons call back: the function's own. */
  readonly endpoint: string;
  readonly now: () => number;
  /** Where a refused call or an action is reported (one JSON line). @default nowhere */
  readonly log?: (line: Record<string, unknown>) => void;
}

/**
 * The documentation CloudWatch shows for the widget when the editor asks (`describe`), in the samples' form
 * (aws-samples/cloudwatch-custom-widgets-samples: every sample returns its DOCS for `event.describe`).
 */
export const WIDGET_DOCS = `## Failure triage
Open, regressed, ignored and resolved failures of the log monitor, seen or triaged in the dashboard's time range, with
buttons to resolve, mute for 1 h or 24 h, ignore (until 100 more occurrences) and reopen. No parameters.
See docs/operations.md, "Triage widget".`;

/** Answers one call of the widget. */
export async function handleWidgetEvent(event: unknown, deps: TriageWidgetDeps): Promise<string> {
  const nowMs = deps.now();
  const request = parseWidgetEvent(event, nowMs);
  if (request.kind === "describe") return WIDGET_DOCS;
  let notice: WidgetPage["notice"];
  if (request.kind === "refused") {
    deps.log?.({ warning: "triage widget refused a call", reason: request.reason });
    notice = { kind: "refused", text: request.reason };
  } else if (request.kind === "action") {
    const outcome = await performAction(deps.client, deps.tableName, { action: request.action, scope: request.scope, by: request.by, nowMs });
    deps.log?.({ action: request.action, failure: request.scope, by: request.by, outcome: outcome.message });
    notice = { kind: "done", text: outcome.message };
  }
  const failures = await listFailures(deps.client, deps.tableName, { nowMs: deps.now() });
  return renderWidget({ failures, view: request.view, region: deps.region, processorLogGroup: deps.processorLogGroup, endpoint: deps.endpoint, notice });
}
