import { parseEmitRequest } from "./emit-request";
import { planEmission } from "./emission-plan";

/** What the emitter wrote, returned to whoever invoked it (console test, CLI, integration test). */
export interface EmitResponse {
  /** Lines written with `console.info` (always 1: the health line). */
  readonly info_lines_written: number;
  /** Lines written with `console.error`. */
  readonly error_lines_written: number;
  /** Every line written, in order. */
  readonly messages: readonly string[];
}

/**
 * Lambda entry point of the test emitter: writes one INFO health line and `error_count` ERROR lines (or, without
 * `error_count`, one ERROR line 40% of the time), so that the metric filters, alarms and log processor have
 * something real to see. Lambda's runtime adds the timestamp, request id and level to each line.
 *
 * @throws InvalidEmitRequestError for an invalid `error_count`.
 */
export async function handler(event: unknown): Promise<EmitResponse> {
  const plan = planEmission(parseEmitRequest(event), Math.random);
  for (const line of plan.infoLines) console.info(line);
  for (const line of plan.errorLines) console.error(line);
  return {
    info_lines_written: plan.infoLines.length,
    error_lines_written: plan.errorLines.length,
    messages: [...plan.infoLines, ...plan.errorLines],
  };
}
