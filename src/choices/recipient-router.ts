import type { Router } from 'express';
import type { Root } from '../main';
import type { Redis } from '../lib/redis';
import { formSecurity } from './form-security';
import { recipientRoutes, tooManyAttempts } from './recipient-routes';
import { RecipientSessionService } from './recipient-session-service';

/**
 * The household pages wired to a root: cookies are Secure in production or behind an https PUBLIC_URL.
 * Sessions and rate-limit counters go through `redis`, the app's auto-pipelined form connection.
 */
export function createRecipientRouter(root: Root, redis: Redis): Router {
  const secure = root.config.env === 'production' || root.config.http.publicUrl.startsWith('https:');
  const { services } = root;
  return recipientRoutes({
    ...services,
    recipientSessions: new RecipientSessionService(redis, root.config.queue.prefix, services.accessCodes),
    secureCookies: secure,
    freshnessDays: root.config.lists.freshnessDays,
    contactEmail: root.config.http.contactEmail,
    security: formSecurity({
      secure,
      formKey: services.formKey,
      redis,
      prefix: root.config.queue.prefix,
      limits: root.config.choices,
      onLimit: tooManyAttempts(secure),
    }),
  });
}
