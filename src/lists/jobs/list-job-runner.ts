import { Readable } from 'node:stream';
import type { ListsConfig } from '../../config';
import type { FileStorage } from '../../lib/file-storage';
import type { RangeCounts } from '../cleanse';
import { firstLinesOfChunk, indexFirstLines } from '../cleanse';
import { KeyHashTable, refusalsOfRange, type RangeRefusals } from '../cleanse';
import {
  cleanseChunk,
  cleanseWhole,
  hashChunkOutputs,
  mergeChunks,
  prepareList,
  splitIntoChunks,
  type ChunkHashes,
  type CleanseOutcome,
  type CleanseSettings,
  type ListChunk,
  type PreparedList,
  type PutOutput,
} from '../cleanse';
import { ListInputError } from '../cleanse';
import type { ListSource } from '../cleanse';
import { buildSummary, type ListSummary } from '../cleanse';
import type { ListJob, ListsStore } from '../lists-store';
import { storedListEncoding } from './list-encoding-store';
import type { RefusedKeysStore } from './refused-keys-store';
import { chunkCountKey, firstLinesKey, listEncodingKey, listFileKey, listPartsFolder, mergeKeys, partKey, pieceKey } from '../list-files';

// How often the hash job looks for the next part: a part is a few MB, written in a few tens of ms.
const PART_POLL_MS = 10;

/** Why a list's outputs are no longer worked on: it stopped running (failed, or was deleted). */
function notRunning(id: string, status: string | undefined, work: string): ListInputError {
  return new ListInputError(`List job ${id} is ${status ?? 'deleted'}: its outputs are no longer ${work}`, 'NOT_RUNNING');
}

/** Rows and bytes of a range done so far; `done` with its last figures (no throttle drops those). */
export type Progress = (rows: number, bytes: number, done?: boolean) => Promise<void>;

/**
 * What the queue side needs from a run: report progress, and start the flows when split — the
 * chunk flow (chunks, then their merge), or for a de-duplicated list first the key flow (each
 * chunk's keys, then the index, which starts the chunk flow). The split starts the chunk flow
 * with the first chunks it cuts (`total` unknown) and adds the others to it as it cuts them; the
 * index starts it with all of them.
 */
export interface RunHooks {
  progress: Progress;
  startChunks(chunks: ListChunk[], total?: number): Promise<void>;
  addChunks(chunks: ListChunk[]): Promise<void>;
  startKeyPass(chunks: ListChunk[]): Promise<void>;
}

// A chunked de-duplicated list is read twice, by its key pass and by its cleanse: each counts
// half of every row and byte, so that the progress moves through both and ends at the rows in.
const firstHalf =
  (progress: Progress): Progress =>
  (rows, bytes, done) =>
    progress(Math.floor(rows / 2), Math.floor(bytes / 2), done);
const secondHalf =
  (progress: Progress): Progress =>
  (rows, bytes, done) =>
    progress(rows - Math.floor(rows / 2), bytes - Math.floor(bytes / 2), done);

export type CleanseRunResult = { status: 'completed'; summary: ListSummary } | { status: 'chunked'; chunks: number };

export function settingsOf(job: ListJob): CleanseSettings {
  return { mode: job.mode, dedupe: job.dedupe, keepUnreadable: job.keepUnreadable, mapping: job.mapping };
}

/**
 * Runs list jobs (the cleanse-list queue's processors call this): prepares the list, then either
 * cleanses it in one pass or splits it into chunks that several workers cleanse in parallel and
 * a merge puts back together in order. A de-duplicated list's chunks are first read for their
 * keys, in parallel too, and indexed (first-lines.ts). Bad input is a ListInputError: the job
 * fails, no retry.
 */
export class ListJobRunner {
  // One worker runs many chunks of the same job: keep what the last job's chunks all need (its
  // upload's header and first-occurrence index).
  private cached?: { job: string; values: Map<'opened' | 'first-lines', Promise<unknown>> };

  constructor(
    private readonly store: ListsStore,
    private readonly refusedKeys: RefusedKeysStore,
    private readonly storage: FileStorage,
    private readonly config: ListsConfig,
    /** Told once a list has completed or failed (its mailer's webhook, lists/webhooks/); must not throw. */
    private readonly onFinished: (listId: string, event: 'list.completed' | 'list.failed') => Promise<void> = async () => undefined,
  ) {}

