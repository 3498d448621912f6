import fs from 'node:fs';
import type { Express } from 'express';
import { projectPath } from '../../src/lib/project-path';
import { KeyHashTable } from '../../src/lists/cleanse';
import { cleanseWhole, prepareList, type ListChunk, type OutputKind } from '../../src/lists/cleanse';
import { ListJobRunner } from '../../src/lists/jobs/list-job-runner';
import { loadRefusedSet } from '../support/whole-refused-set';
import { ListsStore } from '../../src/lists/lists-store';
import { RefusedKeysStore } from '../../src/lists/jobs/refused-keys-store';
import { loadSampleChoices } from '../../src/lists/sample-choices';
import { duplicatesList } from '../support/duplicates-list';
import { startChunkingService, download, householdAddress, refuse, upload, waitForList } from '../support/lists-fixtures';
import { memorySource } from '../support/memory-list';
import type { TestRoot } from '../support/test-root';

/** 3,000 rows from 400 households, so most rows repeat a household first met in an earlier chunk. */
const LIST = duplicatesList(3_000, 400);

describe('de-duplicated lists are split into chunks too', () => {
  let root: TestRoot;
  let app: Express;
  let key: string;

  beforeAll(async () => {
    ({ root, app, key } = await startChunkingService('Twice Mailer'));
    // every seventh household refuses catalogs: some of their repeats are opted out, not duplicates
    await refuse(root, 'catalogs', Array.from({ length: 60 }, (_, i) => householdAddress(7 * (i + 1))));
  }, 90_000);
  afterAll(async () => {
    await root?.cleanup();
  });

  /** The one-pass cleanse of the list, in this process, as of a snapshot. */
  async function singlePass(mode: 'suppress' | 'flag', snapshotAt: Date) {
    const source = memorySource(LIST, 65536);
    const refused = await loadRefusedSet(new RefusedKeysStore(root.db), (await root.services.categories.requireActive('catalogs')).id, snapshotAt);
    const files: Record<OutputKind, Buffer[]> = { cleansed: [], discards: [] };
    const outcome = await cleanseWhole(source, await prepareList(source, {}), { mode, dedupe: true, keepUnreadable: false, mapping: {} }, { refused, seen: new KeyHashTable() }, async (kind, stream) => {
      for await (const chunk of stream) files[kind].push(chunk as Buffer);
    });
    return { ...outcome, cleansedBytes: Buffer.concat(files.cleansed), discardsBytes: Buffer.concat(files.discards) };
  }

  it.each(['suppress', 'flag'] as const)('give byte for byte the output of the single pass, with the same counts and summary (%s mode)', async (mode) => {
    const res = await upload(app, key, LIST, { category: 'catalogs', mode, dedupe: 'true' });
    const id = res.body.id as string;
    const done = await waitForList(app, key, id);
    expect(done.status).toBe('completed');
    const summary = JSON.parse(((await download(app, key, id, 'summary')).body as Buffer).toString());
    expect(summary.chunks).toBeGreaterThan(5);
    // it went through the key flow: one keys job per chunk, then the index
    const queue = root.queues.queue('cleanse-list');
    expect(await (await queue.getJob(`${id}-index`))!.getState()).toBe('completed');
    expect(await (await queue.getJob(`${id}-keys-${summary.chunks - 1}`))!.getState()).toBe('completed');

    const single = await singlePass(mode, new Date(done.snapshotAt));
    expect(((await download(app, key, id, 'cleansed')).body as Buffer).equals(single.cleansedBytes)).toBe(true);
    expect(((await download(app, key, id, 'discards')).body as Buffer).toString()).toBe(single.discardsBytes.toString());
    expect(summary.output).toEqual({ cleansedSha256: single.cleansed.sha256, cleansedBytes: single.cleansed.bytes, discardsSha256: single.discards.sha256, discardsBytes: single.discards.bytes });
    expect(summary.rows).toMatchObject({ in: single.counts.rowsIn, kept: single.counts.kept, discardedByReason: single.counts.discarded, blankLines: single.counts.blankLines });
    expect(done.counts.discardedByReason).toEqual(single.counts.discarded);
    expect(done.progress.rowsProcessed).toBe(single.counts.rowsIn);
    // the list has what the test is about
    expect(single.counts.discarded.DUPLICATE).toBeGreaterThan(1_500);
    expect(single.counts.discarded.OPTED_OUT).toBeGreaterThan(100);
    expect(single.counts.discarded.ADDRESS_UNREADABLE).toBeGreaterThan(40);
    expect(single.counts.discarded.MALFORMED_ROW).toBeGreaterThan(20);
    // the part files (key parts and index included) are cleaned up once merged
    for (const part of ['00000-keys', 'first-lines', 'refused-set', '00000-cleansed']) expect(await root.files.exists(`lists/${id}/parts/${part}`)).toBe(false);
  });

  it('retried key, index and chunk jobs give the same output; a chunk never runs on a missing index', async () => {
    const queue = root.queues.queue('cleanse-list');
    await queue.pause(); // this test plays the workers' part itself, step by step
    try {
      const id = (await upload(app, key, LIST, { category: 'catalogs', dedupe: 'true' })).body.id as string;
      // A fresh runner per step, as if each ran in another worker (no table kept in memory).
      const runner = () => new ListJobRunner(new ListsStore(root.db), new RefusedKeysStore(root.db), root.files, root.config.lists);
      const progress = async () => undefined;
      let chunks: ListChunk[] = [];
      const split = await runner().runCleanse(id, {
        progress,
        startChunks: async () => {
          throw new Error('a de-duplicated list starts with its keys');
        },
        addChunks: async () => {
          throw new Error('a de-duplicated list starts with its keys');
        },
        startKeyPass: async (found) => void (chunks = found),
      });
      expect(split).toMatchObject({ status: 'chunked' });
      expect(chunks.length).toBeGreaterThan(5);

      for (const chunk of chunks) await runner().runKeys(id, chunk, { progress });
      // a chunk cannot be cleansed before the index exists (it would keep every duplicate)
      await expect(runner().runChunk(id, chunks[1]!, { progress })).rejects.toThrow(/index .* is not stored/);
      // a keys job retried rewrites its part
      await runner().runKeys(id, chunks[2]!, { progress });
      // an index that dies after storing the index but before starting the chunks, retried
      const dying = runner().runIndex(id, chunks, {
        startChunks: async () => {
          throw new Error('killed');
        },
      });
      await expect(dying).rejects.toThrow('killed');
      // the chunks come back from the keys jobs (in any order); one missing is refused
      await expect(runner().runIndex(id, chunks.slice(0, -1), { startChunks: async () => undefined })).rejects.toThrow(/does not cover the whole list/);
      await expect(runner().runIndex(id, [chunks[0]!, ...chunks.slice(2)], { startChunks: async () => undefined })).rejects.toThrow(/does not cover the whole list/);
      let started: ListChunk[] = [];
      await runner().runIndex(id, [...chunks].reverse(), { startChunks: async (found) => void (started = found) });
      expect(started).toEqual(chunks);

      const parts = [];
      for (const chunk of chunks) parts.push({ index: chunk.index, counts: await runner().runChunk(id, chunk, { progress }) });
      parts[3] = { index: 3, counts: await runner().runChunk(id, chunks[3]!, { progress }) };
      const summary = await runner().runMerge(id, parts, await runner().runHashes(id, chunks.length));
      // an index retried after its list has completed does nothing
      let restarted = false;
      expect(await runner().runIndex(id, chunks, { startChunks: async () => void (restarted = true) })).toBe(0);
      expect(restarted).toBe(false);

      const job = (await new ListsStore(root.db).find(id))!;
      const single = await singlePass('suppress', job.snapshotAt!);
      expect(((await download(app, key, id, 'cleansed')).body as Buffer).equals(single.cleansedBytes)).toBe(true);
      expect(((await download(app, key, id, 'discards')).body as Buffer).toString()).toBe(single.discardsBytes.toString());
      expect(summary.rows.discardedByReason).toEqual(single.counts.discarded);
      expect(summary.rows.in).toBe(single.counts.rowsIn);
    } finally {
      await queue.resume();
    }
  });
});

