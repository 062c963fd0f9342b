// The error type every script prints as a plain message: a problem the user can fix, not a bug.

/** A problem the user can fix; the scripts print its message without a stack trace. */
export class SetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SetupError';
  }
}

/** The message of anything thrown: a SetupError's alone, else the stack (or the value itself). */
export const describeError = (err: unknown): string =>
  err instanceof SetupError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