  private async source(job: ListJob): Promise<ListSource> {
    const key = listFileKey(job.id, 'upload');
    const size = await this.storage.size(key);
    if (size === undefined) throw new ListInputError('The uploaded file is no longer stored (it was deleted); upload the list again', 'UPLOAD_GONE');
    return { size, open: (range) => this.storage.readBlocks(key, range) };
  }

  private memo<T>(job: ListJob, name: 'opened' | 'first-lines', load: () => Promise<T>): Promise<T> {
    const key = `${job.id}@${job.snapshotAt!.toISOString()}`;
    if (this.cached?.job !== key) this.cached = { job: key, values: new Map() };
    const values = this.cached.values;
    let value = values.get(name) as Promise<T> | undefined;
    if (!value) {
      const loading = load();
      values.set(name, (value = loading));
      loading.catch(() => values.get(name) === loading && values.delete(name));
    }
    return value;
  }

  /**
   * A job that has started (it has its snapshot), or NO_JOB; NOT_RUNNING once it has failed (a
   * split that meets bad input further on may have handed chunks over before it did). `work`:
   * what the caller would do to its outputs, for the message.
   */
  private async runningJob(id: string, work: string): Promise<ListJob> {
    const job = await this.store.find(id);
    if (!job || !job.snapshotAt) throw new ListInputError(`No running list job ${id}`, 'NO_JOB');
    if (job.status === 'failed') throw notRunning(id, job.status, work);
    return job;
  }

  /** The job's upload and its header and address columns, read once per job by this worker. */
  private opened(job: ListJob): Promise<{ source: ListSource; prepared: PreparedList }> {
    return this.memo(job, 'opened', async () => {
      const source = await this.source(job);
      return { source, prepared: await this.prepared(job.id, source, job.mapping) };
    });
  }

  /** The list's header and address columns, in the encoding decided on all of its bytes. */
  private async prepared(id: string, source: ListSource, mapping: ListJob['mapping']): Promise<PreparedList> {
    return prepareList(source, mapping, await storedListEncoding(this.storage, listEncodingKey(id), source));
  }

  /**
   * The refusals of one range of the job's list (a chunk, or the whole list): its rows keyed and
   * their distinct keys looked up in the refusal index as of the job's snapshot, in batches
   * (range-refusals.ts). Only the range's own keys are read, whatever the size of the store.
   */
  private refusals(job: ListJob, source: ListSource, prepared: PreparedList, range: { start: number; end: number; firstLine: number }): Promise<RangeRefusals> {
    return refusalsOfRange(source, prepared, range, settingsOf(job), this.refusedKeys.lookup(job.categoryId, job.snapshotAt!));
  }

  /** A chunked de-duplicated job's first-occurrence index, as its index job stored it. */
  private firstLines(job: ListJob): Promise<KeyHashTable> {
    return this.memo(job, 'first-lines', async () => {
      const stored = await this.storedTable(firstLinesKey(job.id));
      if (!stored) throw new Error(`the first-occurrence index of list ${job.id} is not stored`);
      return stored;
    });
  }

