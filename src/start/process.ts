import http from 'node:http';
import type { Express } from 'express';
import { ConfigError } from '../config';
import type { Root } from '../root';

/** Listens on the configured port; the server is closed on root.stop(). */
export async function listen(root: Root, app: Express): Promise<http.Server> {
  const server = http.createServer(app);
  // No limit on a request's total time (an upload of 2 GiB takes hours on a slow line), only on
  // idling: a socket that sends and receives nothing for this long ends (lib/request-idle.ts).
  server.requestTimeout = 0;
  server.timeout = root.config.http.idleTimeoutMs;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new ConfigError('PORT', `port ${root.config.http.port} is already in use`) : error),
    );
    server.listen(root.config.http.port, root.config.http.host, resolve);
  });
  root.onStop(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 5_000).unref();
      }),
  );
  return server;
}

/** Runs until SIGINT/SIGTERM, then closes everything in reverse order. */
export function stopOnSignals(root: Pick<Root, 'logger' | 'stop'>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    root.logger.info({ signal }, 'shutting down');
    root.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}

/** Prints a ConfigError as one line; anything else keeps its stack (it is a bug). */
export function exitOnStartupError(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`mailpref: ${error.message}\n`);
  } else {
    process.stderr.write(`mailpref: ${(error as Error)?.stack ?? String(error)}\n`);
  }
  process.exit(1);
}
