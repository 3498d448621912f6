import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RequestHandler, Router } from 'express';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { QueueFactory } from '../lib/queues';
import type { AuditService } from '../audit/audit-service';
import { actorOf } from './operator-auth';

export const QUEUES_BOARD_PATH = '/operator/queues';

/**
 * Bull Board over every job queue, mounted by operator-routes behind the operator sign-in. Its own
 * API calls are JSON requests (not forms); the session cookie is SameSite=Lax, so another site
 * cannot make a signed-in browser send them.
 */
export function queuesBoard(queues: QueueFactory, kinds: readonly string[], audit: AuditService): RequestHandler {
  // Built on first use: creating the queues opens Redis connections an app that never shows the
  // board (tests, API-only processes) should not hold.
  let board: Router | undefined;
  return (req, res, next) => {
    board ??= createBoard(queues, kinds);
    // What an operator does on the board (retry, clean, pause, add) goes into the audit log too.
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.on('finish', () => {
        if (res.statusCode < 400) {
          const target = req.path.replace(/^\/api\//, '');
          audit.record(actorOf(req), `queues.${req.method.toLowerCase()}`, { type: 'queue-board', id: target }).catch(() => undefined);
        }
      });
    }
    board(req, res, next);
  };
}

function createBoard(queues: QueueFactory, kinds: readonly string[]): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUES_BOARD_PATH);
  createBullBoard({
    queues: kinds.map((kind) => new BullMQAdapter(queues.queue(kind))),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'mailpref queues', miscLinks: [{ text: 'Back to the console', url: '/operator' }], hideDocsLink: true } },
  });
  serverAdapter.setViewsPath(pageWithoutOutsideFonts());
  return serverAdapter.getRouter() as Router;
}

/**
 * Bull Board's page asks Google Fonts for IBM Plex (the only request it makes outside this
 * server); its own CSS falls back to the system's sans-serif and monospace. The page template is
 * copied without that link into a directory of its own, which the board renders instead.
 */
function pageWithoutOutsideFonts(): string {
  const source = path.join(path.dirname(require.resolve('@bull-board/ui/package.json')), 'dist', 'index.ejs');
  const page = fs.readFileSync(source, 'utf8').replace(/<link[^>]+fonts\.googleapis\.com[^>]*>\s*/g, '');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpref-queues-board-'));
  fs.writeFileSync(path.join(dir, 'index.ejs'), page);
  return dir;
}
