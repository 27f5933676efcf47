/**
 * The widget's actions on one failure, each one transition of the failure's state machine written by its owner's
 * module (docs/alert-state-machine.md): resolve, ignore and reopen by lib/triage/triage-store.ts, mute by
 * lib/incidents/mute-store.ts, exactly as `npm run incidents` writes them.
 */
import { muteFailure, MuteClient } from "../../lib/incidents/mute-store";
import { describeIgnore, ignoreFailure, IgnoreCondition, reopenFailure, resolveFailure, TriageClient } from "../../lib/triage/triage-store";
import type { FailureScope } from "../log-processor/suppression-schema";
import type { WidgetAction } from "./widget-event";

/** The DynamoDB calls the widget makes; `DynamoDBClient` satisfies it. */
export type WidgetClient = TriageClient & MuteClient;

/** How long the widget's two mutes last. */
export const MUTE_DURATIONS_MS: Readonly<Record<"mute1h" | "mute24h", number>> = { mute1h: 3_600_000, mute24h: 86_400_000 };

/**
 * The widget's ignore: until 100 more occurrences. A time-boxed silence is what the mutes are for; an ignore is "this
 * failure is accepted noise until it gets worse", and a count says "worse" whatever the failure's usual rate. Other
 * conditions (a date, a rate per hour) are `npm run incidents -- ignore --until ...`.
 */
export const WIDGET_IGNORE: IgnoreCondition = { kind: "count", occurrences: 100 };

/** What the action did, for the line above the table. */
export interface ActionOutcome {
  readonly message: string;
}

/** Performs one action on one failure as `by`, at `nowMs`. */
export async function performAction(
  client: WidgetClient,
  tableName: string,
  request: { readonly action: WidgetAction; readonly scope: FailureScope; readonly by: string; readonly nowMs: number },
): Promise<ActionOutcome> {
  const { action, scope, by, nowMs } = request;
  const name = `${scope.fingerprint.slice(0, 12)} in ${scope.logGroup}`;
  switch (action) {
    case "resolve":
      await resolveFailure(client, tableName, { scope, by, nowMs });
      return { message: `Resolved ${name}: its next occurrence alerts as regressed.` };
    case "mute1h":
    case "mute24h": {
      const untilMs = nowMs + MUTE_DURATIONS_MS[action];
      const hours = MUTE_DURATIONS_MS[action] / 3_600_000;
      await muteFailure(client, tableName, { scope, untilMs, by, reason: `muted for ${hours} h from the dashboard`, nowMs });
      return { message: `Muted ${name} until ${new Date(untilMs).toISOString()}.` };
    }
    case "ignore":
      await ignoreFailure(client, tableName, { scope, until: WIDGET_IGNORE, by, nowMs });
      return { message: `Ignored ${name} ${describeIgnore(WIDGET_IGNORE)}.` };
    case "reopen":
      return (await reopenFailure(client, tableName, { scope, by, nowMs }))
        ? { message: `Reopened ${name}: it alerts as any open failure.` }
        : { message: `${name} was open already: nothing changed.` };
  }
}
