import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { household } from '../../../../bench/list-generator';
import type { RangeCounts } from '../../../../src/lists/cleanse/cleanse-range';
import { firstLinesOfChunk, indexFirstLines } from '../../../../src/lists/cleanse/first-lines';
import { LocalFileStorage } from '../../../../src/lib/file-storage';
import { cleanseChunk, hashChunkOutputs, mergeChunks, prepareList, splitIntoChunks, type CleanseSettings, type MergeKeys, type OutputKind } from '../../../../src/lists/cleanse/list-cleanser';
import { duplicatesList } from '../../../support/duplicates-list';
import { cleanseBytes, memorySource, refusedTable } from '../../../support/memory-list';

/** Every seventh household refuses the category. */
const REFUSED = Array.from({ length: 60 }, (_, i) => household(7 * (i + 1)));

/**
 * The chunked de-duplication, step by step as the workers run it: the key pass over every chunk
 * (each table through its bytes, as stored), the index (given the parts out of order), the
 * cleanse of every chunk with the index, and the merge.
 */
async function cleanseInChunks(bytes: Buffer, settings: Partial<CleanseSettings>, chunkBytes: number) {
  const full: CleanseSettings = { mode: 'suppress', dedupe: true, keepUnreadable: false, mapping: {}, ...settings };
  const source = memorySource(bytes, 1000);
  const prepared = await prepareList(source, full.mapping);
  const chunks = await splitIntoChunks(source, prepared, chunkBytes);
  const keyParts: { index: number; bytes: Buffer }[] = [];
  for (const chunk of chunks) keyParts.push({ index: chunk.index, bytes: Buffer.concat((await firstLinesOfChunk(source, prepared, chunk, full)).table.toBytes()) });
  const firstLines = await indexFirstLines(keyParts.reverse().map((part) => ({ index: part.index, open: () => Readable.from([part.bytes]) })));
  const refused = refusedTable(REFUSED);
  const parts: { counts: RangeCounts; files: Record<OutputKind, Buffer[]> }[] = [];
  for (const chunk of chunks) {
    const files: Record<OutputKind, Buffer[]> = { cleansed: [], discards: [] };
    const counts = await cleanseChunk(source, prepared, chunk, full, { refused, firstLines }, async (kind, stream) => {
      for await (const piece of stream) files[kind].push(piece as Buffer);
    });
    parts.push({ counts, files });
  }
  // The merge on real file storage (a temporary directory), as a merge job runs it.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpref-merge-'));
  try {
    const storage = new LocalFileStorage(root);
    const keys: MergeKeys = { part: (index, kind) => `pieces/${index}-${kind}`, preamble: (kind) => `pieces/preamble-${kind}`, output: (kind) => `out/${kind}` };
    for (const [index, part] of parts.entries()) for (const kind of ['cleansed', 'discards'] as const) await storage.put(keys.part(index, kind), Readable.from(part.files[kind]));
    const hashes = await hashChunkOutputs(prepared, full, async (index, kind) => (index < parts.length ? storage.readBlocks(keys.part(index, kind)) : undefined));
    expect(hashes.chunks).toBe(parts.length);
    const outcome = await mergeChunks(prepared, full, parts.map((part, index) => ({ index, counts: part.counts })), hashes, storage, keys);
    const merged: Record<OutputKind, Buffer> = { cleansed: Buffer.alloc(0), discards: Buffer.alloc(0) };
    for (const kind of ['cleansed', 'discards'] as const) {
      for await (const piece of storage.get(keys.output(kind))) merged[kind] = Buffer.concat([merged[kind], piece as Buffer]);
      expect(outcome[kind]).toEqual({ sha256: createHash('sha256').update(merged[kind]).digest('hex'), bytes: merged[kind].length });
    }
    return { chunks, cleansed: merged.cleansed, discards: merged.discards.toString('utf8'), counts: outcome.counts };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** True when the record just before `offset` is a quoted name with a line break in it. */
function afterMultiLineRecord(bytes: Buffer, offset: number): boolean {
  const before = bytes.toString('utf8', Math.max(0, offset - 400), offset);
  return before.slice(before.lastIndexOf('\r\n', before.length - 3) + 2).startsWith('and family"');
}

describe('a de-duplicated list cleansed in chunks', () => {
  // 3,000 rows from 400 households: most rows repeat a household first met in an earlier chunk.
  const list = duplicatesList(3_000, 400);

  it.each([
    ['suppress', false, 997],
    ['suppress', false, 4099],
    ['flag', false, 1500],
    ['suppress', true, 2500],
    ['flag', true, 700],
  ] as const)('gives the one-pass output byte for byte (%s mode, keep unreadable %s, chunks of %i bytes)', async (mode, keepUnreadable, chunkBytes) => {
    const chunked = await cleanseInChunks(list, { mode, keepUnreadable }, chunkBytes);
    const single = await cleanseBytes(list, REFUSED, { mode, keepUnreadable, dedupe: true }, 1000);
    expect(chunked.chunks.length).toBeGreaterThan(20);
    expect(chunked.cleansed.equals(single.cleansed)).toBe(true);
    expect(chunked.discards).toBe(single.discards);
    expect(chunked.counts).toEqual(single.counts);
    // the list has what the test is about
    expect(single.counts.discarded.DUPLICATE).toBeGreaterThan(1_500);
    expect(single.counts.discarded.OPTED_OUT).toBeGreaterThan(100);
    expect(single.counts.discarded.MALFORMED_ROW).toBeGreaterThan(20);
    expect(single.counts.discarded.ADDRESS_UNREADABLE + single.counts.keptUnreadable).toBeGreaterThan(40);
  });

  it('cuts chunks right after records holding a line break, and still gives the one-pass output', async () => {
    const cuts = [];
    for (const chunkBytes of [800, 997, 1200, 1500]) {
      const chunked = await cleanseInChunks(list, {}, chunkBytes);
      cuts.push(...chunked.chunks.filter((chunk) => chunk.index > 0 && afterMultiLineRecord(list, chunk.start)));
      expect(chunked.cleansed.equals((await cleanseBytes(list, REFUSED, { dedupe: true }, 1000)).cleansed)).toBe(true);
    }
    expect(cuts.length).toBeGreaterThan(0);
  });

  it('tells who is waiting for chunks each one as it is cut, before the split has read the whole list', async () => {
    const source = memorySource(list, 1000);
    const prepared = await prepareList(source, {});
    const told: { chunks: number; read: number }[] = [];
    let read = 0;
    const counting = { size: source.size, open: async function* (range?: { start: number; end: number }) {
      for await (const block of source.open(range)) {
        read += block.length;
        yield block;
      }
    } };
    const chunks = await splitIntoChunks(counting, prepared, 1200, { cut: async (found) => void told.push({ chunks: found.length, read }) });
    expect(chunks.length).toBeGreaterThan(10);
    // Told again each time it has cut more, with the chunks it will return, all but the last.
    expect(told.length).toBeGreaterThan(chunks.length / 3);
    expect(told.at(-1)!.chunks).toBe(chunks.length - 1);
    for (let i = 1; i < told.length; i++) expect(told[i]!.chunks).toBeGreaterThan(told[i - 1]!.chunks);
    // The first cut came once it had read a little more than the chunk, not the whole list.
    expect(told[0]).toEqual({ chunks: 1, read: expect.any(Number) });
    expect(told[0]!.read).toBeLessThan(3000);
  });

  it('UTF-16 with a byte-order mark and tabs', async () => {
    const text = duplicatesList(800, 90, 9).toString('utf8').replace(/,/g, '\t');
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const chunked = await cleanseInChunks(bytes, { mode: 'flag' }, 3000);
    const single = await cleanseBytes(bytes, REFUSED, { mode: 'flag', dedupe: true }, 1000);
    expect(chunked.chunks.length).toBeGreaterThan(10);
    expect(chunked.cleansed.equals(single.cleansed)).toBe(true);
    expect(chunked.counts).toEqual(single.counts);
    expect(single.counts.discarded.DUPLICATE).toBeGreaterThan(300);
  });

  it('refuses to cleanse a chunk with an index that is not its list’s', async () => {
    const other = duplicatesList(500, 50, 3);
    const source = memorySource(list, 1000);
    const prepared = await prepareList(source, {});
    const otherSource = memorySource(other, 1000);
    const otherPrepared = await prepareList(otherSource, {});
    const [otherChunk] = await splitIntoChunks(otherSource, otherPrepared, 1 << 20);
    const firstLines = (await firstLinesOfChunk(otherSource, otherPrepared, otherChunk!, { mode: 'suppress', dedupe: true, keepUnreadable: false, mapping: {} })).table;
    const [chunk] = await splitIntoChunks(source, prepared, 1 << 20);
    const settings: CleanseSettings = { mode: 'suppress', dedupe: true, keepUnreadable: false, mapping: {} };
    await expect(cleanseChunk(source, prepared, chunk!, settings, { refused: refusedTable([]), firstLines }, async (_kind, stream) => {
      for await (const _ of stream);
    })).rejects.toThrow(/first-occurrence index does not match/);
  });
});
