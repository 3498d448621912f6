import { randomBytes } from 'node:crypto';
import { BadRequestError, NotFoundError } from '../lib/errors';
import { checkHost, RefusedAddressError } from '../lib/outbound-address';
import { openSecret, sealSecret } from '../lib/sealed-secret';
import type { WebhookSettingsStore } from './webhook-settings-store';

/** A mailer's webhook as the portal and the API show it (never the secret). */
export interface WebhookView {
  url: string;
  createdAt: Date;
  updatedAt: Date;
  secretRotatedAt: Date;
}

/** Where to send a mailer's events, and the secret to sign them with (for the delivery job only). */
export interface WebhookTarget {
  url: string;
  secret: string;
}

const MAX_URL_LENGTH = 2000;

function bad(message: string): BadRequestError {
  return new BadRequestError(message, { field: 'url' }, 'BAD_WEBHOOK_URL');
}

/**
 * A mailer's webhook: the address mailpref posts each list's completion or failure to, and the
 * secret it signs them with (lists/webhooks/ sends them). The secret is made here, shown once
 * when the webhook is created or the secret rotated, and kept sealed with a key derived from the
 * server secret. Addresses on the machine itself or a private network are refused unless
 * WEBHOOK_ALLOW_PRIVATE allows them (the delivery checks again, on the address it connects to).
 */
export class WebhookSettingsService {
  constructor(
    private readonly store: WebhookSettingsStore,
    private readonly sealKey: Buffer,
    private readonly options: { allowPrivate: boolean },
  ) {}

  async get(mailerId: number): Promise<WebhookView | undefined> {
    const row = await this.store.find(mailerId);
    return row && { url: row.url, createdAt: row.createdAt, updatedAt: row.updatedAt, secretRotatedAt: row.secretRotatedAt };
  }

  /** Sets the webhook's address; a new webhook gets its secret, returned this once. */
  async set(mailerId: number, rawUrl: unknown): Promise<{ webhook: WebhookView; secret?: string }> {
    const url = await this.checkUrl(rawUrl);
    const secret = newSecret();
    const created = await this.store.insert(mailerId, url, sealSecret(this.sealKey, secret));
    if (!created) await this.store.setUrl(mailerId, url);
    return { webhook: (await this.get(mailerId))!, ...(created ? { secret } : {}) };
  }

  /** A new secret, returned this once; the old one signs nothing from now on. */
  async rotateSecret(mailerId: number): Promise<string> {
    const secret = newSecret();
    if (!(await this.store.setSecret(mailerId, sealSecret(this.sealKey, secret)))) throw noWebhook();
    return secret;
  }

  async remove(mailerId: number): Promise<void> {
    if (!(await this.store.delete(mailerId))) throw noWebhook();
  }

  async target(mailerId: number): Promise<WebhookTarget | undefined> {
    const row = await this.store.find(mailerId);
    return row && { url: row.url, secret: openSecret(this.sealKey, row.sealedSecret) };
  }

  private async checkUrl(raw: unknown): Promise<string> {
    const text = typeof raw === 'string' ? raw.trim() : '';
    if (!text) throw bad('Enter the address to send events to, like https://example.com/mailpref-events');
    if (text.length > MAX_URL_LENGTH) throw bad(`The address must be at most ${MAX_URL_LENGTH} characters`);
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw bad(`"${text}" is not a web address; give a whole address, like https://example.com/mailpref-events`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw bad(`The address must start with https:// (or http://), not ${url.protocol}//`);
    if (url.username || url.password) throw bad('The address must not hold a user name or password; check the signature instead');
    try {
      await checkHost(url.hostname, this.options.allowPrivate);
    } catch (error) {
      if (error instanceof RefusedAddressError) throw bad(`The address is refused: ${error.message}`);
      throw bad(`The host ${url.hostname} cannot be found (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    return url.toString();
  }
}

function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

function noWebhook(): NotFoundError {
  return new NotFoundError('This mailer has no webhook; set its address first', 'NO_WEBHOOK');
}
