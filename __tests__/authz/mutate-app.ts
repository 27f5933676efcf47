import type { SynthesizedApp } from "../../lib/simulate/synthesized-app";

/** A synthesized app's JSON, writable, for tests that break a copy on purpose. */
type Json = Record<string, unknown>;

/** A deep copy of a synthesized app, safe to modify. */
export function cloneApp(app: SynthesizedApp): SynthesizedApp {
  return structuredClone(app) as SynthesizedApp;
}

function asList(value: unknown): Json[] {
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]) as Json[];
}

/**
 * Removes, from every `data.aws_iam_policy_document` of the app, the statements `matches` selects (they are read as
 * synthesized: `sid`, `effect`, `actions`, `principals`, `condition`). Returns `<stack>/<document>#<sid>` of each.
 */
export function removeStatements(app: SynthesizedApp, matches: (statement: Json) => boolean): string[] {
  const removed: string[] = [];
  for (const [stackId, stack] of Object.entries(app.stacks)) {
    const documents = ((stack.json.data as Json | undefined)?.aws_iam_policy_document ?? {}) as Record<string, Json>;
    for (const [name, document] of Object.entries(documents)) {
      const statements = asList(document.statement);
      const kept = statements.filter((statement) => !matches(statement));
      for (const statement of statements) if (!kept.includes(statement)) removed.push(`${stackId}/${name}#${String(statement.sid)}`);
      document.statement = kept;
    }
  }
  return removed;
}

/** Edits, in place, the statements `matches` selects; returns how many. */
export function editStatements(app: SynthesizedApp, matches: (statement: Json) => boolean, edit: (statement: Json) => void): number {
  let count = 0;
  for (const stack of Object.values(app.stacks)) {
    const documents = ((stack.json.data as Json | undefined)?.aws_iam_policy_document ?? {}) as Record<string, Json>;
    for (const document of Object.values(documents)) {
      for (const statement of asList(document.statement)) {
        if (!matches(statement)) continue;
        edit(statement);
        count += 1;
      }
    }
  }
  return count;
}

/** Removes the resources of a type `matches` selects; returns `<stack>/<type>.<name>` of each. */
export function removeResources(app: SynthesizedApp, type: string, matches: (config: Json, stackId: string, name: string) => boolean): string[] {
  const removed: string[] = [];
  for (const [stackId, stack] of Object.entries(app.stacks)) {
    const ofType = ((stack.json.resource as Json | undefined)?.[type] ?? {}) as Record<string, Json>;
    for (const [name, config] of Object.entries(ofType)) {
      if (!matches(config, stackId, name)) continue;
      delete ofType[name];
      removed.push(`${stackId}/${type}.${name}`);
    }
  }
  return removed;
}

/** Whether a synthesized statement has a condition on `variable` with a value `test` accepts. */
export function hasCondition(statement: Json, variable: string, test: (value: string) => boolean): boolean {
  return asList(statement.condition).some(
    (condition) => condition.variable === variable && Array.isArray(condition.values) && (condition.values as unknown[]).some((v) => typeof v === "string" && test(v)),
  );
}

/** Whether a synthesized statement names `identifier` among its principals. */
export function hasPrincipal(statement: Json, identifier: (id: string) => boolean): boolean {
  return asList(statement.principals).some((block) => Array.isArray(block.identifiers) && (block.identifiers as unknown[]).some((id) => typeof id === "string" && identifier(id)));
}

/** Whether a synthesized statement lists `action`. */
export function hasAction(statement: Json, action: string): boolean {
  return Array.isArray(statement.actions) && statement.actions.includes(action);
}
