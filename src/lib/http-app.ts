import express, { type Router } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { errorHandler, notFoundHandler, type ErrorPage } from './http-errors';
import type { Logger } from './logger';
import { projectPath } from './project-path';
import type { HealthReport } from './health';

export interface HttpAppOptions {
  logger: Logger;
  health: () => Promise<HealthReport>;
  routers: Router[];
  trustProxy?: boolean;
  /** The household site's error page (404s and the like outside the console and the portal). */
  errorPage?: ErrorPage;
}

/** Builds the Express app without listening, so tests run it in-process. */
export function createHttpApp(options: HttpAppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  if (options.trustProxy) app.set('trust proxy', 1);
  app.use(helmet({ contentSecurityPolicy: { directives: { 'img-src': ["'self'", 'data:'], 'upgrade-insecure-requests': null } } }));
  app.use(
    pinoHttp({
      logger: options.logger,
      // Never log query strings or bodies: postcard codes must not reach the logs. The serializers
      // read the request and response themselves (wrapSerializers: false), so pino-http does not
      // first copy every header of every request into an object that would be thrown away.
      wrapSerializers: false,
      serializers: {
        req: (req: { method: string; url: string; originalUrl?: string }) => ({ method: req.method, path: (req.originalUrl ?? req.url).split('?')[0] }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/assets/') },
    }),
  );
  app.use('/assets/uswds', express.static(projectPath('node_modules/@uswds/uswds/dist'), { maxAge: '7d', immutable: true }));
  app.use('/assets', express.static(projectPath('src/web/static'), { maxAge: '1h' }));

  app.get('/healthz', async (_req, res) => {
    const report = await options.health();
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });

  for (const router of options.routers) app.use(router);
  app.use(notFoundHandler);
  app.use(errorHandler(options.logger, options.errorPage));
  return app;
}
