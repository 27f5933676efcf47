import type * as ProcessorModule from "../../handlers/log-processor/index";

/** Fake credentials for local servers; no AWS account is used. */
export const LOCAL_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
  AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  AWS_SESSION_TOKEN: undefined,
  AWS_PROFILE: undefined,
} as const;

/**
 * Sets environment variables (undefined removes one) and returns a function that restores the previous
 * environment. The environment must stay set while the handler runs: the SDK resolves region and credentials
 * lazily, on the first call, as it does in Lambda.
 */
export function setEnvironment(env: Record<string, string | undefined>): () => void {
  const saved = process.env;
  process.env = { ...saved };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  return () => {
    process.env = saved;
  };
}

/**
 * Loads the log processor's module afresh, as a Lambda cold start does, reading the current environment. Two
 * cold starts are two execution environments: they share nothing in memory.
 */
export function coldStartProcessor(): typeof ProcessorModule {
  let module: typeof ProcessorModule | undefined;
  jest.isolateModules(() => {
    module = require("../../handlers/log-processor/index") as typeof ProcessorModule;
  });
  return module as typeof ProcessorModule;
}

/** What `action` throws (a module loaded in isolation has its own copies of error classes: compare by name). */
export function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error("expected the action to throw");
}

/**
 * Keeps the processor's own records (one JSON line per failure and the embedded-metric-format line, which it writes
 * straight to standard output) out of the test run's output, for the calling describe block; anything else written to
 * standard output passes through. Returns the swallowed lines, for tests that want to read them.
 */
export function quietProcessorRecords(): string[] {
  const swallowed: string[] = [];
  let restore: (() => void) | undefined;
  // beforeAll, registered before the file's own hooks: processors started in those are quiet too.
  beforeAll(() => {
    const write = process.stdout.write.bind(process.stdout);
    const spy = jest.spyOn(process.stdout, "write").mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
      if (typeof chunk === "string" && /^\{"(record|_aws)"/.test(chunk)) {
        swallowed.push(chunk);
        return true;
      }
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write);
    restore = () => spy.mockRestore();
  });
  afterAll(() => restore?.());
  return swallowed;
}
