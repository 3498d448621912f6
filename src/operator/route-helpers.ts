import type { Request, RequestHandler } from 'express';
import { AppError, BadRequestError } from '../lib/errors';
import type { FieldError } from '../web/error-summary';
import { receiveFile, type UploadedFile } from './upload';

/** The `:id` of a console URL as a positive whole number, or a 400 naming what it should be. */
export function idParam(req: Request, what = 'an id'): number {
  const id = Number(req.params.id);
  if (!Number.isInteger(id) || id <= 0) throw new BadRequestError(`"${req.params.id}" is not ${what}`);
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
