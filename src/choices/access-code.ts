import { randomBytes, timingSafeEqual } from 'node:crypto';
import { hmacHex } from '../lib/server-secret';

/**
 * Postcard codes: 10 characters from a 32-symbol alphabet without 0/O and 1/I (easy to misread on
 * paper), printed in two groups of five: `K7QMX-4RTPA`. 32^10 = 2^50 possible codes; with one live
 * code per address and rate-limited guessing, a stranger's chance of hitting any live code is
 * negligible. Because the codes are random and high-entropy, a fast keyed hash (HMAC-SHA-256
 * with the server secret) is enough to store them: unlike a password there is nothing to
 * dictionary-attack, and the key means a stolen table alone cannot be brute-forced offline.
 */
export const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const CODE_LENGTH = 10;

export function generateCode(): string {
  const bytes = randomBytes(CODE_LENGTH);
  let code = '';
  // 256 is a multiple of 32, so masking with 31 keeps every symbol equally likely.
  for (const byte of bytes) code += CODE_ALPHABET[byte & 31];
  return formatCode(code);
}

export function formatCode(compact: string): string {
  return `${compact.slice(0, 5)}-${compact.slice(5)}`;
}

export type ParsedCode = { ok: true; compact: string } | { ok: false; reason: 'EMPTY' | 'LENGTH' | 'CHARACTERS' };

/** Accepts what people type: any case, spaces and dashes anywhere. */
export function parseCode(input: string | undefined): ParsedCode {
  const compact = (input ?? '').toUpperCase().replace(/[\s\-‐–—_.]/g, '');
  if (compact === '') return { ok: false, reason: 'EMPTY' };
  if ([...compact].some((ch) => !CODE_ALPHABET.includes(ch))) return { ok: false, reason: 'CHARACTERS' };
  if (compact.length !== CODE_LENGTH) return { ok: false, reason: 'LENGTH' };
  return { ok: true, compact };
}

export function hashCode(key: Buffer, compact: string): string {
  return hmacHex(key, compact);
}

/** Constant-time equality of two hex digests (or any two strings). */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** What an operator may see of a code in a report: enough to find the card, not enough to use it. */
export function codeHint(compact: string): string {
  return compact.length >= 4 ? `*****-*${compact.slice(-4)}` : '';
}
