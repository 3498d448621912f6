import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { BadRequestError, NotFoundError } from '../lib/errors';
import type { FileStorage } from '../lib/file-storage';
import { SPREADSHEET_SAFE_CELLS } from '../lib/spreadsheet-cells';
import type { QueueFactory } from '../lib/queues';
import type { Actor, AuditService } from '../audit/audit-service';
import { MoveFileError, readMoveFile } from './move-file-reader';
import { ListInputError } from '../lists/cleanse';
import type { MoveImport, MoveOutcome, MoveToApply, MovesStore } from './moves-store';
import type { Db } from '../lib/db';
import type { ChoicesService } from '../choices/choices-service';

export type { MoveImport };

export interface MoveImportResult {
  importId: number;
  rowsIn: number;
  applied: number;
  already: number;
  rejected: number;
  choicesEnded: number;
  choicesCarried: number;
}

/** Thrown for a file that cannot be read at all; the job fails without retrying. */
export class MoveImportRejected extends Error {}

function fingerprint(parts: (string | boolean | undefined)[]): string {
  return createHash('sha256').update(parts.map((part) => String(part ?? '')).join('\u001f')).digest('hex');
}

/**
 * Change-of-address imports: upload → apply-moves job → counts and a reject report. A family move
 * ends the household's choices at the old address (a `move` event), so the next occupant does not
 * inherit them; an individual move leaves them (the rest of the household still lives there). When
 * the file says the choices follow, they are recorded at the new address.
 */
export class MovesService {
  constructor(
    private readonly db: Db,
    private readonly choices: ChoicesService,
    private readonly store: MovesStore,
    private readonly files: FileStorage,
    private readonly queues: QueueFactory,
    private readonly audit: AuditService,
  ) {}

  async upload(source: Readable, originalName: string, actor: Actor): Promise<MoveImport> {
    const created = await this.store.createImport(originalName || 'moves.csv', actor.label);
    const key = `moves/${created.id}/upload.csv`;
    const hash = createHash('sha256');
    const hashed = (async function* () {
      for await (const chunk of source) {
        hash.update(chunk as Buffer);
        yield chunk as Buffer;
      }
    })();
    let bytes: number;
    try {
      ({ bytes } = await this.files.put(key, hashed));
    } catch (error) {
      await this.store.markFailed(created.id, `upload failed: ${(error as Error).message}`);
      throw error;
    }
    if (bytes === 0) {
      await this.files.delete(key);
      await this.store.markFailed(created.id, 'The uploaded file is empty');
      throw new BadRequestError('The uploaded file is empty', { field: 'file' });
    }
    await this.store.setFile(created.id, key, hash.digest('hex'));
    await this.queues.queue('apply-moves').add('apply-moves', { importId: created.id });
    await this.audit.record(actor, 'moves.upload', { type: 'move-import', id: created.id }, { file: originalName, bytes });
    return (await this.store.find(created.id))!;
  }

  list(limit = 50): Promise<MoveImport[]> {
    return this.store.list(limit);
  }

  async get(id: number): Promise<MoveImport> {
    const found = await this.store.find(id);
    if (!found) throw new NotFoundError(`No move import ${id}`, 'UNKNOWN_IMPORT');
    return found;
  }

  async rejectReport(id: number): Promise<{ name: string; stream: Readable }> {
    const found = await this.get(id);
    if (!found.rejectKey) throw new NotFoundError(`Move import ${id} has no reject report yet`, 'NO_REPORT');
    if (found.filesPurgedAt) throw new NotFoundError(`The reject report of move import ${id} was deleted after the retention period`, 'PURGED');
    return { name: `move-import-${id}-rejects.csv`, stream: this.files.get(found.rejectKey) };
  }

  /** Applies every import still queued (a scheduled apply-moves run without an import id). */
  async applyQueued(): Promise<{ imports: MoveImportResult[] }> {
    const results: MoveImportResult[] = [];
    for (const id of await this.store.queuedIds()) results.push(await this.applyImport(id));
    return { imports: results };
  }

