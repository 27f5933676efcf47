import { DEFAULT_LOOKBACK_MS, parseWidgetEvent, viewOf } from "../../../handlers/triage-widget/widget-event";
import { widgetContext } from "./failure-items";

const NOW = Date.UTC(2026, 11, 2, 10, 0);

describe("what the widget reads from the dashboard's event", () => {
  it("shows the last day when the call carries no usable time range (a test invocation from the Lambda console)", () => {
    const lastDay = { startMs: NOW - DEFAULT_LOOKBACK_MS, endMs: NOW };
    expect(viewOf(undefined, NOW).timeRange).toEqual(lastDay);
    expect(viewOf({ timeRange: { start: NOW, end: NOW - 1 } }, NOW).timeRange).toEqual(lastDay);
    expect(viewOf({ timeRange: { start: "yesterday", end: NOW } }, NOW).timeRange).toEqual(lastDay);
  });

  it("takes the dashboard's name only when it is one PutDashboard accepts, and its time zone only within ±14 h", () => {
    expect(viewOf({ dashboardName: "<b>x</b>" }, NOW).dashboardName).toBeUndefined();
    expect(viewOf({ dashboardName: "log-monitor-prod-overview-eu-west-1" }, NOW).dashboardName).toBe("log-monitor-prod-overview-eu-west-1");
    expect(viewOf({ timezone: { offsetInMinutes: 100_000, offsetISO: "+99:99" } }, NOW).timezone).toEqual({ label: "UTC", offsetMinutes: 0 });
    expect(viewOf({ timezone: { offsetInMinutes: -300, offsetISO: "-05:00" } }, NOW).timezone).toEqual({ label: "UTC-05:00", offsetMinutes: -300 });
  });

  it("records the dashboard as the actor of an action", () => {
    const request = parseWidgetEvent(
      { action: "mute1h", logGroup: "/aws/lambda/orders", fingerprint: "0".repeat(32), widgetContext: widgetContext({ startMs: NOW - 1, endMs: NOW }) },
      NOW,
    );
    expect(request).toMatchObject({ kind: "action", action: "mute1h", by: "cloudwatch-dashboard:log-monitor-prod-overview-eu-west-1", scope: { logGroup: "/aws/lambda/orders", fingerprint: "0".repeat(32) } });
  });

  it("shows the table for an event that is not an object, and refuses an action that is not a string", () => {
    expect(parseWidgetEvent(null, NOW).kind).toBe("render");
    expect(parseWidgetEvent("resolve", NOW).kind).toBe("render");
    expect(parseWidgetEvent({ action: ["resolve"] }, NOW)).toMatchObject({ kind: "refused", reason: 'Refused: "action" must be one of resolve, mute1h, mute24h, ignore, reopen; got ["resolve"]' });
  });
});
