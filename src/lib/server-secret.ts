import fs from 'node:fs';
import path from 'node:path';
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { ConfigError, type Config } from '../config';
import { mkdirPrivate, PRIVATE_FILE } from './private-files';

/**
 * The server secret keys the postcard-code hashes, the session cookies and the CSRF tokens.
 * Production must set SESSION_SECRET (every web and worker process needs the same one, and it must
 * not live in the database next to the hashes it protects). Elsewhere a random secret is created
 * once under DATA_DIR so `npm start` works on a fresh machine and codes survive restarts.
 */
export function loadServerSecret(config: Pick<Config, 'env' | 'sessionSecret' | 'dataDir'>): Buffer {
  if (config.sessionSecret) {
    if (config.sessionSecret.length < 32) throw new ConfigError('SESSION_SECRET', 'must be at least 32 characters long');
    return Buffer.from(config.sessionSecret, 'utf8');
  }
  if (config.env === 'production') {
    throw new ConfigError('SESSION_SECRET', 'must be set in production (at least 32 random characters, the same for every process)');
  }
  const file = path.join(config.dataDir, 'server-secret');
  mkdirPrivate(config.dataDir);
  try {
    // 'wx' fails when the file exists: two processes starting at once keep the first one's secret.
    fs.writeFileSync(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: PRIVATE_FILE });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'utf8');
}

/** A separate key per purpose, so a leak of one (say, a CSRF key) says nothing about the others. */
export function deriveKey(secret: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `mailpref:${purpose}`, 32));
}

export function hmacHex(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value, 'utf8').digest('hex');
}
