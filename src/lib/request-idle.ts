import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestTimeoutError } from './errors';

/**
 * An upload has no limit on its total time, only on idling: `listen` gives the server no
 * requestTimeout (Node's default of 5 minutes failed any list slower than 7 MB/s at 2 GiB) and a
 * socket timeout of UPLOAD_IDLE_TIMEOUT_MS, which any byte received starts again. A request whose
 * handler listens here is then not dropped without an answer: `onIdle` gets the 408 to fail the
 * upload with (its answer closes the connection, whose request body never ended). Returns the
 * function that stops listening.
 */
export function whenIdle(req: IncomingMessage, onIdle: (error: RequestTimeoutError) => void): () => void {
  const listener = () => {
    const seconds = Math.round((req.socket.timeout ?? 0) / 100) / 10;
    (req as IncomingMessage & { res?: ServerResponse }).res?.setHeader('Connection', 'close');
    onIdle(new RequestTimeoutError(`Nothing arrived for ${seconds} s, so the upload was stopped; send the file again`));
  };
  req.on('timeout', listener);
  return () => req.off('timeout', listener);
}
