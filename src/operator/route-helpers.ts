import type { Request, RequestHandler } from 'express';
import { AppError, BadRequestError } from '../lib/errors';
import { receiveFile, type UploadedFile } from './upload';

/** The `:id` of a console URL as a positive whole number, or a 400 naming what it should be. */
export function idParam(req: Request, what = 'an id'): number {
  const id = Number(req.params.id);
  if (!Number.isInteger(id) || id <= 0) throw new BadRequestError(`"${req.params.id}" is not ${what}`);
  return id;
}

/**
 * POST handler for an upload form: streams the file to `accept`, then redirects to `done`; a
 * user error (no file, empty, too large) re-renders the page with the message and its status.
 */
export function uploadRoute(options: {
  maxBytes: number;
  accept: (req: Request, file: UploadedFile) => Promise<unknown>;
  done: string;
  render: (req: Request, error: string) => Promise<string>;
}): RequestHandler {
  return async (req, res) => {
    try {
      await options.accept(req, await receiveFile(req, options.maxBytes));
      res.redirect(303, options.done);
    } catch (error) {
      if (!(error instanceof AppError) || error.statusCode >= 500) throw error;
      res.status(error.statusCode).send(await options.render(req, error.message));
    }
  };
}