  private async storedTable(key: string): Promise<KeyHashTable | undefined> {
    if (!(await this.storage.exists(key))) return undefined;
    return KeyHashTable.fromBytes(this.storage.readBlocks(key));
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
    const { source, prepared } = await this.opened(job);
    const dataBytes = source.size - prepared.header.dataStart;
    if (dataBytes > this.config.chunkBytes) {
      // A list is chunked once it has two chunks. Without de-duplication each chunk is handed to
      // the chunk flow as soon as it is cut, so that other workers cleanse while the split reads
      // on (each chunk looks up its own keys' refusals); the key pass of a de-duplicated list
      // needs every chunk at once.
      let handed = 0;
      let handing: Promise<unknown> = Promise.resolve();
      const hand = async (chunks: readonly ListChunk[]) => {
        if (chunks.length < 2 || chunks.length === handed) return;
        const batch = chunks.slice(handed);
        handing = handing.then(handed === 0 ? () => hooks.startChunks(batch) : () => hooks.addChunks(batch));
        handing.catch(() => undefined); // awaited below
        handed = chunks.length;
      };
      const chunks = await splitIntoChunks(source, prepared, this.config.chunkBytes, { cut: job.dedupe ? undefined : hand }).catch(async (error: unknown) => {
        // Bad input further on: the list fails once what was being handed over has been.
        await handing.catch(() => undefined);
        throw error;
      });
      if (chunks.length > 1) {
        if (job.dedupe) {
          await hooks.startKeyPass(chunks);
        } else {
          await hand(chunks);
          await handing;
          await this.storage.put(chunkCountKey(id), Readable.from([Buffer.from(String(chunks.length))]));
        }
        return { status: 'chunked', chunks: chunks.length };
      }
      // One chunk after all (a single record past the chunk size): cleansed in one pass below.
      await this.storage.deleteFolder(listPartsFolder(id));
    }
    const { refused, recorded } = await this.refusals(job, source, prepared, { start: prepared.header.dataStart, end: source.size, firstLine: prepared.header.firstDataLine });
    const seen = job.dedupe ? new KeyHashTable(1 << 16) : undefined;
    const outcome = await cleanseWhole(source, prepared, settingsOf(job), { refused, seen, recorded }, this.put(id), (rows, bytes) => void hooks.progress(rows, bytes));
    return { status: 'completed', summary: await this.finish(job, prepared, outcome, startedAt, 1) };
  }

  /** The key pass over one chunk of a de-duplicated list: stores its keys' first lines; returns how many keys. */
  async runKeys(id: string, chunk: ListChunk, hooks: Pick<RunHooks, 'progress'>): Promise<number> {
    const job = await this.runningJob(id, 'keyed');
    const { source, prepared } = await this.opened(job);
    const progress = firstHalf(hooks.progress);
    const { table, rows } = await firstLinesOfChunk(source, prepared, chunk, settingsOf(job), (rows, bytes) => void progress(rows, bytes));
    await this.storage.put(partKey(id, chunk.index, 'keys'), Readable.from(table.toBytes()));
    await progress(rows, chunk.end - chunk.start, true);
    return table.size;
  }

  /**
   * The key flow's parent: makes the first-occurrence index of the whole list from the chunks' key
   * parts, stores it for the chunk workers, and starts the chunk flow. Returns how many keys.
   */
  async runIndex(id: string, chunks: ListChunk[], hooks: Pick<RunHooks, 'startChunks'>): Promise<number> {
    const job = await this.runningJob(id, 'indexed');
    if (job.status === 'completed') return 0;
    chunks = [...chunks].sort((a, b) => a.index - b.index);
    // The chunks come back from the keys jobs: a missing one would lose its rows from the output.
    const { source, prepared: { header } } = await this.opened(job);
    const covered = chunks.every((chunk, i) => chunk.index === i && chunk.start === (i === 0 ? header.dataStart : chunks[i - 1]!.end));
    if (!covered || chunks.at(-1)?.end !== source.size) throw new Error(`the key pass of list ${id} does not cover the whole list (${chunks.length} chunks)`);
    const firstLines = await indexFirstLines(chunks.map((chunk) => ({ index: chunk.index, open: () => this.storage.readBlocks(partKey(id, chunk.index, 'keys')) })));
    await this.storage.put(firstLinesKey(id), Readable.from(firstLines.toBytes()));
    // This worker will likely cleanse some of the chunks: it keeps the index it has just made.
    void this.memo(job, 'first-lines', async () => firstLines);
    await hooks.startChunks(chunks, chunks.length);
    return firstLines.size;
  }

