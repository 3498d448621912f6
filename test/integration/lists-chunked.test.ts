import fs from 'node:fs';
import path from 'node:path';
import type { FileStorage, LocalFileStorage } from '../../src/lib/file-storage';
import { createHash } from 'node:crypto';
import type { Express } from 'express';
import { projectPath } from '../../src/lib/project-path';
import { processCleanseList } from '../../src/lists/jobs/cleanse-flow';
import { ListJobRunner } from '../../src/lists/jobs/list-job-runner';
import { loadRefusedSet } from '../support/whole-refused-set';
import { ListsStore } from '../../src/lists/lists-store';
import { RefusedKeysStore } from '../../src/lists/jobs/refused-keys-store';
import { cleanseWhole, prepareList, type OutputKind } from '../../src/lists/cleanse';
import type { TestRoot } from '../support/test-root';
import { memorySource } from '../support/memory-list';
import { waitFor } from '../support/wait-for';
import { startChunkingService, download, gatheringHooks, householdAddress, refuse, upload, waitForList } from '../support/lists-fixtures';

/** The sample list with rows whose quoted fields hold line breaks, so some straddle chunk boundaries. */
function trickyList(): Buffer {
  const lines = fs.readFileSync(projectPath('sample-data', 'mailing-list.csv'), 'utf8').split('\r\n');
  const out = lines.map((line, i) => (i > 0 && i % 37 === 0 && line.startsWith('J') ? `"${line.split(',')[0]}\r\nand family"${line.slice(line.indexOf(','))}` : line));
  return Buffer.from(out.join('\r\n'));
}

