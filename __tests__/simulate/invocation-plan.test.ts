import { planInvocations } from "../../lib/simulate/invocation-plan";

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const MINUTE = 60_000;

/** The plan as `minute+seconds: error_count`, for readable expectations. */
function shape(plan: ReturnType<typeof planInvocations>): string[] {
  return plan.map((invocation) => `${Math.floor((invocation.atMs - T0) / MINUTE)}+${((invocation.atMs - T0) % MINUTE) / 1000}s: ${invocation.event.error_count}`);
}

describe("planInvocations", () => {
  it("spreads 3 errors over 5 minutes (minutes 0, 1, 3) and keeps the other minutes alive with a healthy invocation", () => {
    expect(shape(planInvocations({ errors: 3, minutes: 5, startMs: T0 }))).toEqual(["0+5s: 1", "1+5s: 1", "2+5s: 0", "3+5s: 1", "4+5s: 0"]);
  });

  it("puts several error invocations in one minute when there are more errors than minutes", () => {
    expect(shape(planInvocations({ errors: 5, minutes: 2, startMs: T0 }))).toEqual(["0+5s: 1", "0+21.666s: 1", "0+38.333s: 1", "1+5s: 1", "1+30s: 1"]);
  });

  it("plans only healthy invocations for 0 errors", () => {
    expect(shape(planInvocations({ errors: 0, minutes: 2, startMs: T0 }))).toEqual(["0+5s: 0", "1+5s: 0"]);
  });

  it("rejects a start that is not a whole minute, and counts out of range", () => {
    expect(() => planInvocations({ errors: 1, minutes: 1, startMs: T0 + 1 })).toThrow(new RangeError(`the start must be a whole minute, got ${T0 + 1}`));
    expect(() => planInvocations({ errors: -1, minutes: 1, startMs: T0 })).toThrow(new RangeError("errors must be a whole number of 0 or more, got -1"));
    expect(() => planInvocations({ errors: 1, minutes: 0, startMs: T0 })).toThrow(new RangeError("minutes must be a whole number of 1 or more, got 0"));
  });
});
