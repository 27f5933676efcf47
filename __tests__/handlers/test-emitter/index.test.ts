import { handler } from "../../../handlers/test-emitter/index";

describe("test emitter handler", () => {
  let info: jest.SpyInstance;
  let error: jest.SpyInstance;

  beforeEach(() => {
    info = jest.spyOn(console, "info").mockImplementation(() => undefined);
    error = jest.spyOn(console, "error").mockImplementation(() => undefined);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it("writes one INFO line and error_count ERROR lines, and says what it wrote", async () => {
    // Act
    const response = await handler({ error_count: 2 });
    // Assess
    const health = "health check ok: log-monitor test emitter is running, 2 synthetic incident line(s) follow";
    const failures = [
      "SyntheticFailure: synthetic failure 1 of 2 from the log-monitor test emitter (safe to ignore)",
      "SyntheticFailure: synthetic failure 2 of 2 from the log-monitor test emitter (safe to ignore)",
    ];
    expect(info.mock.calls).toEqual([[health]]);
    expect(error.mock.calls).toEqual(failures.map((line) => [line]));
    expect(response).toStrictEqual({ info_lines_written: 1, error_lines_written: 2, messages: [health, ...failures] });
  });

  it("writes one ERROR line when chance says so and error_count is absent", async () => {
    // Prepare
    jest.spyOn(Math, "random").mockReturnValue(0.1);
    // Act
    const response = await handler({});
    // Assess
    expect(info).toHaveBeenCalledTimes(1);
    expect(error).toHaveBeenCalledTimes(1);
    expect(response.error_lines_written).toBe(1);
  });

  it("writes no ERROR line when chance says so and the event is null", async () => {
    // Prepare
    jest.spyOn(Math, "random").mockReturnValue(0.9);
    // Act
    const response = await handler(null);
    // Assess
    expect(info).toHaveBeenCalledTimes(1);
    expect(error).not.toHaveBeenCalled();
    expect(response).toMatchObject({ info_lines_written: 1, error_lines_written: 0 });
  });

  it("rejects an invalid error_count before writing anything", async () => {
    // Act
    const failure = handler({ error_count: "3" });
    // Assess
    await expect(failure).rejects.toThrow(new Error('error_count must be an integer from 0 to 1000, got "3" (a string)'));
    expect(info).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
  });
});
