import type { OperatorsService } from './operators-service';

export const FIRST_OPERATOR_EMAIL = 'admin@example.com';

/**
 * On a fresh database, `npm start` creates admin@example.com with a one-time password that it
 * prints once in its startup banner, so a newcomer can open the console at once. The password
 * must be changed at the first sign-in. `serve` and `worker` (production) never do this.
 */
export async function ensureFirstOperator(operators: OperatorsService): Promise<{ email: string; password: string } | undefined> {
  if ((await operators.count()) > 0) return undefined;
  const { operator, password } = await operators.create(FIRST_OPERATOR_EMAIL, { label: 'system:first-start' });
  return { email: operator.email, password };
}
