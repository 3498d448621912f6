import request from 'supertest';
import type { Express } from 'express';
import type { Root } from '../../src/root';

export const TEST_PASSWORD = 'correct horse battery staple';

/** The CSRF token of the first form on a page. */
export function csrfFrom(page: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(page) ?? /_csrf=([^"&]+)/.exec(page);
  if (!match) throw new Error('no CSRF token on the page');
  return decodeURIComponent(match[1]!);
}

/** Creates an operator with a known password (one-time password already changed). */
export async function createOperator(root: Root, email: string, password = TEST_PASSWORD): Promise<void> {
  const { operator, password: oneTime } = await root.services.operators.create(email, { label: 'test' });
  const { token } = await root.services.operators.signIn(email, oneTime);
  await root.services.operators.changePassword(operator, token, oneTime, password, password);
}

/** A supertest agent signed in to the console, and a helper that fetches a fresh CSRF token. */
export async function signedInAgent(app: Express, email: string, password = TEST_PASSWORD) {
  const agent = request.agent(app);
  const signIn = await agent.get('/operator/sign-in');
  const response = await agent.post('/operator/sign-in').type('form').send({ email, password, _csrf: csrfFrom(signIn.text), next: '/operator' });
  if (response.status !== 303 || response.headers.location !== '/operator') {
    throw new Error(`sign-in failed: ${response.status} ${response.headers.location ?? response.text.slice(0, 200)}`);
  }
  return {
    agent,
    async csrf(path = '/operator'): Promise<string> {
      return csrfFrom((await agent.get(path)).text);
    },
  };
}
