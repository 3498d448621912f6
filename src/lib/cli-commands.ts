import { AppError, InputError } from './errors';

/**
 * How a feature's commands get what they need: src/cli-program.ts hands each `register…Commands` a runner
 * that creates the composition root, picks the feature's narrow dependencies from it, runs the
 * action and closes the root. Features never create services themselves.
 */
export type CliRunner<Deps> = (action: (deps: Deps) => Promise<void>) => Promise<void>;

/** A user's mistake (an AppError, or an InputError: bad input), as opposed to a bug. */
export function isUserError(error: unknown): error is AppError | InputError {
  return error instanceof AppError || error instanceof InputError;
}

/** Wraps a command's action: a user's mistake prints one line and exits 1; a bug keeps its stack. */
export function cliAction<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (error) {
      if (!isUserError(error)) throw error;
      process.stderr.write(`mailpref: ${error.message}\n`);
      process.exitCode = 1;
    }
  };
}
