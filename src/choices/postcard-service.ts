import { PassThrough, type Readable, type Writable } from 'node:stream';
import { deliveryPointKey, type AddressInput } from '../address/delivery-point-key';
import type { Db } from '../lib/db';
import type { FileStorage } from '../lib/file-storage';
import { BadRequestError } from '../lib/errors';
import type { AccessCodesService } from './access-codes-service';
import { AccessCodesStore } from './access-codes-store';
import { CsvOutput } from './csv-output';
import { asBadRequest, findColumn, readCsvRecords } from '../lists/cleanse';
import { PostcardRequestsStore, type PostcardRequest } from './postcard-requests-store';
import { PreferencesStore } from './preferences-store';

export const PRINT_FILE_COLUMNS = ['line', 'addressee', 'address1', 'address2', 'city', 'state', 'zip', 'code', 'url', 'expires_on'];
export const POSTCARD_REJECT_COLUMNS = ['line', 'reason', 'message', 'address1', 'address2', 'city', 'state', 'zip'];

const ADDRESS_COLUMNS: Record<keyof Omit<AddressInput, 'zip4'>, string[]> = {
  address1: ['address1', 'address', 'street', 'address_line_1', 'addressline1', 'delivery_address', 'street_address'],
  address2: ['address2', 'apt', 'unit', 'address_line_2', 'addressline2', 'secondary', 'suite'],
  city: ['city', 'town'],
  state: ['state', 'st'],
  zip: ['zip', 'zipcode', 'zip_code', 'postal_code', 'postcode', 'zip5'],
};

export interface PostcardSummary {
  batchId: number;
  rowsIn: number;
  printed: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
}

export interface PostcardOutputs {
  print: Writable;
  rejects: Writable;
}

/**
 * Issues postcard codes for a file of addresses (or for the queued lost-card requests) and writes
 * the printer's file. Every input row ends in exactly one of the print file or the reject file,
 * and the counts are checked before the batch is recorded as finished.
 */
export class PostcardService {
  constructor(
    private readonly db: Db,
    private readonly codes: AccessCodesService,
    private readonly publicUrl: string,
    private readonly files: FileStorage,
  ) {}

  /**
   * For the issue-postcards job: reads an uploaded address file (or, without one, takes the
   * queued lost-card requests) and stores `<outputPrefix>/print-file.csv` and `rejects.csv`.
   * Both appear only once complete (FileStorage.put is atomic).
   */
  async issueFromStorage(options: { inputKey?: string; outputPrefix: string }): Promise<PostcardSummary & { printFileKey: string; rejectsKey: string }> {
    if (options.inputKey && !(await this.files.exists(options.inputKey))) {
      throw new BadRequestError(`no stored file "${options.inputKey}" to issue postcards for`);
    }
    const printFileKey = `${options.outputPrefix}/print-file.csv`;
    const rejectsKey = `${options.outputPrefix}/rejects.csv`;
    const print = new PassThrough();
    const rejects = new PassThrough();
    const stored = Promise.all([this.files.put(printFileKey, print), this.files.put(rejectsKey, rejects)]);
    try {
      const outputs = { print, rejects };
      const summary = options.inputKey
        ? await this.issueFromCsv(this.files.get(options.inputKey), outputs, { source: options.inputKey })
        : await this.issueForRequests(outputs);
      await stored;
      if (!options.inputKey) await this.requestsPrinted(summary.batchId);
      return { ...summary, printFileKey, rejectsKey };
    } catch (error) {
      print.destroy(error as Error);
      rejects.destroy(error as Error);
      await stored.catch(() => undefined);
      throw error;
    }
  }

  async issueFromCsv(input: Readable, outputs: PostcardOutputs, options: { source: string; fixedCodes?: string[] }): Promise<PostcardSummary> {
    return this.issueFromRecords(input, outputs, options).catch(asBadRequest);
  }