  async applyImport(id: number): Promise<MoveImportResult> {
    const found = await this.get(id);
    if (!found.fileKey || !(await this.files.exists(found.fileKey))) {
      const message = found.filesPurgedAt ? 'its file was deleted after the retention period' : 'its uploaded file is missing';
      await this.store.markFailed(id, message);
      throw new MoveImportRejected(`Move import ${id} (${found.originalName}) cannot be applied: ${message}`);
    }
    await this.store.markRunning(id);
    const rejectKey = `moves/${id}/rejects.csv`;
    const report = stringify({ header: true, columns: ['line', 'reason', 'message', 'fields'], ...SPREADSHEET_SAFE_CELLS });
    const written = this.files.put(rejectKey, report);
    const counts = { rowsIn: 0, applied: 0, already: 0, rejected: 0, ended: 0, carried: 0 };
    try {
      for await (const item of readMoveFile(this.files.get(found.fileKey))) {
        counts.rowsIn++;
        if (!item.ok) {
          counts.rejected++;
          await write(report, [item.reject.line, item.reject.reason, item.reject.message, item.reject.fields.join(',')]);
          continue;
        }
        const row = item.row;
        const outcome = await this.applyMove({
          importId: id,
          line: row.line,
          fingerprint: fingerprint([row.oldKey.key, row.newKey?.key, row.moveDate, row.moveType, row.choicesFollow]),
          oldKey: row.oldKey.key,
          newKey: row.newKey?.key,
          newComponents: row.newKey?.components,
          moveDate: row.moveDate,
          moveType: row.moveType,
          choicesFollow: row.choicesFollow,
          actor: `move-import:${id} line ${row.line}`,
        });
        if (outcome.status === 'already') {
          counts.already++;
        } else {
          counts.applied++;
          counts.ended += outcome.ended;
          counts.carried += outcome.carried;
        }
      }
      report.end();
      await written;
    } catch (error) {
      report.destroy();
      await written.catch(() => undefined);
      const badFile = error instanceof MoveFileError || error instanceof ListInputError;
      const message = badFile ? (error as Error).message : `import failed: ${(error as Error).message}`;
      await this.store.markFailed(id, message);
      if (badFile) throw new MoveImportRejected(`Move import ${id} (${found.originalName}): ${message}`);
      throw error;
    }
    if (counts.rowsIn !== counts.applied + counts.already + counts.rejected) {
      throw new Error(`Move import ${id}: ${counts.rowsIn} rows read but ${counts.applied + counts.already + counts.rejected} accounted for`);
    }
    await this.store.markCompleted(id, counts, rejectKey);
    return {
      importId: id,
      rowsIn: counts.rowsIn,
      applied: counts.applied,
      already: counts.already,
      rejected: counts.rejected,
      choicesEnded: counts.ended,
      choicesCarried: counts.carried,
    };
  }

  /**
   * One move in one transaction: its fingerprint (idempotence), the old address locked, its
   * choices ended for a family move, and carried through the choices service when asked.
   */
  private applyMove(move: MoveToApply): Promise<MoveOutcome> {
    return this.db.withTransaction(async (tx) => {
      const recorded = await this.store.recordMove(tx, move);
      // Recorded before: by another import it is "already"; by this one (a retried job that died
      // mid-way) it counts as applied, since its effects were committed with it.
      if (!recorded.fresh) return recorded.importId === move.importId ? { status: 'applied', ended: 0, carried: 0 } : { status: 'already' };
      const reference = `move-${recorded.id}`;
      const held = await this.choices.heldChoicesAt(tx, move.oldKey);
      if (!held || held.choices.length === 0) return { status: 'applied', ended: 0, carried: 0 };
      const ended = move.moveType === 'family' ? await this.choices.endChoicesAt(tx, held.deliveryPointId, held.choices, { actor: move.actor, reference }) : 0;
      let carried = 0;
      if (move.choicesFollow && move.newKey && move.newComponents && move.newKey !== move.oldKey) {
        const recordedNew = await this.choices.recordChoicesWith(tx, {
          keyedAddress: { key: move.newKey, components: move.newComponents },
          choices: Object.fromEntries(held.choices.map((choice) => [choice.slug, choice.accepted])),
          source: 'move',
          actor: move.actor,
          reference,
        });
        carried = recordedNew.changes.length;
      }
      return { status: 'applied', ended, carried };
    });
  }

  /** For purge-expired: deletes the files of imports finished before the cutoff. */
  async purgeExpired(cutoff: Date): Promise<{ imports: number; files: number; ids: number[] }> {
    const purged = { imports: 0, files: 0, ids: [] as number[] };
    for (const expired of await this.store.expiredFiles(cutoff)) {
      for (const key of expired.keys) {
        if (await this.files.exists(key)) purged.files++;
        await this.files.delete(key);
      }
      await this.store.markFilesPurged(expired.id);
      purged.imports++;
      purged.ids.push(expired.id);
    }
    return purged;
  }
}

function write(stream: NodeJS.WritableStream, row: unknown[]): Promise<void> {
  return new Promise((resolve) => {
    if (stream.write(row as unknown as string)) resolve();
    else stream.once('drain', resolve);
  });
}
