import { createHash } from 'node:crypto';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import type { CategoriesService } from '../categories/categories-service';
import type { Db } from '../lib/db';
import type { FileStorage } from '../lib/file-storage';
import { BadRequestError } from '../lib/errors';
import { codeHint, parseCode } from './access-code';
import type { AccessCodesService } from './access-codes-service';
import { CardImportsStore, type CardImportRow } from './card-imports-store';
import type { ChoicesService } from './choices-service';
import { CsvOutput } from './csv-output';
import { asBadRequest, checkSoleColumn, findColumn, readCsvRecords, simplifyHeader } from '../lists/cleanse';

export const CARD_REJECT_COLUMNS = ['line', 'reason', 'message', 'code'];

export interface CardImportSummary {
  importId: number;
  sha256: string;
  /** True when these exact bytes were imported before: nothing was applied this time. */
  alreadyImported: boolean;
  rowsIn: number;
  applied: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
}

export type Mark = 'ticked' | 'unticked' | 'blank' | 'unreadable';

/** What a card scanner writes for a checkbox. Anything else is an unreadable mark, never a guess. */
export function readMark(value: string | undefined): Mark {
  const text = (value ?? '').trim().toLowerCase();
  if (text === '') return 'blank';
  if (['ticked', 'x', '1', 'yes', 'y', 'true'].includes(text)) return 'ticked';
  if (['unticked', '0', 'no', 'n', 'false'].includes(text)) return 'unticked';
  return 'unreadable';
}

export function sha256Of(input: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    input.on('data', (chunk) => hash.update(chunk));
    input.on('error', reject);
    input.on('end', () => resolve(hash.digest('hex')));
  });
}

/**
 * Applies a returned-card scanner file: `code` plus one column per category slug, each ticked
 * (accepts), unticked (refuses) or blank (no answer, left as it is). Each row applies in one
 * transaction together with its row record, or is rejected with a reason; a file already
 * imported (same SHA-256) applies nothing again, and a retried import skips the rows it did.
 */
export class CardImportService {
  constructor(
    private readonly db: Db,
    private readonly codes: AccessCodesService,
    private readonly choices: ChoicesService,
    private readonly categories: CategoriesService,
    private readonly files: FileStorage,
  ) {}

  /** For the import-returned-cards job: a stored scanner file in, `<outputPrefix>/rejects.csv` out. */
  async importFromStorage(options: { inputKey: string; outputPrefix: string }): Promise<CardImportSummary & { rejectsKey: string }> {
    if (!(await this.files.exists(options.inputKey))) throw new BadRequestError(`no stored file "${options.inputKey}" to import`);
    const rejectsKey = `${options.outputPrefix}/rejects.csv`;
    const report = new PassThrough();
    const stored = this.files.put(rejectsKey, report);
    try {
      const summary = await this.importFile(() => this.files.get(options.inputKey), options.inputKey, report);
      await stored;
      return { ...summary, rejectsKey };
    } catch (error) {
      report.destroy(error as Error);
      await stored.catch(() => undefined);
      throw error;
    }
  }

  /** `open` is called twice: once to hash the file, once to read it. */
  async importFile(open: () => Readable, fileName: string, rejectReport: Writable): Promise<CardImportSummary> {
    const sha256 = await sha256Of(open());
    const store = new CardImportsStore(this.db);
    const { record } = await store.findOrCreate(sha256, fileName);
    const alreadyImported = record.status === 'done';
    let rowsRead: number | undefined;
    if (!alreadyImported) {
      try {
        rowsRead = await this.applyRows(record.id, sha256, open()).catch(asBadRequest);
      } catch (error) {
        if (error instanceof BadRequestError) await store.finish(record.id, 'failed', { rowsIn: 0, applied: 0, rejected: 0 }, error.message);
        throw error;
      }
    }
    const rows = await store.rows(record.id);
    // Every row of the file has its one outcome (a retried import skipped those it had): rows in = applied + rejected.
    if (rowsRead !== undefined && rows.length !== rowsRead) {
      throw new Error(`card import ${record.id}: ${rowsRead} rows in the file, but ${rows.length} applied or rejected`);
    }
    const summary: CardImportSummary = { importId: record.id, sha256, alreadyImported, rowsIn: rows.length, applied: 0, rejected: 0, rejectedByReason: {} };
    const report = new CsvOutput(rejectReport, CARD_REJECT_COLUMNS);
    for (const row of rows) {
      if (row.outcome === 'applied') {
        summary.applied += 1;
        continue;
      }
      summary.rejected += 1;
      summary.rejectedByReason[row.reason!] = (summary.rejectedByReason[row.reason!] ?? 0) + 1;
      await report.write([row.line, row.reason ?? '', row.message ?? '', row.codeHint ?? '']);
    }
    await report.end();
    if (!alreadyImported) await store.finish(record.id, 'done', summary);
    return summary;
  }

