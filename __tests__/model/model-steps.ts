/**
 * The steps the model-based test generates (failure-state-machine.test.ts): deliveries over both transports with
 * per-invocation faults and crashes, retries at once or later, mutes, unmutes, triage (resolve, ignore, reopen) and
 * clock jumps.
 */
import * as fc from "fast-check";

/** Minutes of the suppression window in the model. */
export const WINDOW_MINUTES = 15;

/** Where the model's failures happen: two accounts, two functions each (the same messages in each). */
export const SCOPES = [
  { account: "111111111111", logGroup: "/aws/lambda/orders-api" },
  { account: "111111111111", logGroup: "/aws/lambda/payments-api" },
  { account: "222222222222", logGroup: "/aws/lambda/orders-api" },
  { account: "222222222222", logGroup: "/aws/lambda/payments-api" },
] as const;

/** A fault on the nth request to a service within one invocation. */
export interface ModelFault {
  readonly service: "dynamodb" | "sns";
  readonly nth: number;
  readonly action: "throttle" | "apply-then-500" | "apply-then-drop" | "drop";
}

interface InvocationFaults {
  /** The invocation is killed at its nth AWS request (undefined: it is not). */
  readonly crashAt?: number | undefined;
  /** Whether the request at which it is killed was applied (an answer lost) or not. */
  readonly crashApplies: boolean;
  readonly faults: readonly ModelFault[];
  /** Model milliseconds each request takes: 0, or slow enough that the invocation's deadline comes. */
  readonly slowMs: number;
}

/** One step of a generated sequence. */
export type ModelStep =
  | ({
      readonly kind: "deliver";
      readonly transport: "direct" | "kinesis";
      /** Records (a direct delivery uses the first): a scope and the messages (indexes) logged there. */
      readonly records: readonly { readonly scope: number; readonly messages: readonly number[] }[];
    } & InvocationFaults)
  | ({
      readonly kind: "retry";
      readonly which: number;
      readonly afterMs: number;
      /** Records that arrived since, added to a Kinesis retry's batch after the failed ones. */
      readonly newRecords: readonly { readonly scope: number; readonly messages: readonly number[] }[];
    } & InvocationFaults)
  | { readonly kind: "mute"; readonly scope: number; readonly message: number; readonly minutes: number; readonly faults?: undefined }
  | { readonly kind: "unmute"; readonly which: number; readonly faults?: undefined }
  /** Triage (docs/alert-state-machine.md, "Triage"): a person resolves, ignores or reopens a failure. */
  | { readonly kind: "resolve"; readonly scope: number; readonly message: number; readonly faults?: undefined }
  | {
      readonly kind: "ignore";
      readonly scope: number;
      readonly message: number;
      /** Until its Nth occurrence from now, or until a number of minutes from now. */
      readonly until: { readonly occurrences: number } | { readonly minutes: number };
      readonly faults?: undefined;
    }
  | { readonly kind: "reopen"; readonly scope: number; readonly message: number; readonly faults?: undefined }
  | { readonly kind: "advance"; readonly ms: number; readonly faults?: undefined }
  | ({ readonly kind: "sweep" } & InvocationFaults);

const faults: fc.Arbitrary<InvocationFaults> = fc.record({
  crashAt: fc.option(fc.integer({ min: 1, max: 14 }), { nil: undefined, freq: 4 }),
  crashApplies: fc.boolean(),
  faults: fc.array(
    fc.record({
      service: fc.constantFrom("dynamodb" as const, "sns" as const),
      nth: fc.integer({ min: 1, max: 8 }),
      action: fc.constantFrom("throttle" as const, "apply-then-500" as const, "apply-then-drop" as const, "drop" as const),
    }),
    { maxLength: 3 },
  ),
  slowMs: fc.constantFrom(0, 0, 0, 6_000),
});

const records = fc.array(
  fc.record({ scope: fc.integer({ min: 0, max: SCOPES.length - 1 }), messages: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }) }),
  { minLength: 1, maxLength: 3 },
);

/** A sequence of 1 to 16 steps. */
export const MODEL_STEPS: fc.Arbitrary<ModelStep[]> = fc.array(
  fc.oneof(
    { weight: 5, arbitrary: fc.tuple(fc.constantFrom("direct" as const, "kinesis" as const), records, faults).map(([transport, r, f]): ModelStep => ({ kind: "deliver", transport, records: r, ...f })) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.nat(10), fc.constantFrom(0, 0, 60_000, 120_000), fc.oneof(fc.constant([]), records), faults)
        .map(([which, afterMs, newRecords, f]): ModelStep => ({ kind: "retry", which, afterMs, newRecords, ...f })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 0, max: SCOPES.length - 1 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 40 }))
        .map(([scope, message, minutes]): ModelStep => ({ kind: "mute", scope, message, minutes })),
    },
    { weight: 1, arbitrary: fc.nat(10).map((which): ModelStep => ({ kind: "unmute", which })) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.integer({ min: 0, max: SCOPES.length - 1 }), fc.integer({ min: 0, max: 3 }))
        .map(([scope, message]): ModelStep => ({ kind: "resolve", scope, message })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.integer({ min: 0, max: SCOPES.length - 1 }),
          fc.integer({ min: 0, max: 3 }),
          fc.oneof(fc.integer({ min: 1, max: 4 }).map((occurrences) => ({ occurrences })), fc.integer({ min: 1, max: 30 }).map((minutes) => ({ minutes }))),
        )
        .map(([scope, message, until]): ModelStep => ({ kind: "ignore", scope, message, until })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 0, max: SCOPES.length - 1 }), fc.integer({ min: 0, max: 3 }))
        .map(([scope, message]): ModelStep => ({ kind: "reopen", scope, message })),
    },
    { weight: 3, arbitrary: fc.constantFrom(30_000, 61_000, 5 * 60_000, 10 * 60_000, 16 * 60_000).map((ms): ModelStep => ({ kind: "advance", ms })) },
    { weight: 3, arbitrary: faults.map((f): ModelStep => ({ kind: "sweep", ...f })) },
  ),
  { minLength: 1, maxLength: 16 },
);
