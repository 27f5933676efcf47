/**
 * When the simulation invokes the test emitter, and with what: `errors` invocations with `{"error_count": 1}`
 * spread evenly over `minutes` simulated minutes, and one `{"error_count": 0}` invocation (its INFO health line
 * only) in every minute that has no error, so that the log group sees traffic throughout, as a live one does.
 */

/** One planned invocation of the emitter. */
export interface PlannedInvocation {
  /** Simulated time of the invocation, in milliseconds since the epoch. */
  readonly atMs: number;
  /** The event it is invoked with. */
  readonly event: { readonly error_count: number };
}

/** What to plan. */
export interface InvocationPlanOptions {
  /** Invocations that write one ERROR line each (0 or more). */
  readonly errors: number;
  /** Simulated minutes (1 or more). */
  readonly minutes: number;
  /** Start of the first minute; must be a whole minute. */
  readonly startMs: number;
}

const MINUTE_MS = 60_000;
/** Invocations of a minute fall between 5 and 55 seconds into it, clear of the minute's edges. */
const FIRST_OFFSET_MS = 5_000;
const SPREAD_MS = 50_000;

/**
 * Plans the invocations, in time order. Error invocation `i` (0-based) falls in minute `floor(i * minutes / errors)`,
 * so that `errors` 3 over 5 minutes hit minutes 0, 1 and 3, and several share a minute when there are more errors
 * than minutes.
 *
 * @throws RangeError for a negative or fractional count, fewer than one minute, or a start that is not a whole minute.
 */
export function planInvocations(options: InvocationPlanOptions): PlannedInvocation[] {
  const { errors, minutes, startMs } = options;
  if (!Number.isSafeInteger(errors) || errors < 0) throw new RangeError(`errors must be a whole number of 0 or more, got ${errors}`);
  if (!Number.isSafeInteger(minutes) || minutes < 1) throw new RangeError(`minutes must be a whole number of 1 or more, got ${minutes}`);
  if (!Number.isSafeInteger(startMs) || startMs % MINUTE_MS !== 0) throw new RangeError(`the start must be a whole minute, got ${startMs}`);

  const errorsPerMinute = new Array<number>(minutes).fill(0);
  for (let i = 0; i < errors; i++) {
    const minute = Math.floor((i * minutes) / errors);
    errorsPerMinute[minute] = (errorsPerMinute[minute] ?? 0) + 1;
  }
  const plan: PlannedInvocation[] = [];
  for (const [minute, count] of errorsPerMinute.entries()) {
    const minuteStart = startMs + minute * MINUTE_MS;
    if (count === 0) {
      plan.push({ atMs: minuteStart + FIRST_OFFSET_MS, event: { error_count: 0 } });
      continue;
    }
    for (let j = 0; j < count; j++) {
      plan.push({ atMs: minuteStart + FIRST_OFFSET_MS + Math.floor((j * SPREAD_MS) / count), event: { error_count: 1 } });
    }
  }
  return plan;
}
