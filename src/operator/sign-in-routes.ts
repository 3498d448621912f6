import { Router, type Request } from 'express';
import { AppError, BadRequestError } from '../lib/errors';
import { html } from '../web/html';
import { errorSummary, problemsOf, type FieldError } from '../web/error-summary';
import { fieldParts } from '../web/form-field';
import { consolePage, csrfField } from './console-layout';
import { safeNext, type OperatorAuth } from './operator-auth';
import { MIN_PASSWORD_LENGTH, type OperatorsService } from './operators-service';
import { signInLimiter } from './sign-in-limiter';
import type { Redis } from '../lib/redis';

const invalid = (part: { error?: FieldError }) => (part.error ? ' usa-input--error' : '');

function signInPage(req: Request, next: string, email = '', errors: FieldError[] = []): string {
  const emailField = fieldParts('email', 'Email', errors);
  const passwordField = fieldParts('password', 'Password', errors);
  return consolePage(
    req,
    'account',
    errors.length ? 'Error: Sign in' : 'Sign in',
    html`<h1>Sign in to the operator console</h1>
      ${errorSummary('There is a problem', errors)}
      <form class="usa-form" method="post" action="/operator/sign-in" novalidate>
        ${csrfField(req)}<input type="hidden" name="next" value="${next}">
        <div class="${emailField.group}">${emailField.label}
          <input class="usa-input${invalid(emailField)}" id="email" name="email" type="email" autocomplete="username" required value="${email}"${emailField.aria}></div>
        <div class="${passwordField.group}">${passwordField.label}
          <input class="usa-input${invalid(passwordField)}" id="password" name="password" type="password" autocomplete="current-password" required${passwordField.aria}></div>
        <button class="usa-button" type="submit">Sign in</button>
      </form>
      <p>No account yet? An operator account is created from a shell with <code>npx mailpref operators create you@example.com</code>.</p>`,
  );
}

function passwordPage(req: Request, errors: FieldError[] = []): string {
  const first = req.operator!.mustChangePassword;
  const current = fieldParts('current', first ? 'One-time password' : 'Current password', errors);
  const password = fieldParts('password', 'New password', errors, `At least ${MIN_PASSWORD_LENGTH} characters.`);
  const confirm = fieldParts('confirm', 'New password again', errors);
  const title = first ? 'Choose your password' : 'Change your password';
  return consolePage(
    req,
    'account',
    errors.length ? `Error: ${title}` : title,
    html`<h1>${title}</h1>
      ${first ? html`<p class="usa-intro">You signed in with a one-time password. Choose your own before you continue.</p>` : ''}
      ${errorSummary('There is a problem', errors)}
      <form class="usa-form" method="post" action="/operator/password" novalidate>
        ${csrfField(req)}
        <input type="text" name="username" autocomplete="username" value="${req.operator!.email}" hidden>
        <div class="${current.group}">${current.label}
          <input class="usa-input${invalid(current)}" id="current" name="current" type="password" autocomplete="current-password" required${current.aria}></div>
        <div class="${password.group}">${password.label}
          <input class="usa-input${invalid(password)}" id="password" name="password" type="password" autocomplete="new-password" minlength="${MIN_PASSWORD_LENGTH}" required${password.aria}></div>
        <div class="${confirm.group}">${confirm.label}
          <input class="usa-input${invalid(confirm)}" id="confirm" name="confirm" type="password" autocomplete="new-password" required${confirm.aria}></div>
        <button class="usa-button" type="submit">Save password</button>
      </form>`,
  );
}

/** Sign in, sign out and password change: the only console pages open before (or right after) sign-in. */
export function signInRoutes(operators: OperatorsService, auth: OperatorAuth, redis: Redis, prefix: string): Router {
  const router = Router();
  const limited = signInLimiter(redis, prefix, (req, res, minutes) => {
    const { email = '', next } = req.body as Record<string, string | undefined>;
    res.status(429).send(signInPage(req, safeNext(next), email, [{ field: 'email', message: `Too many sign-in attempts. Please wait ${minutes} minutes and try again.` }]));
  });

  router.get('/operator/sign-in', (req, res) => {
    if (req.operator) return res.redirect(303, safeNext(req.query.next));
    res.send(signInPage(req, safeNext(req.query.next)));
  });

  router.post('/operator/sign-in', ...limited, async (req, res) => {
    const { email = '', password = '', next } = req.body as Record<string, string | undefined>;
    const missing: FieldError[] = [];
    if (!email.trim()) missing.push({ field: 'email', message: 'Enter your email address' });
    if (!password) missing.push({ field: 'password', message: 'Enter your password' });
    if (missing.length) return void res.status(400).send(signInPage(req, safeNext(next), email, missing));
    try {
      const session = await operators.signIn(email, password);
      auth.setSessionCookie(res, session.token);
      res.redirect(303, session.operator.mustChangePassword ? '/operator/password' : safeNext(next));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      res.status(error.statusCode).send(signInPage(req, safeNext(next), email, problemsOf(error, 'email')));
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
      res.status(400).send(passwordPage(req, problemsOf(error, 'current')));
    }
  });

  return router;
}
