import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * What mailpref writes holds households' addresses and mailers' lists: readable by its own user
 * only, whatever the umask. (As root with the embedded PostgreSQL, DATA_DIR keeps o+x so that the
 * `postgres` user can reach its data directory: it may pass through, never list or read.)
 */
export const PRIVATE_FILE = 0o600;
export const PRIVATE_DIR = 0o700;

/** Creates dir and any missing parents, each created one 0700. */
export function mkdirPrivate(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
}

/**
 * A password for an embedded server, generated once and kept (0600) in DATA_DIR beside the server
 * secret. Hex only: it can be written into a server's configuration or SQL without quoting.
 */
export function embeddedPassword(dataDir: string, server: 'postgres' | 'redis'): { password: string; created: boolean } {
  mkdirPrivate(dataDir);
  const file = path.join(dataDir, `${server}-password`);
  let created = true;
  try {
    // 'wx' fails when the file exists: two processes starting at once keep the first one's password.
    fs.writeFileSync(file, randomBytes(24).toString('hex'), { flag: 'wx', mode: PRIVATE_FILE });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    created = false;
  }
  return { password: fs.readFileSync(file, 'utf8').trim(), created };
}
