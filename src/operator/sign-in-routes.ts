import { Router, type Request } from 'express';
import { AppError, BadRequestError } from '../lib/errors';
import { html } from '../web/html';
import { consolePage, csrfField, errorAlert } from './console-layout';
import { safeNext, type OperatorAuth } from './operator-auth';
import { MIN_PASSWORD_LENGTH, type OperatorsService } from './operators-service';
import { signInLimiter } from './sign-in-limiter';
import type { Redis } from '../lib/redis';

function signInPage(req: Request, next: string, email = '', error?: string): string {
  return consolePage(
    req,
    'account',
    'Sign in',
    html`<h1>Sign in to the operator console</h1>
      ${errorAlert(error)}
      <form class="usa-form" method="post" action="/operator/sign-in">
        ${csrfField(req)}<input type="hidden" name="next" value="${next}">
        <label class="usa-label" for="email">Email</label>
        <input class="usa-input" id="email" name="email" type="email" autocomplete="username" required value="${email}">
        <label class="usa-label" for="password">Password</label>
        <input class="usa-input" id="password" name="password" type="password" autocomplete="current-password" required>
        <button class="usa-button" type="submit">Sign in</button>
      </form>
      <p>No account yet? An operator account is created from a shell with <code>npx mailpref operators create you@example.com</code>.</p>`,
  );
}

function passwordPage(req: Request, error?: string): string {
  const first = req.operator!.mustChangePassword;
  return consolePage(
    req,
    'account',
    'Change your password',
    html`<h1>${first ? 'Choose your password' : 'Change your password'}</h1>
      ${first ? html`<p class="usa-intro">You signed in with a one-time password. Choose your own before you continue.</p>` : ''}
      ${errorAlert(error)}
      <form class="usa-form" method="post" action="/operator/password">
        ${csrfField(req)}
        <input type="text" name="username" autocomplete="username" value="${req.operator!.email}" hidden>
        <label class="usa-label" for="current">${first ? 'One-time password' : 'Current password'}</label>
        <input class="usa-input" id="current" name="current" type="password" autocomplete="current-password" required>
        <label class="usa-label" for="password">New password</label>
        <span class="usa-hint" id="password-hint">At least ${MIN_PASSWORD_LENGTH} characters.</span>
        <input class="usa-input" id="password" name="password" type="password" autocomplete="new-password" aria-describedby="password-hint" minlength="${MIN_PASSWORD_LENGTH}" required>
        <label class="usa-label" for="confirm">New password again</label>
        <input class="usa-input" id="confirm" name="confirm" type="password" autocomplete="new-password" required>
        <button class="usa-button" type="submit">Save password</button>
      </form>`,
  );
}

/** Sign in, sign out and password change: the only console pages open before (or right after) sign-in. */
export function signInRoutes(operators: OperatorsService, auth: OperatorAuth, redis: Redis, prefix: string): Router {
  const router = Router();
  const limited = signInLimiter(redis, prefix, (req, res, minutes) => {
    const { email = '', next } = req.body as Record<string, string | undefined>;
    res.status(429).send(signInPage(req, safeNext(next), email, `Too many sign-in attempts. Please wait ${minutes} minutes and try again.`));
  });

  router.get('/operator/sign-in', (req, res) => {
    if (req.operator) return res.redirect(303, safeNext(req.query.next));
    res.send(signInPage(req, safeNext(req.query.next)));
  });

  router.post('/operator/sign-in', ...limited, async (req, res) => {
    const { email = '', password = '', next } = req.body as Record<string, string | undefined>;
    try {
      const session = await operators.signIn(email, password);
      auth.setSessionCookie(res, session.token);
      res.redirect(303, session.operator.mustChangePassword ? '/operator/password' : safeNext(next));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      res.status(error.statusCode).send(signInPage(req, safeNext(next), email, error.message));
    }
  });

  router.post('/operator/sign-out', auth.requireOperator, async (req, res) => {
    await operators.signOut(req.operatorToken!, req.operator!);
    auth.clearSessionCookie(res);
    res.redirect(303, '/operator/sign-in');
  });

  router.get('/operator/password', auth.requireOperator, (req, res) => {
    res.send(passwordPage(req));
  });

  router.post('/operator/password', auth.requireOperator, async (req, res) => {
    const { current = '', password = '', confirm = '' } = req.body as Record<string, string | undefined>;
    try {
      await operators.changePassword(req.operator!, req.operatorToken!, current, password, confirm);
      res.redirect(303, '/operator?notice=password-changed');
    } catch (error) {
      if (!(error instanceof BadRequestError)) throw error;
      res.status(400).send(passwordPage(req, error.message));
    }
  });

  return router;
}