describe('the sample list, de-duplicated in chunks against the sample choices', () => {
  let root: TestRoot;
  let app: Express;
  let key: string;

  beforeAll(async () => {
    ({ root, app, key } = await startChunkingService('Sample Mailer'));
    await loadSampleChoices({ db: root.db, choices: root.services.choices });
  }, 90_000);
  afterAll(async () => {
    await root?.cleanup();
  });

  it('finds the 777 duplicates the one pass finds (`mailpref cleanse … --dedupe`), in the same bytes', async () => {
    const list = fs.readFileSync(projectPath('sample-data', 'mailing-list.csv'));
    const res = await upload(app, key, list, { category: 'catalogs', dedupe: 'true' });
    const done = await waitForList(app, key, res.body.id);
    expect(done.status).toBe('completed');
    expect(done.counts).toMatchObject({ rowsIn: 3000, discardedByReason: { DUPLICATE: 777, OPTED_OUT: 1015, ADDRESS_UNREADABLE: 49, MALFORMED_ROW: 10 } });
    expect(JSON.parse(((await download(app, key, res.body.id, 'summary')).body as Buffer).toString()).chunks).toBeGreaterThan(5);

    const source = memorySource(list, 65536);
    const refused = await loadRefusedSet(new RefusedKeysStore(root.db), (await root.services.categories.requireActive('catalogs')).id, new Date(done.snapshotAt));
    const cleansed: Buffer[] = [];
    await cleanseWhole(source, await prepareList(source, {}), { mode: 'suppress', dedupe: true, keepUnreadable: false, mapping: {} }, { refused, seen: new KeyHashTable() }, async (kind, stream) => {
      for await (const chunk of stream) if (kind === 'cleansed') cleansed.push(chunk as Buffer);
    });
    expect(((await download(app, key, res.body.id, 'cleansed')).body as Buffer).equals(Buffer.concat(cleansed))).toBe(true);
  });
});
