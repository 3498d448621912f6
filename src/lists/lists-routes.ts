import { Router } from 'express';
import type { Services } from '../main';

export function listsRoutes(_services: Services): Router {
  return Router();
}
