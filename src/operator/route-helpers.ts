import type { Request, RequestHandler } from 'express';
import { AppError, NotFoundError } from '../lib/errors';
import type { FieldError } from '../web/error-summary';
import { parseSerialId } from '../lib/ids';
import { receiveFile, type UploadedFile } from './upload';

/** The `:id` of a console URL (a serial id: its column's type), or a 404: a malformed id names nothing. */
export function idParam(req: Request, what = 'an id', column: 'integer' | 'bigint' = 'integer'): number {
  const id = parseSerialId(req.params.id, column);
  if (id === undefined) throw new NotFoundError(`There is no ${what.replace(/^an? /, '')} "${req.params.id}"`);
  return id;
}

/** Checks an upload form's CSRF token, sent as its first field (a 403 when it is missing or foreign). */
export type FormTokenCheck = (req: Request, token: string | undefined) => void;

/**
 * POST handler for an upload form (see uploadForm): checks the CSRF field ahead of the file, then
 * streams the file to `accept` and redirects to `done`; a user error (no file, empty, too large)
 * re-renders the page with the problem at the form's file field (`field`) and its status.
 */
export function uploadRoute(options: {
  maxBytes: number;
  field: string;
  checkToken: FormTokenCheck;
  accept: (req: Request, file: UploadedFile) => Promise<unknown>;
  done: string;
  render: (req: Request, errors: FieldError[]) => Promise<string>;
}): RequestHandler {
  return async (req, res) => {
    try {
      await options.accept(req, await receiveFile(req, options.maxBytes, (fields) => options.checkToken(req, fields._csrf)));
      res.redirect(303, options.done);
    } catch (error) {
      if (!(error instanceof AppError) || error.statusCode >= 500) throw error;
      res.status(error.statusCode).send(await options.render(req, [{ field: options.field, message: error.message }]));
    }
  };
}