  /** Applies or rejects every row not done by an earlier attempt; returns how many rows the file has. */
  private async applyRows(importId: number, sha256: string, input: Readable): Promise<number> {
    const store = new CardImportsStore(this.db);
    const done = await store.doneLines(importId);
    const active = await this.categories.listActive();
    let header: { code: number; categories: { slug: string; index: number }[] } | undefined;
    let rows = 0;
    for await (const record of readCsvRecords(input, { trim: true })) {
      if (!header) {
        if (record.malformed !== undefined) throw new BadRequestError(`line ${record.line}: the header row cannot be read (${record.malformed})`);
        header = this.readHeader(record.values, active.map((category) => category.slug));
        continue;
      }
      rows++;
      if (done.has(record.line)) continue;
      const reject = (reason: string, message: string, hint = '') =>
        store.recordRow(importId, { line: record.line, outcome: 'rejected', reason, message, codeHint: hint, reference: null });
      if (record.malformed !== undefined) {
        await reject('MALFORMED_ROW', `line ${record.line}: ${record.malformed}`);
        continue;
      }
      const codeText = record.values[header.code] ?? '';
      const parsed = parseCode(codeText);
      const hint = parsed.ok ? codeHint(parsed.compact) : '';
      const check = await this.codes.checkCard(codeText);
      if (!check.ok) {
        await reject(check.reason === 'CODE_EMPTY' || check.reason === 'CODE_FORMAT' ? 'UNREADABLE_CODE' : check.reason, this.codeMessage(check.reason), hint);
        continue;
      }
      const choices: Record<string, boolean> = {};
      const unreadable: string[] = [];
      for (const { slug, index } of header.categories) {
        const mark = readMark(record.values[index]);
        if (mark === 'unreadable') unreadable.push(`${slug} ("${record.values[index]}")`);
        else if (mark !== 'blank') choices[slug] = mark === 'ticked';
      }
      if (unreadable.length > 0) {
        await reject('UNREADABLE_MARK', `unreadable mark in ${unreadable.join(', ')}; expected ticked, unticked or blank`, hint);
        continue;
      }
      if (Object.keys(choices).length === 0) {
        await reject('NO_MARKS', 'no box is ticked or unticked on this card; nothing to apply', hint);
        continue;
      }
      await this.db.withTransaction(async (tx) => {
        const recorded = await this.choices.recordChoicesWith(tx, {
          deliveryPointId: check.deliveryPointId,
          choices,
          source: 'card',
          actor: `card-file:${sha256.slice(0, 12)}:line:${record.line}`,
        });
        await new CardImportsStore(tx).recordRow(importId, {
          line: record.line,
          outcome: 'applied',
          reason: null,
          message: null,
          codeHint: hint,
          reference: recorded.reference,
        } satisfies CardImportRow);
      });
    }
    if (!header) throw new BadRequestError('the file is empty: expected a header row (code and category columns) and one row per card');
    return rows;
  }

  private readHeader(values: string[], activeSlugs: string[]): { code: number; categories: { slug: string; index: number }[] } {
    const code = findColumn(values, ['code', 'access_code', 'card_code']);
    if (code === -1) throw new BadRequestError(`line 1: no "code" column in the header (${values.join(', ')})`);
    const bySimple = new Map(activeSlugs.map((slug) => [simplifyHeader(slug), slug]));
    const categories: { slug: string; index: number }[] = [];
    const unknown: string[] = [];
    values.forEach((name, index) => {
      if (index === code) return;
      const slug = bySimple.get(simplifyHeader(name));
      if (slug) {
        checkSoleColumn(values, index);
        categories.push({ slug, index });
      }
      else unknown.push(name);
    });
    if (unknown.length > 0) {
      throw new BadRequestError(`line 1: unknown column(s) ${unknown.map((name) => `"${name}"`).join(', ')}; expected "code" and active category slugs: ${activeSlugs.join(', ')}`);
    }
    if (categories.length === 0) throw new BadRequestError('line 1: no category columns in the header');
    return { code, categories };
  }

  private codeMessage(reason: string): string {
    switch (reason) {
      case 'UNKNOWN_CODE':
        return 'no card was issued with this code';
      case 'EXPIRED_CODE':
        return 'the code on this card has expired';
      case 'REPLACED_CODE':
        return 'a newer card was issued for this address; this code no longer works';
      default:
        return 'the code cannot be read (10 letters and digits, without 0, O, 1 or I)';
    }
  }
}
