/** A configuration value that cannot be used; the message names the variable and the value. */
export class ConfigurationError extends Error {
  constructor(
    /** The environment variable at fault. */
    readonly variable: string,
    /** The value it had. */
    readonly value: string,
    /** Why it cannot be used, and what would be accepted. */
    readonly reason: string,
  ) {
    super(`${variable}: ${JSON.stringify(value)} ${reason}`);
    this.name = "ConfigurationError";
  }
}
