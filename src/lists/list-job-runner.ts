import { Readable } from 'node:stream';
import type { ListsConfig } from '../config';
import type { FileStorage } from '../lib/file-storage';
import type { RangeCounts } from './cleanse-range';
import { KeyHashTable } from './key-hash-table';
import { cleanseChunk, cleanseWhole, mergeChunks, prepareList, splitIntoChunks, type CleanseOutcome, type CleanseSettings, type ListChunk, type PreparedList, type PutOutput } from './list-cleanser';
import { ListInputError } from './list-dialect';
import type { ListSource } from './list-header';
import { buildSummary, type ListSummary } from './list-summary';
import type { ListJob, ListsStore } from './lists-store';
import type { RefusedKeysStore } from './refused-keys-store';
import { RefusedSets } from './refused-sets';

export const listFileKey = (id: string, kind: 'upload' | 'cleansed' | 'discards') => `lists/${id}/${kind}`;
const partKey = (id: string, index: number, kind: 'cleansed' | 'discards') => `lists/${id}/parts/${String(index).padStart(5, '0')}-${kind}`;
// The refused set of a chunked job, as of its snapshot: loaded from Postgres once, by the split.
const refusedSetKey = (id: string) => `lists/${id}/parts/refused-set`;

/** What the queue side needs from a run: report progress, and start the chunk flow when split. */
export interface RunHooks {
  progress(rows: number, bytes: number): Promise<void>;
  startChunks(chunks: ListChunk[]): Promise<void>;
}

export type CleanseRunResult = { status: 'completed'; summary: ListSummary } | { status: 'chunked'; chunks: number };

export function settingsOf(job: ListJob): CleanseSettings {
  return { mode: job.mode, dedupe: job.dedupe, keepUnreadable: job.keepUnreadable, mapping: job.mapping };
}

/**
 * Runs list jobs (the cleanse-list queue's processors call this): prepares the list, then either
 * cleanses it in one pass or splits it into chunks that several workers cleanse in parallel and
 * a merge puts back together in order. Bad input is a ListInputError: the job fails, no retry.
 */
export class ListJobRunner {
  // One worker runs many chunks of the same job: keep the last job's refused set.
  private cached?: { key: string; table: Promise<KeyHashTable> };
  private readonly refusedSets: RefusedSets;

  constructor(
    private readonly store: ListsStore,
    refusedKeys: RefusedKeysStore,
    private readonly storage: FileStorage,
    private readonly config: ListsConfig,
  ) {
    this.refusedSets = new RefusedSets(refusedKeys, storage);
  }

  private async source(job: ListJob): Promise<ListSource> {
    const key = listFileKey(job.id, 'upload');
    const size = await this.storage.size(key);
    if (size === undefined) throw new ListInputError('The uploaded file is no longer stored (it was deleted); upload the list again', 'UPLOAD_GONE');
    return { size, open: (range) => this.storage.get(key, range) };
  }

  /** The job's refused set: the copy its split stored when there is one, else the category's. */
  private refusedSet(job: ListJob): Promise<KeyHashTable> {
    const key = `${job.id}@${job.snapshotAt!.toISOString()}`;
    if (this.cached?.key !== key) {
      const table = this.storedRefusedSet(job.id).then(async (stored) => stored ?? (await this.refusedSets.load(job.categoryId, job.snapshotAt!)).table);
      this.cached = { key, table };
      table.catch(() => (this.cached = undefined));
    }
    return this.cached.table;
  }

  private async storedRefusedSet(id: string): Promise<KeyHashTable | undefined> {
    if (!(await this.storage.exists(refusedSetKey(id)))) return undefined;
    return KeyHashTable.fromBytes(this.storage.get(refusedSetKey(id)));
  }

  private put(id: string): PutOutput {
    return (kind, stream) => this.storage.put(listFileKey(id, kind), stream);
  }

