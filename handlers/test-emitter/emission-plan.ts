import { EmitRequest } from "./emit-request";

/** Chance of one ERROR line when the request does not say how many. */
export const RANDOM_ERROR_PROBABILITY = 0.4;

/** The lines one invocation writes, in order: the health line first, then the errors. */
export interface EmissionPlan {
  /** Lines for `console.info`; never contain the word ERROR in any case, so no error filter counts them. */
  readonly infoLines: readonly string[];
  /** Lines for `console.error`, one per synthetic failure, each naming its index. */
  readonly errorLines: readonly string[];
}

/** The INFO health line. Deliberately free of "error" in any case: metric filters are case-sensitive, people are not. */
export function healthLine(errorCount: number): string {
  return `health check ok: log-monitor test emitter is running, ${errorCount} synthetic incident line(s) follow`;
}

/**
 * One synthetic failure, shaped like an application's own failure line: an error type, what failed, and
 * where it came from. Distinct per index so that every line is a separate incident; the numbers vary, so all of
 * them share one fingerprint, as repeated occurrences of one real failure would.
 */
export function syntheticFailureLine(index: number, count: number): string {
  return `SyntheticFailure: synthetic failure ${index} of ${count} from the log-monitor test emitter (safe to ignore)`;
}

/**
 * Plans what to write: one INFO health line, then `errorCount` ERROR lines; without a count, one ERROR line with
 * probability {@link RANDOM_ERROR_PROBABILITY}.
 *
 * @param random a number in [0, 1), injected so that tests are deterministic.
 */
export function planEmission(request: EmitRequest, random: () => number): EmissionPlan {
  const errorCount = request.errorCount ?? (random() < RANDOM_ERROR_PROBABILITY ? 1 : 0);
  return {
    infoLines: [healthLine(errorCount)],
    errorLines: Array.from({ length: errorCount }, (_, i) => syntheticFailureLine(i + 1, errorCount)),
  };
}
