import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { CategoriesService } from '../categories/categories-service';
import type { ListsConfig } from '../config';
import type { FileStorage } from '../lib/file-storage';
import { AppError, BadRequestError, ConflictError, NotFoundError } from '../lib/errors';
import { isUuid } from '../lib/ids';
import type { MailerIdentity } from '../mailers/mailers-service';
import { ADDRESS_FIELDS, findAddressColumns, parseColumnMapping, type AddressField, type ColumnMapping } from './cleanse';
import { DELIMITER_NAMES, ListInputError } from './cleanse';
import { readListHeader } from './cleanse';
import { EncodingScan } from './cleanse';
import { storedListEncoding, storeListEncoding } from './jobs/list-encoding-store';
import type { ListQueue } from './jobs/cleanse-flow';
import { listEncodingKey, listFileKey, listFolder, listPartsFolder } from './list-files';
import type { ListJob, ListsStore, NewListJob } from './lists-store';

export interface ListOptionsInput {
  category?: string;
  mode?: string;
  dedupe?: string | boolean;
  keepUnreadable?: string | boolean;
  mapping?: unknown;
}

export interface ColumnPreview {
  /** The header row as read. */
  header: string[];
  encoding: string;
  delimiter: string;
  /** Each address field and the header of the column it is read from (none: the list has no such column). */
  columns: { field: AddressField; header: string | undefined }[];
}

/** The queue side of list jobs (BullMQ: jobs/cleanse-flow.ts). */
export type ListJobsQueue = Pick<ListQueue, 'enqueue' | 'state' | 'clear'>;

function flag(value: string | boolean | undefined, name: string): boolean {
  if (value === undefined || value === '' || value === false) return false;
  if (value === true) return true;
  const text = value.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(text)) return true;
  if (['0', 'false', 'no', 'off'].includes(text)) return false;
  throw new BadRequestError(`${name} must be true or false, got "${value}"`, { field: name });
}

// jsonb keeps an object's keys in an order of its own.
function sameMapping(a: object, b: object): boolean {
  const entries = (mapping: object) => JSON.stringify(Object.entries(mapping).sort(([x], [y]) => x.localeCompare(y)));
  return entries(a) === entries(b);
}

// A list still queued or running this long is stuck whatever the retention (a 10M-row list takes minutes).
const STUCK_AFTER_MS = 24 * 3600 * 1000;


/** 2147483648 → "2 GiB": the 413 names the limit in words a person reads. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1 && value % 1024 === 0) {
    value /= 1024;
    unit++;
  }
  return `${value} ${units[unit]}`;
}

/**
 * The 409 for a list's outputs asked for before they exist: a failed list never will have them,
 * and says why; one still in progress will.
 */
export function notReady(job: Pick<ListJob, 'status' | 'error'>, what: string): ConflictError {
  if (job.status === 'failed') {
    return new ConflictError(`The list failed${job.error ? `: ${job.error}` : ''}. It has no ${what}: correct the file and upload it again`, 'LIST_FAILED');
  }
  return new ConflictError(`The list is ${job.status}; ${what} ${what.endsWith('s') ? 'are' : 'is'} ready when it has completed`, 'NOT_READY');
}

/** How long queueing a list waits for Redis before answering with the list recorded as queued. */
const ENQUEUE_WAIT_MS = 2_000;

/** The mailer side of lists: uploads, their jobs, the files they produce; one mailer never sees another's. */
export class ListsService {
  constructor(
    private readonly store: ListsStore,
    private readonly categories: CategoriesService,
    private readonly storage: FileStorage,
    private readonly config: ListsConfig,
    private readonly queue: ListJobsQueue,
  ) {}

