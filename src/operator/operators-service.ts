import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { BadRequestError, ConflictError, fieldsError, NotFoundError, UnauthorizedError, type FieldProblem } from '../lib/errors';
import type { AuditService, Actor } from '../audit/audit-service';
import type { Operator, OperatorsStore } from './operators-store';

export type { Operator };

/** Sessions end after this long without a request. */
export const SESSION_IDLE_SECONDS = 8 * 3600;
export const MIN_PASSWORD_LENGTH = 12;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normaliseEmail(email: string): string {
  const value = email.trim().toLowerCase();
  if (!EMAIL.test(value)) throw new BadRequestError(`"${email}" is not an email address`, { field: 'email' });
  return value;
}

/** 20 characters from an alphabet without look-alikes (0/O, 1/l/I): easy to type from a terminal. */
export function oneTimePassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(20);
  return [...bytes].map((byte) => alphabet[byte % alphabet.length]).join('');
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A hash to verify against when the email is unknown, so timing does not reveal which emails exist. */
let decoyHash: Promise<string> | undefined;

export class OperatorsService {
  constructor(
    private readonly store: OperatorsStore,
    private readonly audit: AuditService,
  ) {}

  /** Creates an operator with a one-time password, which is returned once and never stored. */
  async create(email: string, actor: Actor): Promise<{ operator: Operator; password: string }> {
    const normalised = normaliseEmail(email);
    const password = oneTimePassword();
    const operator = await this.store.insert(normalised, await argon2.hash(password));
    if (!operator) throw new ConflictError(`An operator ${normalised} already exists`, 'OPERATOR_EXISTS');
    await this.audit.record(actor, 'operator.create', { type: 'operator', id: normalised });
    return { operator, password };
  }

  /** A new one-time password for an operator who lost theirs; their sessions end. */
  async resetPassword(email: string, actor: Actor): Promise<string> {
    const found = await this.store.findWithHash(normaliseEmail(email));
    if (!found) throw new NotFoundError(`No operator ${email}`, 'UNKNOWN_OPERATOR');
    const password = oneTimePassword();
    await this.store.setPassword(found.operator.id, await argon2.hash(password), true);
    await this.store.deleteSessionsOf(found.operator.id);
    await this.audit.record(actor, 'operator.reset-password', { type: 'operator', id: found.operator.email });
    return password;
  }

  /**
   * Disables an operator (they can no longer sign in; their sessions end) or enables them again.
   * Nobody disables themselves, so the console always keeps someone who can undo it.
   */
  async setDisabled(email: string, disabled: boolean, actor: Actor): Promise<Operator> {
    const found = await this.store.findWithHash(normaliseEmail(email));
    if (!found) throw new NotFoundError(`No operator ${email}`, 'UNKNOWN_OPERATOR');
    if (disabled && actor.operatorId === found.operator.id) throw new ConflictError('You cannot disable your own account; ask another operator', 'OWN_ACCOUNT');
    await this.store.setDisabled(found.operator.id, disabled);
    if (disabled) await this.store.deleteSessionsOf(found.operator.id);
    await this.audit.record(actor, disabled ? 'operator.disable' : 'operator.enable', { type: 'operator', id: found.operator.email });
    return { ...found.operator, disabled };
  }

  count(): Promise<number> {
    return this.store.count();
  }

  list(): Promise<Operator[]> {
    return this.store.list();
  }

  /** Checks the password and opens a session; the returned token goes into the cookie only. */
  async signIn(email: string, password: string): Promise<{ operator: Operator; token: string }> {
    const found = await this.store.findWithHash(email.trim().toLowerCase());
    if (!found || found.operator.disabled) {
      decoyHash ??= argon2.hash(oneTimePassword());
      await argon2.verify(await decoyHash, password).catch(() => false);
      throw new UnauthorizedError('The email or password is not right', 'BAD_CREDENTIALS');
    }
    if (!(await argon2.verify(found.passwordHash, password))) {
      throw new UnauthorizedError('The email or password is not right', 'BAD_CREDENTIALS');
    }
    const token = randomBytes(32).toString('base64url');
    await this.store.insertSession(hashToken(token), found.operator.id, SESSION_IDLE_SECONDS);
    await this.store.markSignedIn(found.operator.id);
    await this.audit.record({ operatorId: found.operator.id, label: found.operator.email }, 'operator.sign-in', {
      type: 'operator',
      id: found.operator.email,
    });
    return { operator: found.operator, token };
  }

  sessionOperator(token: string): Promise<Operator | undefined> {
    return this.store.touchSession(hashToken(token), SESSION_IDLE_SECONDS);
  }

  async signOut(token: string, operator: Operator): Promise<void> {
    await this.store.deleteSession(hashToken(token));
    await this.audit.record({ operatorId: operator.id, label: operator.email }, 'operator.sign-out', { type: 'operator', id: operator.email });
  }

  /**
   * Replaces the password (the one-time one at first sign-in); other sessions of the operator end.
   * Every problem of the form is reported at once, each with its field.
   */
  async changePassword(operator: Operator, token: string, current: string, next: string, confirm: string): Promise<void> {
    const problems: FieldProblem[] = [];
    const found = await this.store.findWithHash(operator.email);
    if (!current) problems.push({ field: 'current', message: 'Enter your current password' });
    else if (!found || !(await argon2.verify(found.passwordHash, current))) problems.push({ field: 'current', message: 'The current password is not right' });
    if (next.length < MIN_PASSWORD_LENGTH) problems.push({ field: 'password', message: `The new password must have at least ${MIN_PASSWORD_LENGTH} characters` });
    else if (next === current) problems.push({ field: 'password', message: 'The new password must differ from the current one' });
    if (next !== confirm) problems.push({ field: 'confirm', message: 'The two new passwords are not the same' });
    if (problems.length) throw fieldsError(problems);
    await this.store.setPassword(operator.id, await argon2.hash(next), false);
    await this.store.deleteSessionsOf(operator.id, hashToken(token));
    await this.audit.record({ operatorId: operator.id, label: operator.email }, 'operator.change-password', { type: 'operator', id: operator.email });
  }


  /** For purge-expired: deletes console sessions past their expiry, returns how many. */
  purgeExpired(now: Date): Promise<number> {
    return this.store.deleteExpiredSessions(now);
  }
}
