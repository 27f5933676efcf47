import { isAnsweredRetryable, PUBLISH_ATTEMPTS, publishWithRetry } from "../../../handlers/quiet-notices/publish-retry";

const answered = (name: string, status: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

/** The sweeper's Publish retry: answered throttling and 5xx only, never a call that got no answer (it may have been accepted). */
describe("publishWithRetry", () => {
  it.each([
    [answered("Throttling", 400), true],
    [answered("InternalError", 500), true],
    [answered("ServiceUnavailable", 503), true],
    [answered("InvalidParameter", 400), false],
    [answered("AuthorizationErrorException", 403), false],
    [Object.assign(new Error("timed out"), { name: "TimeoutError" }), false],
    [Object.assign(new Error("socket hang up"), { name: "Error", code: "ECONNRESET" }), false],
  ])("retries %s: %s", (error, retried) => {
    expect(isAnsweredRetryable(error)).toBe(retried);
  });

  it("stops after PUBLISH_ATTEMPTS answered refusals and rethrows the last", async () => {
    let calls = 0;
    const waits: number[] = [];
    await expect(
      publishWithRetry(
        async () => {
          calls++;
          throw answered("Throttling", 400);
        },
        async (ms) => void waits.push(ms),
      ),
    ).rejects.toThrow("Throttling");
    expect([calls, waits]).toEqual([PUBLISH_ATTEMPTS, [200, 1_000]]);
  });

  it("makes one attempt when the call timed out", async () => {
    let calls = 0;
    await expect(
      publishWithRetry(async () => {
        calls++;
        throw Object.assign(new Error("Request timed out"), { name: "TimeoutError" });
      }, async () => undefined),
    ).rejects.toThrow("Request timed out");
    expect(calls).toBe(1);
  });
});
