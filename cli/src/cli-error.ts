/** Exit codes, as documented in the README ("Forward to localhost"). */
export const EXIT = {
  OK: 0,
  /** Anything unexpected, or the server could not be reached. */
  ERROR: 1,
  /** Bad command line. */
  USAGE: 2,
  /** Not logged in, or the server refused the token. */
  CONFIG: 3,
  /** No such bin or request. */
  NOT_FOUND: 4,
  /** `wait`: nothing matching arrived in time. */
  TIMEOUT: 5,
  /** `replay`: the target gave no answer, or answered 5xx. */
  DELIVERY_FAILED: 6,
  /** Stopped with Ctrl-C (or SIGTERM). */
  INTERRUPTED: 130,
} as const;

export class CliError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
    this.name = "CliError";
  }
}