  private async issueFromRecords(input: Readable, outputs: PostcardOutputs, options: { source: string; fixedCodes?: string[] }): Promise<PostcardSummary> {
    const batchId = await new AccessCodesStore(this.db).createBatch(options.source);
    const print = new CsvOutput(outputs.print, PRINT_FILE_COLUMNS);
    const rejects = new CsvOutput(outputs.rejects, POSTCARD_REJECT_COLUMNS);
    const summary: PostcardSummary = { batchId, rowsIn: 0, printed: 0, rejected: 0, rejectedByReason: {} };
    const reject = async (line: number, reason: string, message: string, address: AddressInput) => {
      summary.rejected += 1;
      summary.rejectedByReason[reason] = (summary.rejectedByReason[reason] ?? 0) + 1;
      await rejects.write([line, reason, message, address.address1 ?? '', address.address2 ?? '', address.city ?? '', address.state ?? '', address.zip ?? '']);
    };

    let columns: Record<string, number> | undefined;
    for await (const record of readCsvRecords(input, { trim: true })) {
      if (!columns) {
        if (record.malformed !== undefined) throw new BadRequestError(`line ${record.line}: the header row cannot be read (${record.malformed})`);
        columns = this.mapColumns(record.values);
        continue;
      }
      summary.rowsIn += 1;
      if (record.malformed !== undefined) {
        await reject(record.line, 'MALFORMED_ROW', `${record.malformed}: ${record.raw}`, {});
        continue;
      }
      const address = Object.fromEntries(
        Object.entries(columns).map(([field, index]) => [field, index >= 0 ? (record.values[index] ?? '') : '']),
      ) as AddressInput;
      const key = deliveryPointKey(address);
      if (!key.ok) {
        await reject(record.line, key.reason === 'UNREADABLE' ? 'ADDRESS_UNREADABLE' : key.reason, key.message, address);
        continue;
      }
      const issued = await this.db.withTransaction(async (tx) => {
        const deliveryPointId = await new PreferencesStore(tx).upsertDeliveryPoint(key.key, key.components);
        // The same address twice in one file would print two cards of which only the last works.
        if (await new AccessCodesStore(tx).liveCodeInBatch(deliveryPointId, batchId)) return undefined;
        return this.codes.issueWith(tx, deliveryPointId, batchId, options.fixedCodes?.[summary.printed]);
      });
      if (!issued) {
        await reject(record.line, 'DUPLICATE_ADDRESS', 'the same address as an earlier row of this file', address);
        continue;
      }
      summary.printed += 1;
      // The printer gets the ZIP as it must be mailed (a spreadsheet's 2144 is 02144).
      await print.write(this.printRow(record.line, { ...address, zip: key.components.zip5 || address.zip }, issued.code, issued.expiresAt));
    }
    if (!columns) throw new BadRequestError('the file is empty: expected a header row and one row per address');
    return this.finish(summary, print, rejects);
  }

  /**
   * A batch for the queued "I didn't get a card" requests. The requests stay queued (held by the
   * batch) until the caller has stored the print file and calls requestsPrinted(batchId); a batch
   * that fails gives them back.
   */
  async issueForRequests(outputs: PostcardOutputs, onIssued?: (done: number, total: number) => void): Promise<PostcardSummary> {
    const batchId = await new AccessCodesStore(this.db).createBatch('lost-card requests');
    const queue = new PostcardRequestsStore(this.db);
    try {
      return await this.issueClaimed(batchId, await queue.claimPending(batchId), outputs, onIssued);
    } catch (error) {
      await queue.release(batchId);
      throw error;
    }
  }

  /** The print file of a requests batch is stored: the requests leave the queue. */
  async requestsPrinted(batchId: number): Promise<void> {
    await new PostcardRequestsStore(this.db).deleteBatch(batchId);
  }

  private async issueClaimed(batchId: number, requests: PostcardRequest[], outputs: PostcardOutputs, onIssued?: (done: number, total: number) => void): Promise<PostcardSummary> {
    const print = new CsvOutput(outputs.print, PRINT_FILE_COLUMNS);
    const rejects = new CsvOutput(outputs.rejects, POSTCARD_REJECT_COLUMNS);
    const summary: PostcardSummary = { batchId, rowsIn: 0, printed: 0, rejected: 0, rejectedByReason: {} };
    for (const request of requests) {
      summary.rowsIn += 1;
      const issued = await this.db.withTransaction(async (tx) => {
        const deliveryPointId = await new PreferencesStore(tx).upsertDeliveryPoint(request.key, request);
        return this.codes.issueWith(tx, deliveryPointId, batchId, undefined, { awaitFirstUse: true });
      });
      summary.printed += 1;
      const address = { address1: request.line, address2: '', city: request.city, state: request.state, zip: request.zip5 };
      await print.write(this.printRow(summary.rowsIn, address, issued.code, issued.expiresAt));
      onIssued?.(summary.rowsIn, requests.length);
    }
    return this.finish(summary, print, rejects);
  }

  private async finish(summary: PostcardSummary, print: CsvOutput, rejects: CsvOutput): Promise<PostcardSummary> {
    await Promise.all([print.end(), rejects.end()]);
    if (summary.rowsIn !== summary.printed + summary.rejected || print.rows !== summary.printed || rejects.rows !== summary.rejected) {
      throw new Error(`postcard batch ${summary.batchId}: ${summary.rowsIn} rows in but ${summary.printed} printed + ${summary.rejected} rejected`);
    }
    await new AccessCodesStore(this.db).finishBatch(summary.batchId, summary);
    return summary;
  }

  private mapColumns(header: string[]): Record<string, number> {
    const columns = Object.fromEntries(Object.entries(ADDRESS_COLUMNS).map(([field, names]) => [field, findColumn(header, names)]));
    if (columns.address1 === -1) {
      throw new BadRequestError(`no street address column in the header (${header.join(', ')}); expected one of: ${ADDRESS_COLUMNS.address1.join(', ')}`);
    }
    if (columns.zip === -1 && (columns.city === -1 || columns.state === -1)) {
      throw new BadRequestError(`no ZIP column and no city and state columns in the header (${header.join(', ')})`);
    }
    return columns;
  }

  private printRow(line: number, address: AddressInput, code: string, expiresAt: Date): (string | number)[] {
    return [
      line,
      'CURRENT RESIDENT',
      address.address1 ?? '',
      address.address2 ?? '',
      address.city ?? '',
      address.state ?? '',
      address.zip ?? '',
      code,
      `${this.publicUrl}/`,
      expiresAt.toISOString().slice(0, 10),
    ];
  }
}
