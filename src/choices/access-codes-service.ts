import type { Db, Queryable } from '../lib/db';
import { AccessCodesStore, type AccessCodeRow } from './access-codes-store';
import { generateCode, hashCode, parseCode, sameSecret, type ParsedCode } from './access-code';
import { PreferencesStore } from './preferences-store';

type Refused<Reason> = { ok: false; field: 'code' | 'zip'; reason: Reason };
type Checked<Reason> = { ok: true; accessCodeId: number; deliveryPointId: number } | Refused<Reason>;

/**
 * A code and ZIP typed on the form. NO_SUCH_CARD answers both an unknown code and a code with
 * another ZIP, so that nobody learns which codes exist without also holding their ZIP; only the
 * holder of a matching pair learns that it expired or was replaced.
 */
export type CodeCheck = Checked<'CODE_EMPTY' | 'CODE_FORMAT' | 'ZIP_FORMAT' | 'NO_SUCH_CARD' | 'EXPIRED_CODE' | 'REPLACED_CODE'>;
/** A code scanned from a returned card (the operator's import: no ZIP, and the card came by mail). */
export type CardCheck = Checked<'CODE_EMPTY' | 'CODE_FORMAT' | 'UNKNOWN_CODE' | 'EXPIRED_CODE' | 'REPLACED_CODE'>;

/** Five digits, or ZIP+4 (which only its first five count for). */
export function isZipFormat(zip: string): boolean {
  return /^\d{5}(-?\d{4})?$/.test(zip.trim());
}

export interface IssuedCode {
  id: number;
  /** The printable code (XXXXX-XXXXX): returned once, for the print file, and never stored. */
  code: string;
  expiresAt: Date;
}

/** Postcard codes: issue (revoking the address's previous code), and check what a household types. */
export class AccessCodesService {
  constructor(
    private readonly db: Db,
    private readonly codeKey: Buffer,
    private readonly validityDays: number,
  ) {}

  /**
   * A new code for an address, in the caller's transaction. The delivery point's row lock is the
   * same one choices take, so a reissue and a submission never interleave.
   */
  async issueWith(tx: Queryable, deliveryPointId: number, batchId: number | null, fixedCode?: string, options: { awaitFirstUse?: boolean } = {}): Promise<IssuedCode> {
    await new PreferencesStore(tx).lockDeliveryPoint(deliveryPointId);
    const store = new AccessCodesStore(tx);
    // A card someone asked for leaves the household's code working until the new one is used.
    await store.revokeLive(deliveryPointId, { awaitingOnly: options.awaitFirstUse });
    const code = fixedCode ?? generateCode();
    const parsed = parseCode(code);
    if (!parsed.ok) throw new Error(`not a valid code: ${parsed.reason}`);
    const expiresAt = new Date(Date.now() + this.validityDays * 24 * 3600 * 1000);
    const id = await store.insert({ deliveryPointId, codeHash: hashCode(this.codeKey, parsed.compact), batchId, expiresAt, awaitingFirstUse: options.awaitFirstUse });
    return { id, code, expiresAt };
  }

  issue(deliveryPointId: number, batchId: number | null = null): Promise<IssuedCode> {
    return this.db.withTransaction((tx) => this.issueWith(tx, deliveryPointId, batchId));
  }

  /** The keyed hash of a well-formed code: what the database and the rate limiter see, never the code. */
  hash(parsed: Extract<ParsedCode, { ok: true }>): string {
    return hashCode(this.codeKey, parsed.compact);
  }

  isLive(accessCodeId: number): Promise<boolean> {
    return new AccessCodesStore(this.db).isLive(accessCodeId);
  }

  countLive(): Promise<number> {
    return new AccessCodesStore(this.db).countLive();
  }

  parse(input: string | undefined): ParsedCode {
    return parseCode(input);
  }

  /** Looks up a code (by its hash) and checks it belongs to the ZIP typed with it and is live. */
  async check(codeInput: string | undefined, zipInput: string | undefined, now = new Date()): Promise<CodeCheck> {
    const zip = (zipInput ?? '').trim();
    if (parseCode(codeInput).ok && !isZipFormat(zip)) return { ok: false, field: 'zip', reason: 'ZIP_FORMAT' };
    const found = await this.codeRow(codeInput);
    if (!found.ok) return found;
    if (!found.row || !sameSecret(found.row.zip5, zip.slice(0, 5))) return { ok: false, field: 'code', reason: 'NO_SUCH_CARD' };
    return this.live(found.row, now);
  }

  /** For card imports: the live code a scanned card carries, without a ZIP (the card came by mail). */
  async checkCard(codeInput: string, now = new Date()): Promise<CardCheck> {
    const found = await this.codeRow(codeInput);
    if (!found.ok) return found;
    return found.row ? this.live(found.row, now) : { ok: false, field: 'code', reason: 'UNKNOWN_CODE' };
  }

  /** A live code's check; the first use of a code awaiting it ends the address's older code. */
  private async live(row: AccessCodeRow, now: Date): Promise<Checked<'EXPIRED_CODE' | 'REPLACED_CODE'>> {
    if (row.revokedAt) return { ok: false, field: 'code', reason: 'REPLACED_CODE' };
    if (row.expiresAt <= now) return { ok: false, field: 'code', reason: 'EXPIRED_CODE' };
    if (row.awaitingFirstUse) {
      await this.db.withTransaction(async (tx) => {
        await new PreferencesStore(tx).lockDeliveryPoint(row.deliveryPointId);
        await new AccessCodesStore(tx).takeOver(row.id, row.deliveryPointId);
      });
    }
    return { ok: true, accessCodeId: row.id, deliveryPointId: row.deliveryPointId };
  }

  /** The code's row, live or not (none: no such code), or why the input is not a code at all. */
  private async codeRow(codeInput: string | undefined): Promise<{ ok: true; row: AccessCodeRow | undefined } | Refused<'CODE_EMPTY' | 'CODE_FORMAT'>> {
    const parsed = parseCode(codeInput);
    if (!parsed.ok) return { ok: false, field: 'code', reason: parsed.reason === 'EMPTY' ? 'CODE_EMPTY' : 'CODE_FORMAT' };
    const codeHash = this.hash(parsed);
    const row = await new AccessCodesStore(this.db).findByHash(codeHash);
    // The hash is keyed, so the index look-up leaks nothing an attacker could steer; the explicit
    // constant-time checks keep the comparisons themselves free of timing signals too.
    return { ok: true, row: row && sameSecret(row.codeHash, codeHash) ? row : undefined };
  }

  /** For purge-expired: deletes postcard codes past their expiry, returns how many. */
  purgeExpired(now: Date): Promise<number> {
    return new AccessCodesStore(this.db).deleteExpired(now);
  }
}
