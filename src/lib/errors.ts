/**
 * Operational errors a user can act on. One middleware (http-errors.ts) turns them into JSON or
 * HTML; anything that is not an AppError is a bug and is shown as a 500 without its details.
 */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }

  toJSON(): { error: { code: string; message: string; details?: Record<string, unknown> } } {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }
}

export class BadRequestError extends AppError {
  constructor(message: string, details?: Record<string, unknown>, code = 'BAD_REQUEST') {
    super(400, code, message, details);
  }
}

/** One problem of a form or request, with the field it belongs to (the id of the form's control). */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * Every problem of an input at once, as one 400: the message joins them, `details.field` is the
 * first field and `details.errors` lists each (a form's error summary shows them all).
 */
export function fieldsError(problems: FieldProblem[], code = 'BAD_REQUEST'): BadRequestError {
  return new BadRequestError(problems.map((problem) => problem.message).join('; '), { field: problems[0]?.field, errors: problems }, code);
}

export class UnauthorizedError extends AppError {
  constructor(message = 'A valid API key is required', code = 'UNAUTHORIZED') {
    super(401, code, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You may not do that', code = 'FORBIDDEN') {
    super(403, code, message);
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'Not found', code = 'NOT_FOUND') {
    super(404, code, message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, code = 'CONFLICT') {
    super(409, code, message);
  }
}

export class RequestTimeoutError extends AppError {
  constructor(message: string) {
    super(408, 'REQUEST_TIMEOUT', message);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(413, 'PAYLOAD_TOO_LARGE', message, details);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(message = 'Too many attempts; please wait and try again') {
    super(429, 'TOO_MANY_REQUESTS', message);
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(503, 'SERVICE_UNAVAILABLE', message, details);
  }
}

/**
 * Bad input found while reading a file or a command's arguments (a list, a move file, an address
 * CSV): the message says what and where. Each feature's input errors extend it, so whoever runs
 * them tells a user's mistake from a bug by its type: a job fails without retrying, a CLI command
 * prints one line.
 */
export class InputError extends Error {
  constructor(
    message: string,
    readonly code: string = 'BAD_INPUT',
  ) {
    super(message);
    this.name = new.target.name;
  }
}
