import fs from 'node:fs';
import path from 'node:path';
import type { LocalFileStorage } from '../../src/lib/file-storage';
import { createHash } from 'node:crypto';
import type { Express } from 'express';
import { projectPath } from '../../src/lib/project-path';
import { ListJobRunner } from '../../src/lists/list-job-runner';
import { loadRefusedSet } from '../../src/lists/refused-sets';
import { ListsStore } from '../../src/lists/lists-store';
import type { ListChunk } from '../../src/lists/list-cleanser';
import { RefusedKeysStore } from '../../src/lists/refused-keys-store';
import { cleanseWhole, prepareList, type OutputKind } from '../../src/lists/list-cleanser';
import type { TestRoot } from '../support/test-root';
import { memorySource } from '../support/memory-list';
import { startChunkingService, download, householdAddress, refuse, upload, waitForList } from '../support/lists-fixtures';

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

  it('hashes the outputs while the chunks run: each part once its chunk has stored it, in list order', async () => {
    const queue = root.queues.queue('cleanse-list');
    await queue.pause(); // this test plays the workers' part itself
    try {
      const id = (await upload(app, key, trickyList(), { category: 'catalogs', mode: 'flag' })).body.id as string;
      const runner = () => new ListJobRunner(new ListsStore(root.db), new RefusedKeysStore(root.db), root.files, root.config.lists);
      const progress = async () => undefined;
      let chunks: ListChunk[] = [];
      await runner().runCleanse(id, { progress, startChunks: async (found) => void (chunks = found), startKeyPass: async () => undefined });
      expect(chunks.length).toBeGreaterThan(5);
      // The hash job starts first and waits; the chunks finish last to first.
      let hashed = false;
      const hashing = runner()
        .runHashes(id, chunks.length)
        .finally(() => (hashed = true));
      const parts = [];
      for (const chunk of [...chunks].reverse()) {
        parts.push({ index: chunk.index, counts: await runner().runChunk(id, chunk, { progress }) });
        await new Promise((resolve) => setTimeout(resolve, 30));
        if (chunk.index > 0) expect(hashed).toBe(false); // it needs chunk 0 first, which is stored last
      }
      const hashes = await hashing;
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

  it('stops hashing when the list fails while the hash job waits for a part', async () => {
    const queue = root.queues.queue('cleanse-list');
    await queue.pause();
    try {
      const id = (await upload(app, key, trickyList(), { category: 'catalogs' })).body.id as string;
      const runner = new ListJobRunner(new ListsStore(root.db), new RefusedKeysStore(root.db), root.files, root.config.lists);
      let chunks: ListChunk[] = [];
      await runner.runCleanse(id, { progress: async () => undefined, startChunks: async (found) => void (chunks = found), startKeyPass: async () => undefined });
      const hashing = runner.runHashes(id, chunks.length);
      await runner.fail(id, 'Processing failed: a chunk could not be read');
      await expect(hashing).rejects.toMatchObject({ code: 'NOT_RUNNING', message: expect.stringContaining('is failed') });
      // … and the list keeps the reason it failed for.
      expect((await new ListsStore(root.db).find(id))!.error).toBe('Processing failed: a chunk could not be read');
      await (await queue.getJob(id))?.remove(); // the upload's own job, which this test did the work of
    } finally {
      await queue.resume();
    }
  });

  it('keeps to the snapshot when choices change between the split and its chunks, also without the stored refused set', async () => {
    const queue = root.queues.queue('cleanse-list');
    await queue.pause(); // this test plays the workers' part itself, step by step
    try {
      const list = trickyList();
      const id = (await upload(app, key, list, { category: 'catalogs' })).body.id as string;
      // A fresh runner per step, as if each ran in another worker (no refused set kept in memory).
      const runner = () => new ListJobRunner(new ListsStore(root.db), new RefusedKeysStore(root.db), root.files, root.config.lists);
      const progress = async () => undefined;
      let chunks: ListChunk[] = [];
      const split = await runner().runCleanse(id, {
        progress,
        startChunks: async (found) => void (chunks = found),
        startKeyPass: async () => {
          throw new Error('not a de-duplicated list');
        },
      });
      expect(split).toMatchObject({ status: 'chunked' });
      expect(await root.files.exists(`lists/${id}/parts/refused-set`)).toBe(true);

      // Households 7, 14, 21 … refuse after the snapshot: that is for the next run.
      await refuse(root, 'catalogs', Array.from({ length: 80 }, (_, i) => householdAddress(7 * (i + 1))));
      const parts = [];
      for (const chunk of chunks) parts.push({ index: chunk.index, counts: await runner().runChunk(id, chunk, { progress }) });
      // A chunk retried once the stored set is gone reads Postgres as of the snapshot.
      await root.files.delete(`lists/${id}/parts/refused-set`);
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