  /** Cleanses one chunk into its part files and returns its counts (the merge adds them up). */
  async runChunk(id: string, chunk: ListChunk, hooks: Pick<RunHooks, 'progress'>): Promise<RangeCounts> {
    const job = await this.runningJob(id, 'cleansed');
    const { source, prepared } = await this.opened(job);
    const { refused, recorded } = await this.refusals(job, source, prepared, chunk);
    const firstLines = job.dedupe ? await this.firstLines(job) : undefined;
    const progress = job.dedupe ? secondHalf(hooks.progress) : hooks.progress;
    // In suppress mode the cleansed part is the upload's kept rows: a range file, not a copy of them.
    const keptRanges = job.mode === 'suppress';
    const put: PutOutput = (kind, stream) =>
      kind === 'cleansed' && keptRanges ? this.storage.putRanges(pieceKey(id, chunk.index, kind), listFileKey(id, 'upload'), stream) : this.storage.put(pieceKey(id, chunk.index, kind), stream);
    const counts = await cleanseChunk(source, prepared, chunk, settingsOf(job), { refused, firstLines, recorded }, put, (rows, bytes) => void progress(rows, bytes), keptRanges);
    await progress(counts.rowsIn, chunk.end - chunk.start, true);
    return counts;
  }

  /**
   * The hash job of a chunked list (a child of its merge, run beside its chunks): hashes both
   * outputs from the chunks' parts in order, each part once its chunk has stored it, up to the
   * last chunk (`chunkCount`, or when the job started before the split had cut them all, the
   * count the split stores at its end).
   */
  async runHashes(id: string, chunkCount?: number): Promise<ChunkHashes> {
    const job = await this.runningJob(id, 'hashed');
    // Not this.opened: a hash job runs beside other lists' chunks, whose memo it would replace.
    const source = await this.source(job);
    const prepared = await this.prepared(id, source, job.mapping);
    const keys = mergeKeys(id);
    let count = chunkCount;
    return hashChunkOutputs(prepared, settingsOf(job), async (index, kind) => {
      const key = keys.part(index, kind);
      for (let polls = 1; ; polls++) {
        if (await this.storage.exists(key)) return this.storage.readBlocks(key);
        count ??= await this.storedChunkCount(id);
        if (count !== undefined && index >= count) return undefined;
        if (polls % 100 === 0) {
          const now = await this.store.find(id);
          if (now?.status !== 'running') throw notRunning(id, now?.status, 'hashed');
        }
        await new Promise((resolve) => setTimeout(resolve, PART_POLL_MS));
      }
    });
  }

  /** How many chunks the split cut, once it has stored it. */
  private async storedChunkCount(id: string): Promise<number | undefined> {
    if (!(await this.storage.exists(chunkCountKey(id)))) return undefined;
    let text = '';
    for await (const block of this.storage.readBlocks(chunkCountKey(id))) text += block.toString('utf8');
    const count = Number(text);
    if (!Number.isSafeInteger(count) || count < 2) throw new Error(`the chunk count of list ${id} is not a count of chunks: "${text}"`);
    return count;
  }

  async runMerge(id: string, parts: { index: number; counts: RangeCounts }[], hashes: ChunkHashes): Promise<ListSummary> {
    const job = await this.runningJob(id, 'merged');
    if (job.status === 'completed') return job.summary!;
    const { prepared } = await this.opened(job);
    const ordered = [...parts].sort((a, b) => a.index - b.index);
    // Every chunk the hash job hashed, once: a missing one would lose its rows from the output.
    if (ordered.length !== hashes.chunks || ordered.some((part, i) => part.index !== i)) {
      throw new Error(`the merge of list ${id} has ${ordered.length} chunks' results (${ordered.map((part) => part.index).join(', ')}), but its outputs were hashed from ${hashes.chunks} chunks`);
    }
    const outcome = await mergeChunks(prepared, settingsOf(job), ordered, hashes, this.storage, mergeKeys(id));
    const summary = await this.finish(job, prepared, outcome, job.startedAt ?? new Date(), ordered.length);
    await this.storage.deleteFolder(listPartsFolder(id));
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
    await this.onFinished(job.id, 'list.completed');
    return summary;
  }

  async progress(id: string, rows: number, bytes: number): Promise<void> {
    await this.store.setProgress(id, rows, bytes);
  }

  async addProgress(id: string, rows: number, bytes: number): Promise<void> {
    await this.store.addProgress(id, rows, bytes);
  }

  async fail(id: string, message: string): Promise<void> {
    if (await this.store.fail(id, message)) await this.onFinished(id, 'list.failed');
  }
}
