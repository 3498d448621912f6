import type { RequestHandler } from 'express';

/**
 * csrf-csrf mints a new token (and cookie) on each call while the request's cookie is stale, so
 * a page with several forms would end up with tokens that do not match the last cookie set:
 * this makes every call within one request return the same token.
 */
export const oneCsrfTokenPerRequest: RequestHandler = (req, _res, next) => {
  const mint = req.csrfToken!;
  let token: string | undefined;
  req.csrfToken = (options) => (token ??= mint(options));
  next();
};
