import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * A secret the server must be able to read again (a webhook's signing secret, which signs every
 * request), stored encrypted with a key derived from the server secret (AES-256-GCM): a copy of
 * the database alone does not give it away. Sealed text: `v1.<iv>.<tag>.<ciphertext>` in base64url.
 */
export function sealSecret(key: Buffer, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), sealed.toString('base64url')].join('.');
}

/** The secret sealed by sealSecret; throws when it was sealed with another key (SESSION_SECRET changed). */
export function openSecret(key: Buffer, sealed: string): string {
  const [version, iv, tag, text] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || text === undefined) throw new Error('not a sealed secret');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(text, 'base64url')), decipher.final()]).toString('utf8');
}
