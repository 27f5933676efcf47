/**
 * Finds the AWS SDK calls a handler's code makes, by reading its source: every `new XxxCommand(` whose class is
 * imported from an `@aws-sdk/*` package, in the entry point and every module it imports (relative imports,
 * followed as esbuild follows them), mapped to the IAM action that authorizes it. The authorization proof's tests
 * compare the result with the handler's declaration (`handlers/<name>/aws-calls.ts`).
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** A source the scanner cannot map with certainty (a namespace import, an unknown client); says where. */
export class SdkScanError extends Error {
  constructor(file: string, reason: string) {
    super(`${file}: ${reason}`);
    this.name = "SdkScanError";
  }
}

/** One SDK call in the source. */
export interface SdkCall {
  /** The IAM action that authorizes it, e.g. `dynamodb:BatchWriteItem`. */
  readonly action: string;
  /** Where: `file:line`. */
  readonly location: string;
}

/** The IAM service prefix of each SDK v3 package whose command names are the API operation plus `Command`. */
const CLIENT_SERVICE_PREFIX: Readonly<Record<string, string>> = {
  "@aws-sdk/client-dynamodb": "dynamodb",
  "@aws-sdk/client-sns": "sns",
  "@aws-sdk/client-sqs": "sqs",
  "@aws-sdk/client-lambda": "lambda",
  "@aws-sdk/client-s3": "s3",
  "@aws-sdk/client-kms": "kms",
  "@aws-sdk/client-cloudwatch": "cloudwatch",
  "@aws-sdk/client-cloudwatch-logs": "logs",
  "@aws-sdk/client-sts": "sts",
};

/** The DynamoDB document client's commands, which drop the operation's `Item`/`Items` suffix. */
const DOCUMENT_CLIENT_OPERATIONS: Readonly<Record<string, string>> = {
  PutCommand: "PutItem",
  GetCommand: "GetItem",
  UpdateCommand: "UpdateItem",
  DeleteCommand: "DeleteItem",
  QueryCommand: "Query",
  ScanCommand: "Scan",
  BatchWriteCommand: "BatchWriteItem",
  BatchGetCommand: "BatchGetItem",
  TransactGetCommand: "TransactGetItems",
  TransactWriteCommand: "TransactWriteItems",
};

// IAM has no action for these two operations: it authorizes each item in them with the item's own action
// ("Amazon DynamoDB transactions: IAM", DynamoDB Developer Guide), which a source scan cannot see.
const AUTHORIZED_PER_ITEM = new Set(["dynamodb:TransactWriteItems", "dynamodb:TransactGetItems"]);

const NAMED_IMPORT = /import\s+(type\s+)?\{([^}]*)\}\s*from\s*["']([^"']+)["']/g;
const OTHER_SDK_IMPORT = /import\s+(?:\*\s+as\s+\w+|\w+)\s+from\s*["'](@aws-sdk\/[^"']+)["']|require\(\s*["'](@aws-sdk\/[^"']+)["']\s*\)/g;
const NEW_INSTANCE = /new\s+([A-Za-z_$][\w$]*)\s*\(/g;
const RELATIVE_IMPORT = /(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g;

function lineOf(source: string, index: number): number {
  return source.slice(0, index).split("\n").length;
}

/** The SDK calls in one module's source. */
export function sdkCallsInSource(source: string, file: string): SdkCall[] {
  const commands = new Map<string, string>();
  for (const match of source.matchAll(NAMED_IMPORT)) {
    const [, typeOnly, names = "", from = ""] = match;
    if (!from.startsWith("@aws-sdk/") || typeOnly !== undefined) continue;
    for (const raw of names.split(",")) {
      const spec = raw.trim();
      if (spec === "" || spec.startsWith("type ")) continue;
      const [imported = "", local = imported] = spec.split(/\s+as\s+/).map((part) => part.trim());
      if (!imported.endsWith("Command")) continue;
      const action = actionOf(from, imported, file);
      commands.set(local, action);
    }
  }
  for (const match of source.matchAll(OTHER_SDK_IMPORT)) {
    throw new SdkScanError(`${file}:${lineOf(source, match.index ?? 0)}`, `import ${match[1] ?? match[2]} by name ({ XxxCommand }) so its calls can be read`);
  }
  const calls: SdkCall[] = [];
  for (const match of source.matchAll(NEW_INSTANCE)) {
    const name = match[1] ?? "";
    const action = commands.get(name);
    const location = `${file}:${lineOf(source, match.index ?? 0)}`;
    if (action === undefined && !name.endsWith("Command")) continue;
    if (action === undefined) throw new SdkScanError(location, `new ${name}( is not a command imported from an @aws-sdk package`);
    calls.push({ action, location });
  }
  return calls;
}

function actionOf(module: string, command: string, file: string): string {
  if (module === "@aws-sdk/lib-dynamodb") {
    const operation = DOCUMENT_CLIENT_OPERATIONS[command];
    if (operation === undefined) throw new SdkScanError(file, `${command} from ${module} has no known DynamoDB operation`);
    return checked(`dynamodb:${operation}`, file);
  }
  const prefix = CLIENT_SERVICE_PREFIX[module];
  if (prefix === undefined) throw new SdkScanError(file, `${module} is not a client the scanner knows; add its IAM prefix to CLIENT_SERVICE_PREFIX`);
  return checked(`${prefix}:${command.slice(0, -"Command".length)}`, file);
}

function checked(action: string, file: string): string {
  if (AUTHORIZED_PER_ITEM.has(action)) {
    throw new SdkScanError(file, `${action} is authorized item by item (PutItem, UpdateItem, DeleteItem, ConditionCheckItem, GetItem): the scan cannot tell which`);
  }
  return action;
}

/** The modules a handler bundles: its entry point and every module reachable by relative imports. */
export function handlerModules(entryPoint: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = fs.readFileSync(file, "utf8");
    for (const match of source.matchAll(RELATIVE_IMPORT)) {
      const target = path.resolve(path.dirname(file), match[1] ?? "");
      const resolved = [`${target}.ts`, path.join(target, "index.ts"), target].find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
      if (resolved === undefined) throw new SdkScanError(file, `cannot resolve import ${match[1]}`);
      visit(resolved);
    }
  };
  visit(entryPoint);
  return [...seen].sort();
}

/** Every SDK call a handler's bundle can make, from its entry point (`handlers/<name>/index.ts`). */
export function sdkCallsOfHandler(entryPoint: string, relativeTo: string): SdkCall[] {
  return handlerModules(entryPoint).flatMap((file) => sdkCallsInSource(fs.readFileSync(file, "utf8"), path.relative(relativeTo, file)));
}
