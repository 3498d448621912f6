import { Router } from 'express';
import type { Services } from '../main';

export function mailerPortalRoutes(_services: Services, _options: { secureCookies: boolean; sessionSecret?: string }): Router {
  return Router();
}
