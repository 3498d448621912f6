import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { Transform, type Readable, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { CategoriesService } from '../categories/categories-service';
import { deliveryPointKey, type AddressInput } from '../address/delivery-point-key';
import { keyHashInt64 } from '../address/key-hash';
import type { Db } from '../lib/db';
import { BadRequestError } from '../lib/errors';
import { asBadRequest, findAddressColumns, readCsvRecords, simplifyHeader, checkSoleColumn, ADDRESS_FIELDS } from '../lists/cleanse';
import { CsvOutput } from './csv-output';
import { PreferencesStore } from './preferences-store';
import { copyRow, StoreLoadStore } from './store-load-store';

export const STORE_LOAD_REJECT_COLUMNS = ['line', 'reason', 'message'];

export interface StoreLoadSummary {
  loadId: number;
  sha256: string;
  /** Rows of the file (the header not counted): rowsIn = loaded + rejected, checked. */
  rowsIn: number;
  loaded: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  pointsCreated: number;
  /** Choices that changed a delivery point's state (0 when the same file is loaded again). */
  eventsWritten: number;
  seconds: { read: number; write: number };
}

/** A choice cell: accept, refuse, or blank (no answer, left as it is). */
export function readChoice(value: string | undefined): boolean | null | 'unreadable' {
  const text = (value ?? '').trim().toLowerCase();
  if (text === '') return null;
  if (text === 'accept' || text === 'accepts' || text === 'accepted') return true;
  if (text === 'refuse' || text === 'refuses' || text === 'refused') return false;
  return 'unreadable';
}

const COPY_BATCH_BYTES = 1 << 20;

/**
 * `mailpref store load FILE`: an operator's delivery-point file (address columns, and a column
 * per category slug holding accept, refuse or blank) into the store, in one transaction: the
 * rows are keyed here (src/address) and streamed with COPY into a staging table while the file
 * is read, then written set-based (store-load-store.ts). Unreadable rows go to the reject report
 * with their line and reason.
 */
export class StoreLoadService {
  constructor(
    private readonly db: Db,
    private readonly categories: Pick<CategoriesService, 'listActive'>,
  ) {}

  async load(input: Readable, fileName: string, rejectReport: Writable): Promise<StoreLoadSummary> {
    return this.loadRecords(input, fileName, rejectReport).catch(asBadRequest);
  }

  private async loadRecords(input: Readable, fileName: string, rejectReport: Writable): Promise<StoreLoadSummary> {
    const active = await this.categories.listActive();
    const hash = createHash('sha256');
    const hashed = input.pipe(
      new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          hash.update(chunk);
          callback(null, chunk);
        },
      }),
    );
    input.on('error', (error) => hashed.destroy(error));
    const report = new CsvOutput(rejectReport, STORE_LOAD_REJECT_COLUMNS);
    const rejectedByReason: Record<string, number> = {};
    let rowsIn = 0;
    let loaded = 0;
    let rejected = 0;
    const reject = async (line: number, reason: string, message: string) => {
      rejected++;
      rejectedByReason[reason] = (rejectedByReason[reason] ?? 0) + 1;
      await report.write([line, reason, message]);
    };

    const started = Date.now();
    const summary = await this.db.withTransaction(async (tx) => {
      const store = new StoreLoadStore(tx);
      await store.createStaging();
      const copy = store.copyIn();
      const copied = finished(copy);
      copied.catch(() => undefined);
      let header: { address: Record<string, number>; categories: { id: number; index: number }[] } | undefined;
      let batch = '';
      const flush = async () => {
        if (batch === '') return;
        const ok = copy.write(batch);
        batch = '';
        if (!ok) await Promise.race([once(copy, 'drain'), copied]);
      };
      try {
        for await (const record of readCsvRecords(hashed, { trim: true })) {
          if (!header) {
            if (record.malformed !== undefined) throw new BadRequestError(`line ${record.line}: the header row cannot be read (${record.malformed})`);
            header = this.readHeader(record.values, active);
            continue;
          }
          rowsIn++;
          if (record.malformed !== undefined) {
            await reject(record.line, 'MALFORMED_ROW', `line ${record.line}: ${record.malformed}`);
            continue;
          }
          const address: AddressInput = {};
          for (const [field, index] of Object.entries(header.address)) address[field as keyof AddressInput] = record.values[index] ?? '';
          const key = deliveryPointKey(address);
          if (!key.ok) {
            await reject(record.line, key.reason === 'UNREADABLE' ? 'ADDRESS_UNREADABLE' : key.reason, key.message);
            continue;
          }
          let choices: (boolean | null)[] | null = null;
          if (header.categories.length > 0) {
            choices = [];
            const unreadable: string[] = [];
            for (const { index } of header.categories) {
              const choice = readChoice(record.values[index]);
              if (choice === 'unreadable') unreadable.push(`"${record.values[index]}"`);
              choices.push(choice === 'unreadable' ? null : choice);
            }
            if (unreadable.length > 0) {
              await reject(record.line, 'UNREADABLE_CHOICE', `unreadable choice ${unreadable.join(', ')}; expected accept, refuse or blank`);
              continue;
            }
            if (choices.every((c) => c === null)) choices = null;
          }
          const { line, city, state, zip5 } = key.components;
          batch += copyRow(record.line, key.key, keyHashInt64(key.key), line, city, state, zip5, choices);
          loaded++;
          if (batch.length >= COPY_BATCH_BYTES) await flush();
        }
        await flush();
        copy.end();
        await copied;
      } catch (error) {
        copy.destroy(error as Error);
        await copied.catch(() => undefined);
        throw error;
      }
      if (!header) throw new BadRequestError('the file is empty: expected a header row (address columns and category columns) and one row per delivery point');
      const readSeconds = (Date.now() - started) / 1000;
      const staged = await store.stagedRows();
      // Every row of the file has its one outcome: rows in = loaded + rejected, and what was loaded is what was staged.
      if (staged !== loaded || rowsIn !== loaded + rejected) {
        throw new Error(`store load: ${rowsIn} rows in the file, ${loaded} loaded + ${rejected} rejected, ${staged} staged`);
      }
      const sha256 = hash.digest('hex');
      const loadId = await store.createLoad(fileName, sha256);
      const points = new PreferencesStore(tx);
      await points.lockStagedPoints();
      const pointsCreated = await points.insertStagedPoints();
      const eventsWritten = await points.recordStagedChoices(header.categories.map((c) => c.id), loadId, sha256);
      await store.finishLoad(loadId, { rowsIn, loaded, rejected, pointsCreated, eventsWritten });
      return { loadId, sha256, rowsIn, loaded, rejected, rejectedByReason, pointsCreated, eventsWritten, seconds: { read: readSeconds, write: 0 } };
    });
    await report.end();
    summary.seconds.write = (Date.now() - started) / 1000 - summary.seconds.read;
    return summary;
  }

  private readHeader(values: string[], active: { id: number; slug: string }[]): { address: Record<string, number>; categories: { id: number; index: number }[] } {
    const address = findAddressColumns(values) as Record<string, number>;
    const bySimple = new Map(active.map((category) => [simplifyHeader(category.slug), category]));
    const addressIndexes = new Set(Object.values(address));
    const categories: { id: number; index: number }[] = [];
    const unknown: string[] = [];
    values.forEach((name, index) => {
      if (addressIndexes.has(index)) return;
      const category = bySimple.get(simplifyHeader(name));
      if (category) {
        checkSoleColumn(values, index);
        categories.push({ id: category.id, index });
      } else unknown.push(name);
    });
    if (unknown.length > 0) {
      throw new BadRequestError(
        `line 1: unknown column(s) ${unknown.map((name) => `"${name}"`).join(', ')}; expected address columns (${ADDRESS_FIELDS.join(', ')}) and active category slugs: ${active.map((c) => c.slug).join(', ')}`,
      );
    }
    return { address, categories };
  }
}
