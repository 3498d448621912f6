import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { html } from '../web/html';
import { layout } from '../web/layout';
import { AppError, NotFoundError, PayloadTooLargeError, BadRequestError, ServiceUnavailableError } from './errors';
import { isRedisUnavailable } from './redis';
import type { Logger } from './logger';

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`No page at ${req.path}`));
};

function wantsJson(path: string): boolean {
  return path.startsWith('/api/') || path === '/healthz';
}

/** Normalises errors thrown by body parsers and the like into AppErrors. */
function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (isRedisUnavailable(error)) return new ServiceUnavailableError('The service is busy and could not answer in time; nothing was changed. Please try again in a few minutes.');
  const status = (error as { status?: number; statusCode?: number })?.status ?? (error as { statusCode?: number })?.statusCode;
  const type = (error as { type?: string })?.type;
  if (status === 413) return new PayloadTooLargeError((error as Error).message);
  if (status === 400 || type === 'entity.parse.failed') return new BadRequestError((error as Error).message);
  if (status === 403 && (error as { code?: string }).code === 'EBADCSRFTOKEN') {
    return new AppError(403, 'CSRF', 'The form expired or was not sent from this site; please go back, reload the page and try again.');
  }
  return undefined;
}

/** An error page of a surface's own (the household pages: in the visitor's language, with their navigation). */
export type ErrorPage = (req: Request, res: Response, status: number, message: string) => string;

/**
 * The one error middleware: JSON for /api/*, an HTML page otherwise; never a stack trace. Paths of
 * the console and the portal get the plain page; every other path is the household site's.
 */
export function errorHandler(logger: Logger, householdPage?: ErrorPage): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const appError = toAppError(error);
    if (!appError) logger.error({ err: error, path: req.path }, 'unhandled error');
    else if (appError.statusCode === 503) logger.warn({ reason: (error as Error).message, path: req.path }, 'a server the request needed did not answer in time');
    const status = appError?.statusCode ?? 500;
    const body = appError?.toJSON() ?? { error: { code: 'INTERNAL', message: 'Something went wrong on our side. It has been logged.' } };
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(status);
    if (wantsJson(req.path) || !req.accepts('html')) {
      res.json(body);
      return;
    }
    if (householdPage && !/^\/(operator|mailer)(\/|$)/.test(req.path)) {
      res.send(householdPage(req, res, status, body.error.message));
      return;
    }
    const title = status === 404 ? 'Page not found' : status >= 500 ? 'Sorry, something went wrong' : 'There is a problem';
    res.send(
      layout({
        title,
        body: html`<h1>${title}</h1><p class="usa-intro">${body.error.message}</p><p><a class="usa-link" href="/">Go to the start page</a></p>`,
      }),
    );
  };
}
