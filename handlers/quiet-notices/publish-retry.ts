/**
 * Publishing a notice without multiplying it. The sweeper's SNSClient makes one attempt per call (`maxAttempts: 1`):
 * the SDK's own retry would also retry an attempt that timed out, and an attempt that timed out may have been
 * accepted (SNS answered late), so each retry could add a copy. Here only an answered refusal is retried: throttling,
 * or a 5xx that SNS sent back. A timeout, a connection error or any other failure is not retried in this sweep; the
 * claim is released and the next sweep (5 minutes later) publishes again. So a late answer costs at most one more copy
 * per sweep, not `maxAttempts` copies at once.
 */

/** Publish attempts per notice in one sweep (the first plus retries of answered throttling or 5xx). */
export const PUBLISH_ATTEMPTS = 3;

/** Waits before the 2nd and 3rd attempts, in ms. */
export const PUBLISH_RETRY_DELAYS_MS: readonly number[] = [200, 1_000];

const THROTTLING = new Set(["Throttling", "ThrottlingException", "ThrottledException", "KMSThrottlingException", "TooManyRequestsException"]);

/** True for an error SNS answered with that is worth retrying at once: throttling, or a server error (5xx). */
export function isAnsweredRetryable(error: unknown): boolean {
  const { name, $metadata } = (error ?? {}) as { name?: string; $metadata?: { httpStatusCode?: number } };
  if (name === "TimeoutError" || name === "RequestTimeout" || name === "AbortError") return false;
  const status = $metadata?.httpStatusCode;
  if (status === undefined) return false; // no answer (timeout, socket error): possibly accepted
  return THROTTLING.has(name ?? "") || status === 429 || status >= 500;
}

/** Calls `attempt` until it succeeds, fails in a way not worth retrying, or {@link PUBLISH_ATTEMPTS} are used. */
export async function publishWithRetry(
  attempt: () => Promise<unknown>,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<void> {
  for (let index = 0; ; index++) {
    try {
      await attempt();
      return;
    } catch (error) {
      if (index + 1 >= PUBLISH_ATTEMPTS || !isAnsweredRetryable(error)) throw error;
      await sleep(PUBLISH_RETRY_DELAYS_MS[index] ?? 1_000);
    }
  }
}