  async runCleanse(id: string, hooks: RunHooks): Promise<CleanseRunResult> {
    const existing = await this.store.find(id);
    if (!existing) throw new ListInputError(`No list job ${id}`, 'NO_JOB');
    if (existing.status === 'completed') return { status: 'completed', summary: existing.summary! };
    const job = await this.store.markRunning(id);
    const startedAt = new Date();
    const source = await this.source(job);
    const prepared = await prepareList(source, job.mapping);
    const dataBytes = source.size - prepared.header.dataStart;
    if (!job.dedupe && dataBytes > this.config.chunkBytes) {
      // Postgres reads the refused set while this process finds the chunk boundaries; the set is
      // stored for the chunk workers, so that each of them reads a file instead of querying.
      const refused = this.refusedSet(job);
      const chunks = await splitIntoChunks(source, prepared, this.config.chunkBytes);
      if (chunks.length > 1) {
        await this.storage.put(refusedSetKey(id), Readable.from((await refused).toBytes()));
        await hooks.startChunks(chunks);
        return { status: 'chunked', chunks: chunks.length };
      }
    }
    const refused = await this.refusedSet(job);
    const seen = job.dedupe ? new KeyHashTable(1 << 16) : undefined;
    const outcome = await cleanseWhole(source, prepared, settingsOf(job), { refused, seen }, this.put(id), (rows, bytes) => void hooks.progress(rows, bytes));
    return { status: 'completed', summary: await this.finish(job, prepared, outcome, startedAt, 1) };
  }

  /** Cleanses one chunk into its part files and returns its counts (the merge adds them up). */
  async runChunk(id: string, chunk: ListChunk, hooks: Pick<RunHooks, 'progress'>): Promise<RangeCounts> {
    const job = await this.store.find(id);
    if (!job || !job.snapshotAt) throw new ListInputError(`No running list job ${id}`, 'NO_JOB');
    const source = await this.source(job);
    const prepared = await prepareList(source, job.mapping);
    const refused = await this.refusedSet(job);
    return cleanseChunk(source, prepared, chunk, settingsOf(job), refused, (kind, stream) => this.storage.put(partKey(id, chunk.index, kind), stream), (rows, bytes) =>
      void hooks.progress(rows, bytes),
    );
  }

  async runMerge(id: string, parts: { index: number; counts: RangeCounts }[]): Promise<ListSummary> {
    const job = await this.store.find(id);
    if (!job || !job.snapshotAt) throw new ListInputError(`No running list job ${id}`, 'NO_JOB');
    if (job.status === 'completed') return job.summary!;
    const source = await this.source(job);
    const prepared = await prepareList(source, job.mapping);
    const ordered = [...parts].sort((a, b) => a.index - b.index);
    const outcome = await mergeChunks(
      prepared,
      settingsOf(job),
      ordered.map((part) => ({ counts: part.counts, open: (kind) => this.storage.get(partKey(id, part.index, kind)) })),
      this.put(id),
    );
    const summary = await this.finish(job, prepared, outcome, job.startedAt ?? new Date(), ordered.length);
    await this.storage.deleteFolder(`lists/${id}/parts`);
    return summary;
  }

  private async finish(job: ListJob, prepared: PreparedList, outcome: CleanseOutcome, startedAt: Date, chunks: number): Promise<ListSummary> {
    const summary = buildSummary(
      {
        listName: job.listName,
        mailer: job.mailerName,
        category: { slug: job.categorySlug, name: job.categoryName },
        settings: settingsOf(job),
        dialect: prepared.header.dialect,
        headerFields: prepared.header.fields,
        input: { bytes: job.inputBytes, sha256: job.inputSha256 ?? '' },
        snapshotAt: job.snapshotAt!,
        freshnessDays: this.config.freshnessDays,
        startedAt,
        finishedAt: new Date(),
        chunks,
      },
      outcome,
    );
    await this.store.complete(job.id, summary);
    return summary;
  }

  async progress(id: string, rows: number, bytes: number): Promise<void> {
    await this.store.setProgress(id, rows, bytes);
  }

  async addProgress(id: string, rows: number, bytes: number): Promise<void> {
    await this.store.addProgress(id, rows, bytes);
  }

  async fail(id: string, message: string): Promise<void> {
    await this.store.fail(id, message);
  }
}