  /**
   * Queues a list's job, waiting for Redis at most ENQUEUE_WAIT_MS: while Redis is down or
   * restarting the list stays recorded as queued and the request is answered, and its job is
   * added once Redis is back — by the command still waiting on the connection, or else by the
   * lists' watchdog, which queues again a queued list that has no job (the job's id is the list's,
   * so it is added once).
   */
  private async enqueue(listId: string): Promise<void> {
    const adding = this.queue.enqueue(listId);
    let timer: NodeJS.Timeout | undefined;
    const waited = await Promise.race([
      adding.then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ENQUEUE_WAIT_MS))),
    ]).finally(() => clearTimeout(timer));
    if (!waited) adding.catch(() => undefined); // the watchdog queues it
  }

  get maxUploadBytes(): number {
    return this.config.maxUploadBytes;
  }

  newListId(): string {
    return randomUUID();
  }

  /**
   * Streams an upload into storage with its SHA-256 and its encoding, decided on every byte as
   * they pass (stored beside it); the file appears only when complete.
   */
  async receiveUpload(listId: string, file: Readable): Promise<{ bytes: number; sha256: string }> {
    const hash = createHash('sha256');
    const scan = new EncodingScan();
    const { bytes } = await this.storage.put(
      listFileKey(listId, 'upload'),
      (async function* () {
        for await (const chunk of file) {
          hash.update(chunk as Buffer);
          scan.push(chunk as Buffer);
          yield chunk as Buffer;
        }
      })(),
    );
    // An empty or binary file has no encoding: it is refused when its header is read, as before.
    const encoding = (() => {
      try {
        return scan.end();
      } catch (error) {
        if (error instanceof ListInputError) return undefined;
        throw error;
      }
    })();
    if (encoding) await storeListEncoding(this.storage, listEncodingKey(listId), encoding);
    return { bytes, sha256: hash.digest('hex') };
  }

  async discardUpload(listId: string): Promise<void> {
    await this.storage.deleteFolder(listFolder(listId));
  }

  /**
   * Every problem with an upload's options, not only the first (a form shows them all at once);
   * with none, the job they describe.
   */
  async checkOptions(options: ListOptionsInput, upload: { bytes: number }): Promise<{ problems: AppError[]; job?: Omit<NewListJob, 'id' | 'mailerId' | 'listName' | 'inputSha256'> }> {
    const problems: AppError[] = [];
    let categoryId: number | undefined;
    if (!options.category) problems.push(new BadRequestError('Say which category the mailing is for: the `category` field (e.g. catalogs)', { field: 'category' }, 'MISSING_CATEGORY'));
    else {
      try {
        categoryId = (await this.categories.requireActive(options.category)).id;
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        problems.push(error);
      }
    }
    const mode = options.mode || 'suppress';
    if (mode !== 'suppress' && mode !== 'flag') problems.push(new BadRequestError(`mode must be "suppress" or "flag", got "${mode}"`, { field: 'mode' }));
    const checked = <T>(read: () => T, field?: string): T | undefined => {
      try {
        return read();
      } catch (error) {
        if (error instanceof AppError) problems.push(error);
        else if (error instanceof ListInputError) problems.push(new BadRequestError(error.message, { field }));
        else throw error;
        return undefined;
      }
    };
    const dedupe = checked(() => flag(options.dedupe, 'dedupe'));
    const keepUnreadable = checked(() => flag(options.keepUnreadable, 'keep_unreadable'));
    const mapping = checked(() => parseColumnMapping(options.mapping), 'mapping');
    if (upload.bytes === 0) problems.push(new BadRequestError('The file is empty (0 bytes): a list needs a header row and at least one row', { field: 'file' }, 'EMPTY_FILE'));
    if (problems.length > 0) return { problems };
    return { problems, job: { categoryId: categoryId!, mode: mode as 'suppress' | 'flag', dedupe: dedupe!, keepUnreadable: keepUnreadable!, mapping: mapping!, inputBytes: upload.bytes } };
  }

  /**
   * Validates the options, records the job and queues it. A bad option deletes the upload. With an
   * idempotency key the mailer used before, the upload is deleted and the earlier job returned
   * (its id differs from listId), so a retried upload never makes a second job.
   */
  async submit(mailer: MailerIdentity, listId: string, listName: string, options: ListOptionsInput, upload: { bytes: number; sha256: string }, idempotencyKey?: string): Promise<ListJob> {
    if (idempotencyKey !== undefined && (idempotencyKey.length === 0 || idempotencyKey.length > 255)) {
      await this.discardUpload(listId);
      throw new BadRequestError('The Idempotency-Key header must be 1 to 255 characters', { field: 'Idempotency-Key' });
    }
    const job = await this.newJob(mailer, listId, listName, options, upload, idempotencyKey);
    const inserted = await this.store.insert(job);
    if (!inserted) return this.replay(mailer, job, idempotencyKey!);
    await this.enqueue(listId);
    return (await this.store.find(listId))!;
  }

  /** The job the options describe, or their first problem thrown (the upload deleted). */
  private async newJob(mailer: MailerIdentity, listId: string, listName: string, options: ListOptionsInput, upload: { bytes: number; sha256: string }, idempotencyKey?: string): Promise<NewListJob> {
    const checked = await this.checkOptions(options, upload);
    if (!checked.job) {
      await this.discardUpload(listId);
      throw checked.problems[0]!;
    }
    return { ...checked.job, id: listId, mailerId: mailer.mailerId, listName: listName.slice(0, 255) || 'list.csv', inputSha256: upload.sha256, idempotencyKey };
  }

  /**
   * A portal upload: the list is recorded as a draft, not queued, once its header has been read
   * and its address columns found, so the mailer sees which columns will be used before the job
   * starts (start()). Every problem comes back together; the upload is then deleted.
   */
  async prepare(mailer: MailerIdentity, listId: string, listName: string, options: ListOptionsInput, upload: { bytes: number; sha256: string }): Promise<{ problems: AppError[]; job?: ListJob }> {
    const checked = await this.checkOptions(options, upload);
    if (checked.job) {
      try {
        await this.columnsOf(listId, checked.job.mapping);
      } catch (error) {
        if (!(error instanceof ListInputError)) throw error;
        const field = error.code === 'MAPPING_NOT_FOUND' || error.code === 'NO_ADDRESS_COLUMN' ? 'mapping' : 'file';
        checked.problems.push(new BadRequestError(error.message, { field }, error.code));
      }
    }
    if (checked.problems.length > 0 || !checked.job) {
      await this.discardUpload(listId);
      return { problems: checked.problems };
    }
    await this.store.insert({ ...checked.job, id: listId, mailerId: mailer.mailerId, listName: listName.slice(0, 255) || 'list.csv', inputSha256: upload.sha256, status: 'draft' });
    return { problems: [], job: (await this.store.find(listId))! };
  }

  /** What a draft's preview shows: the header read and the column each address field comes from. */
  async columnPreview(job: ListJob): Promise<ColumnPreview> {
    return this.columnsOf(job.id, job.mapping);
  }

  private async columnsOf(listId: string, mapping: ColumnMapping): Promise<ColumnPreview> {
    const key = listFileKey(listId, 'upload');
    const size = (await this.storage.size(key)) ?? 0;
    const source = { size, open: (range?: { start: number; end: number }) => this.storage.readBlocks(key, range) };
    const header = await readListHeader(source, await storedListEncoding(this.storage, listEncodingKey(listId), source));
    const columns = findAddressColumns(header.fields, mapping);
    return {
      header: header.fields,
      encoding: header.dialect.encoding,
      delimiter: DELIMITER_NAMES[header.dialect.delimiter],
      columns: ADDRESS_FIELDS.map((field) => ({ field, header: columns[field] === undefined ? undefined : header.fields[columns[field]!] })),
    };
  }

  /** Queues a draft (the mailer has seen its columns); a list already started is left as it is. */
  async start(mailer: MailerIdentity, id: string): Promise<ListJob> {
    const job = await this.get(mailer, id);
    if (job.status !== 'draft') return job;
    if (await this.store.queueDraft(id)) await this.enqueue(id);
    return (await this.store.find(id))!;
  }

  /** The job an earlier upload with this key made, if this upload is the same request again. */
  private async replay(mailer: MailerIdentity, retried: NewListJob, key: string): Promise<ListJob> {
    await this.discardUpload(retried.id);
    const earlier = (await this.store.findByIdempotencyKey(mailer.mailerId, key))!;
    const same =
      earlier.inputSha256 === retried.inputSha256 &&
      earlier.categoryId === retried.categoryId &&
      earlier.mode === retried.mode &&
      earlier.dedupe === retried.dedupe &&
      earlier.keepUnreadable === retried.keepUnreadable &&
      sameMapping(earlier.mapping, retried.mapping);
    if (!same) throw new ConflictError(`The Idempotency-Key "${key}" was used for list ${earlier.id} with a different file or options; use a new key for a new upload`, 'IDEMPOTENCY_KEY_REUSED');
    return earlier;
  }

  list(mailer: MailerIdentity): Promise<ListJob[]> {
    return this.store.listForMailer(mailer.mailerId);
  }

  /** Another mailer's job is "not found", exactly like a job that does not exist. */
  async get(mailer: MailerIdentity, id: string): Promise<ListJob> {
    const job = isUuid(id) ? await this.store.findForMailer(mailer.mailerId, id) : undefined;
    if (!job) throw new NotFoundError(`No list ${id}`, 'LIST_NOT_FOUND');
    return job;
  }

  /** A finished output; nothing is served before the job completed, so no partial file ever is. */
  async openOutput(mailer: MailerIdentity, id: string, kind: 'cleansed' | 'discards'): Promise<{ job: ListJob; stream: Readable; bytes: number }> {
    const job = await this.get(mailer, id);
    if (job.status !== 'completed') throw notReady(job, 'files');
    const key = listFileKey(id, kind);
    const bytes = await this.storage.size(key);
    if (job.filesDeletedAt || bytes === undefined) throw new NotFoundError('The files of this list have been deleted; the summary is kept', 'FILES_DELETED');
    return { job, stream: this.storage.get(key), bytes };
  }

  /** Deletes the list's files now; the job row and its summary stay. */
  async deleteFiles(mailer: MailerIdentity, id: string): Promise<ListJob> {
    const job = await this.get(mailer, id);
    if (job.status === 'queued' || job.status === 'running') throw new ConflictError('The list is still being processed; delete it when it has finished', 'LIST_BUSY');
    // A draft deleted is an upload cancelled: nothing of it stays.
    if (job.status === 'draft') {
      await this.discardUpload(id);
      await this.store.deleteDraft(id);
      return job;
    }
    await this.storage.deleteFolder(listFolder(id));
    await this.store.markFilesDeleted(id);
    return (await this.store.find(id))!;
  }

  /**
   * Runs a list again from its upload: a failed one, or one left queued or running with no job to
   * finish it (the watchdog settles those too, list-watchdog.ts). Its old jobs are cleared so that
   * the new run uses the same job ids; it keeps the snapshot it was first given, as every retry of
   * a list does (a choice recorded since applies to the next list), and its progress starts again.
   */
  async retry(id: string): Promise<ListJob> {
    const job = isUuid(id) ? await this.store.find(id) : undefined;
    if (!job) throw new NotFoundError(`No list ${id}`, 'LIST_NOT_FOUND');
    if (job.status === 'completed' || job.status === 'draft') throw new ConflictError(`List ${id} is ${job.status}: only a failed list can be run again`, 'LIST_NOT_FAILED');
    if (job.status !== 'failed' && (await this.queue.state(id)).live) throw new ConflictError(`List ${id} is ${job.status}, and its jobs are still at work`, 'LIST_BUSY');
    if (job.filesDeletedAt || !(await this.storage.exists(listFileKey(id, 'upload')))) {
      throw new ConflictError(`The upload of list ${id} has been deleted; the list must be uploaded again`, 'FILES_DELETED');
    }
    await this.queue.clear(id);
    await this.storage.deleteFolder(listPartsFolder(id));
    if (!(await this.store.requeue(id))) throw new ConflictError(`List ${id} changed while it was being queued again; look at it again`, 'LIST_BUSY');
    await this.enqueue(id);
    return (await this.store.find(id))!;
  }

  /**
   * Re-queues lists still marked queued (e.g. after Redis lost its data); BullMQ ignores the ones
   * it still has. The operator's scheduled or run-now "cleanse-list" job calls this. (Expired
   * files are deleted by purgeExpired, which the purge-expired job calls.)
   */
  async requeuePending(): Promise<number> {
    const queued = await this.store.listByStatus('queued');
    for (const job of queued) await this.enqueue(job.id);
    return queued.length;
  }

  /**
   * For purge-expired: deletes the files of lists finished (or drafts left) before the cutoff, the
   * rows and summaries staying; a list still queued or running since before it and for a day
   * (`stuck`: no list takes that long) is failed first, with the reason.
   */
  async purgeExpired(cutoff: Date, now = new Date()): Promise<{ jobs: number; ids: string[]; stuck: number }> {
    const purged = { jobs: 0, ids: [] as string[], stuck: 0 };
    for (const { id, stuck } of await this.store.expiredJobs(cutoff, new Date(now.getTime() - STUCK_AFTER_MS))) {
      if (stuck) {
        const days = Math.round((now.getTime() - cutoff.getTime()) / 86_400_000);
        await this.store.fail(id, `Processing never finished: the list was still waiting or running after the ${days}-day retention window, and its files were deleted; upload it again`);
        purged.stuck++;
      }
      await this.storage.deleteFolder(listFolder(id));
      await this.store.markFilesDeleted(id);
      purged.jobs++;
      purged.ids.push(id);
    }
    return purged;
  }
}

export { ListInputError };