describe('large lists are split into chunks that several workers cleanse in parallel', () => {
  let root: TestRoot;
  let app: Express;
  let key: string;

  beforeAll(async () => {
    ({ root, app, key } = await startChunkingService('Chunky Mailer'));
    // every fifth household of the sample list refuses catalogs
    await refuse(root, 'catalogs', Array.from({ length: 500 }, (_, i) => householdAddress(5 * (i + 1))));
  }, 90_000);
  afterAll(async () => {
    await root?.cleanup();
  });

  it.each(['suppress', 'flag'] as const)('gives byte for byte the output of the single pass (%s mode)', async (mode) => {
    const list = trickyList();
    const res = await upload(app, key, list, { category: 'catalogs', mode });
    const done = await waitForList(app, key, res.body.id);
    expect(done.status).toBe('completed');
    const chunked = { cleansed: (await download(app, key, res.body.id, 'cleansed')).body as Buffer, discards: (await download(app, key, res.body.id, 'discards')).body as Buffer };
    const summary = (await download(app, key, res.body.id, 'summary')).body as Buffer;
    expect(JSON.parse(summary.toString()).chunks).toBeGreaterThan(5);

    // The single pass, in this process, on the same bytes and the same snapshot.
    const source = memorySource(list, 65536);
    const prepared = await prepareList(source, {});
    const refused = await loadRefusedSet(new RefusedKeysStore(root.db), (await root.services.categories.requireActive('catalogs')).id, new Date(done.snapshotAt));
    const single: Record<OutputKind, Buffer[]> = { cleansed: [], discards: [] };
    const outcome = await cleanseWhole(source, prepared, { mode, dedupe: false, keepUnreadable: false, mapping: {} }, { refused }, async (kind, stream) => {
      for await (const chunk of stream) single[kind].push(chunk as Buffer);
    });
    expect(chunked.cleansed.equals(Buffer.concat(single.cleansed))).toBe(true);
    expect(chunked.discards.toString()).toBe(Buffer.concat(single.discards).toString());
    expect(done.counts).toMatchObject({ rowsIn: outcome.counts.rowsIn, kept: outcome.counts.kept });
    expect(outcome.counts.discarded.OPTED_OUT).toBeGreaterThan(100);
    expect(outcome.counts.discarded.MALFORMED_ROW).toBeGreaterThan(0);
    // What the chunks stored for the cleansed file: in suppress mode the kept rows' ranges of the
    // upload (a few bytes a run of rows), in flag mode the rows themselves, flagged.
    const pieces = path.join((root.files as LocalFileStorage).root, 'lists', res.body.id, 'pieces');
    const stored = fs
      .readdirSync(pieces)
      .filter((name) => name.includes('cleansed'))
      .reduce((sum, name) => sum + fs.statSync(path.join(pieces, name)).size, 0);
    if (mode === 'suppress') expect(stored).toBeLessThan(chunked.cleansed.length / 3);
    else expect(stored).toBeGreaterThan(chunked.cleansed.length * 0.9);
    // the parts the chunks shared (the refused set) are cleaned up once merged
    expect(await root.files.exists(`lists/${res.body.id}/parts/refused-set`)).toBe(false);
  });

  it('hands each chunk over as the split cuts it, and hashes the outputs while the chunks run: each part once its chunk has stored it, in list order', async () => {
    const queue = root.queues.queue('cleanse-list');
    await queue.pause(); // this test plays the workers' part itself
    try {
      const id = (await upload(app, key, trickyList(), { category: 'catalogs', mode: 'flag' })).body.id as string;
      const runner = () => new ListJobRunner(new ListsStore(root.db), new RefusedKeysStore(root.db), root.files, root.config.lists);
      const progress = async () => undefined;
      const countStored = () => root.files.exists(`lists/${id}/parts/chunk-count`);
      const { hooks, chunks, batches } = gatheringHooks({ progress });
      let countStoredAtStart: boolean | undefined;
      const startChunks = hooks.startChunks;
      hooks.startChunks = async (found, total) => {
        countStoredAtStart = await countStored();
        expect(total).toBeUndefined(); // the split does not know yet how many there will be
        await startChunks(found, total);
      };
      await runner().runCleanse(id, hooks);
      expect(chunks.length).toBeGreaterThan(5);
      expect(chunks.map((chunk) => chunk.index)).toEqual(chunks.map((_, i) => i));
      // The flow started before the split had ended (this small list is read in one block, so it
      // started with all its chunks but the last; splitIntoChunks's own test shows the cuts one by one).
      expect(batches.length).toBeGreaterThanOrEqual(2);
      expect(batches[0]!.length).toBeLessThan(chunks.length);
      expect(countStoredAtStart).toBe(false);
      expect(await countStored()).toBe(true);
      // The hash job starts first and waits; it learns how many chunks there are from the split.
      // The chunks finish last to first.
      let hashed = false;
      const hashing = runner()
        .runHashes(id)
        .finally(() => (hashed = true));
      const parts = [];
      for (const chunk of [...chunks].reverse()) {
        parts.push({ index: chunk.index, counts: await runner().runChunk(id, chunk, { progress }) });
        await new Promise((resolve) => setTimeout(resolve, 30));
        if (chunk.index > 0) expect(hashed).toBe(false); // it needs chunk 0 first, which is stored last
      }
      const hashes = await hashing;
      expect(hashes.chunks).toBe(chunks.length);
      // A merge missing a chunk's result would lose its rows: it fails instead.
      await expect(runner().runMerge(id, parts.slice(1), hashes)).rejects.toThrow(`but its outputs were hashed from ${chunks.length} chunks`);
      const summary = await runner().runMerge(id, parts, hashes);
      for (const kind of ['cleansed', 'discards'] as const) {
        const file = (await download(app, key, id, kind)).body as Buffer;
        expect(hashes[kind]).toEqual({ sha256: createHash('sha256').update(file).digest('hex'), bytes: file.length });
      }
      expect(summary.output).toEqual({ cleansedSha256: hashes.cleansed.sha256, cleansedBytes: hashes.cleansed.bytes, discardsSha256: hashes.discards.sha256, discardsBytes: hashes.discards.bytes });
    } finally {
      await queue.resume();
    }
  });

  it('retries a split that died after handing over chunks: the same chunks again, and the single pass’s output', async () => {
    const queue = root.queues.queue('cleanse-list');
    await queue.pause(); // this test runs the upload's own job itself, twice
    let id = '';
    try {
      const list = trickyList();
      id = (await upload(app, key, list, { category: 'catalogs' })).body.id as string;
      const job = (await queue.getJob(id))!;
      // Storage on which the split's last step fails once, as if its worker died there: after it
      // had handed every chunk over, before it stored how many there are.
      let dies = true;
      const files: FileStorage = Object.create(root.files);
      files.put = async (fileKey, source) => {
        if (dies && fileKey.endsWith('/chunk-count')) {
          dies = false;
          throw new Error('the worker died');
        }
        return root.files.put(fileKey, source);
      };
      const services = { listJobs: new ListJobRunner(new ListsStore(root.db), new RefusedKeysStore(root.db), files, root.config.lists), lists: root.services.lists };
      await expect(processCleanseList(services, root.queues, job)).rejects.toThrow('the worker died');
      const merge = (await queue.getJob(`${id}-merge`))!;
      expect(await merge.getState()).toBe('waiting-children');
      const handed = Object.keys((await merge.getDependencies()).unprocessed ?? {}).length;
      expect(handed).toBeGreaterThan(5);
      expect((await new ListsStore(root.db).find(id))!.status).toBe('running'); // it will be retried
      await processCleanseList(services, root.queues, job); // the retry
      // Handed over again, the same chunks are the same jobs, not new ones.
      expect(Object.keys((await merge.getDependencies()).unprocessed ?? {}).length).toBe(handed);
      await job.remove();
    } finally {
      await queue.resume();
    }
    const done = await waitForList(app, key, id);
    expect(done.status).toBe('completed');
    const summary = JSON.parse(((await download(app, key, id, 'summary')).body as Buffer).toString());
    expect(summary.chunks).toBeGreaterThan(5);
    const source = memorySource(trickyList(), 65536);
    const refused = await loadRefusedSet(new RefusedKeysStore(root.db), (await root.services.categories.requireActive('catalogs')).id, new Date(done.snapshotAt));
    const single: Buffer[] = [];
    await cleanseWhole(source, await prepareList(source, {}), { mode: 'suppress', dedupe: false, keepUnreadable: false, mapping: {} }, { refused }, async (kind, stream) => {
      for await (const chunk of stream) if (kind === 'cleansed') single.push(chunk as Buffer);
    });
    expect(((await download(app, key, id, 'cleansed')).body as Buffer).equals(Buffer.concat(single))).toBe(true);
  });

  it('fails the list when the split meets bad input after it has handed chunks over, and keeps the reason', async () => {
    // Rows for several chunks, then one "row" of 1.2 MB with no line break: the split hands the
    // first chunks over in its first read, and fails in its second.
    const rows = trickyList();
    const list = Buffer.concat([rows, Buffer.from('\r\n'), Buffer.alloc(1_200_000, 0x61), Buffer.from('\r\n')]);
    const id = (await upload(app, key, list, { category: 'catalogs' })).body.id as string;
    const done = await waitForList(app, key, id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/^line \d+: a record longer than 1048576 bytes; the file is probably not a CSV list$/);
    // The chunks it had handed over were under a merge that now fails with its hash job, which
    // stops waiting for the chunks the split never cut; nothing puts another reason on the list.
    const queue = root.queues.queue('cleanse-list');
    const merge = (await queue.getJob(`${id}-merge`))!;
    expect(merge).toBeDefined();
    await waitFor(async () => ((await merge.getState()) === 'failed' ? true : undefined), 30_000, 'the merge to fail');
    const hash = (await root.queues.queue('cleanse-list-hash').getJob(`${id}-hash`))!;
    await waitFor(async () => ((await hash.getState()) === 'failed' ? true : undefined), 30_000, 'the hash job to fail');
    expect((await root.queues.queue('cleanse-list-hash').getJob(`${id}-hash`))!.failedReason).toContain('its outputs are no longer hashed');
    expect((await new ListsStore(root.db).find(id))!.error).toBe(done.error);
    expect((await download(app, key, id, 'cleansed')).status).toBe(409);
  });

  it('cleanses in one pass a list just over the chunk size whose only cut would be its end', async () => {
    // Rows of 1,000 bytes: the first record end at 16 KiB or more (the chunk size here) is the
    // list's end, so the split cuts one chunk, and nothing is left of it.
    const header = 'name,address1,city,state,zip';
    const rows = Array.from({ length: 17 }, (_, i) => `${'x'.repeat(1000 - 40)},${100 + i} Main St,Springfield,IL,62704`.padEnd(999, ' '));
    const list = Buffer.from([header, ...rows].join('\n') + '\n');
    expect(list.length - header.length - 1).toBeGreaterThan(16384);
    const id = (await upload(app, key, list, { category: 'catalogs' })).body.id as string;
    const done = await waitForList(app, key, id);
    expect(done).toMatchObject({ status: 'completed', counts: { rowsIn: 17 } });
    expect(JSON.parse(((await download(app, key, id, 'summary')).body as Buffer).toString()).chunks).toBe(1);
    expect(fs.existsSync(path.join((root.files as LocalFileStorage).root, 'lists', id, 'parts'))).toBe(false);
    expect((await download(app, key, id, 'cleansed')).body.toString()).toBe(list.toString());
  });

  it('stops hashing when the list fails while the hash job waits for a part', async () => {
    const queue = root.queues.queue('cleanse-list');
    await queue.pause();
    try {
      const id = (await upload(app, key, trickyList(), { category: 'catalogs' })).body.id as string;
      const runner = new ListJobRunner(new ListsStore(root.db), new RefusedKeysStore(root.db), root.files, root.config.lists);
      const { hooks, chunks } = gatheringHooks();
      await runner.runCleanse(id, hooks);
      const hashing = runner.runHashes(id, chunks.length);
      await runner.fail(id, 'Processing failed: a chunk could not be read');
      await expect(hashing).rejects.toMatchObject({ code: 'NOT_RUNNING', message: expect.stringContaining('is failed') });
      // A chunk of the failed list, handed over before it failed, is not cleansed either.
      await expect(runner.runChunk(id, chunks[0]!, { progress: async () => undefined })).rejects.toMatchObject({ code: 'NOT_RUNNING' });
      expect(await root.files.exists(`lists/${id}/pieces/00000-cleansed`)).toBe(false);
      // … and the list keeps the reason it failed for.
      expect((await new ListsStore(root.db).find(id))!.error).toBe('Processing failed: a chunk could not be read');
      await (await queue.getJob(id))?.remove(); // the upload's own job, which this test did the work of
    } finally {
      await queue.resume();
    }
  });

  it('keeps to the snapshot when choices change between the split and its chunks, and when a chunk is retried', async () => {
    const queue = root.queues.queue('cleanse-list');
    await queue.pause(); // this test plays the workers' part itself, step by step
    try {
      const list = trickyList();
      const id = (await upload(app, key, list, { category: 'catalogs' })).body.id as string;
      // A fresh runner per step, as if each ran in another worker (no refused set kept in memory).
      const runner = () => new ListJobRunner(new ListsStore(root.db), new RefusedKeysStore(root.db), root.files, root.config.lists);
      const progress = async () => undefined;
      const { hooks, chunks } = gatheringHooks({ progress });
      const split = await runner().runCleanse(id, hooks);
      expect(split).toMatchObject({ status: 'chunked' });
      expect(await root.files.exists(`lists/${id}/parts/refused-set`)).toBe(false); // no copy of the category's set: each chunk looks up its own keys

      // Households 7, 14, 21 … refuse after the snapshot: that is for the next run.
      await refuse(root, 'catalogs', Array.from({ length: 80 }, (_, i) => householdAddress(7 * (i + 1))));
      const parts = [];
      for (const chunk of chunks) parts.push({ index: chunk.index, counts: await runner().runChunk(id, chunk, { progress }) });
      // A chunk retried later still reads the refusal index as of the snapshot.
      parts[1] = { index: 1, counts: await runner().runChunk(id, chunks[1]!, { progress }) };
      const summary = await runner().runMerge(id, parts, await runner().runHashes(id, chunks.length));

      const job = (await new ListsStore(root.db).find(id))!;
      const catalogs = (await root.services.categories.requireActive('catalogs')).id;
      const single = async (at: Date) => {
        const source = memorySource(list, 65536);
        const refused = await loadRefusedSet(new RefusedKeysStore(root.db), catalogs, at);
        const cleansed: Buffer[] = [];
        const outcome = await cleanseWhole(source, await prepareList(source, {}), { mode: 'suppress', dedupe: false, keepUnreadable: false, mapping: {} }, { refused }, async (kind, stream) => {
          for await (const chunk of stream) if (kind === 'cleansed') cleansed.push(chunk as Buffer);
        });
        return { cleansed: Buffer.concat(cleansed), optedOut: outcome.counts.discarded.OPTED_OUT };
      };
      const atSnapshot = await single(job.snapshotAt!);
      const now = await single(new Date());
      expect(now.optedOut).toBeGreaterThan(atSnapshot.optedOut); // the later choices do matter …
      expect(summary.rows.discardedByReason.OPTED_OUT).toBe(atSnapshot.optedOut); // … but not to this job
      expect(((await download(app, key, id, 'cleansed')).body as Buffer).equals(atSnapshot.cleansed)).toBe(true);
      expect(await root.files.exists(`lists/${id}/parts/00000-cleansed`)).toBe(false);
    } finally {
      await queue.resume();
    }
  });
});
