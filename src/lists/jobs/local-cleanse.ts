import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { CategoriesService } from '../../categories/categories-service';
import { LocalFileStorage, readFileBlocks } from '../../lib/file-storage';
import { KeyHashTable, refusalsOfRange } from '../cleanse';
import { cleanseWhole, prepareList, type CleanseSettings } from '../cleanse';
import { ListInputError } from '../cleanse';
import { EncodingScan, type ListEncoding } from '../cleanse';
import { buildSummary, type ListSummary } from '../cleanse';
import type { RefusedKeysStore } from './refused-keys-store';

export interface LocalCleanseResult {
  summary: ListSummary;
  files: { cleansed: string; discards: string; summary: string };
}

/**
 * The CLI's cleanse: the same pipeline as the worker, reading a local file and writing the three
 * outputs next to each other in outDir (each renamed into place only when complete).
 */
export async function cleanseLocalFile(
  deps: { categories: CategoriesService; refusedKeys: RefusedKeysStore; freshnessDays: number },
  file: string,
  options: CleanseSettings & { categorySlug: string; outDir: string },
  onProgress?: (bytesDone: number, totalBytes: number, rows: number) => void,
): Promise<LocalCleanseResult> {
  const category = await deps.categories.requireActive(options.categorySlug);
  let size: number;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw new ListInputError(`${file} is not a file`, 'NOT_A_FILE');
    size = stat.size;
  } catch (error) {
    if (error instanceof ListInputError) throw error;
    throw new ListInputError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'NOT_A_FILE');
  }
  const source = { size, open: (range?: { start: number; end: number }) => readFileBlocks(file, range) };
  const startedAt = new Date();
  const { sha256, encoding } = await readWholeFile(file);
  const prepared = await prepareList(source, options.mapping, await encoding());
  const snapshotAt = await deps.refusedKeys.snapshotTime(category.id);
  // The list's own keys looked up in the refusal index, as a list job does (never the category's whole set).
  const range = { start: prepared.header.dataStart, end: size, firstLine: prepared.header.firstDataLine };
  const { refused, recorded } = await refusalsOfRange(source, prepared, range, options, deps.refusedKeys.lookup(category.id, snapshotAt));
  const base = path.basename(file).replace(/\.[^.]*$/, '').replace(/[^a-z0-9._-]+/gi, '-').replace(/^[^a-z0-9]+/i, '') || 'list';
  const ext = path.extname(file).replace(/[^a-z0-9.]/gi, '') || '.csv';
  const names = { cleansed: `${base}.cleansed${ext}`, discards: `${base}.discards.csv`, summary: `${base}.summary.json` };
  const out = new LocalFileStorage(options.outDir);
  const outcome = await cleanseWhole(
    source,
    prepared,
    options,
    { refused, seen: options.dedupe ? new KeyHashTable(1 << 16) : undefined, recorded },
    (kind, stream) => out.put(names[kind], stream),
    (rows, bytes) => onProgress?.(prepared.header.dataStart + bytes, size, rows),
  ).catch(async (error: unknown) => {
    // A refused list (no data rows, a quote never closed…) leaves no output behind.
    for (const name of [names.cleansed, names.discards]) await out.delete(name);
    throw error;
  });
  onProgress?.(size, size, outcome.counts.rowsIn);
  const summary = buildSummary(
    {
      listName: path.basename(file),
      mailer: '(command line)',
      category: { slug: category.slug, name: category.name },
      settings: options,
      dialect: prepared.header.dialect,
      headerFields: prepared.header.fields,
      input: { bytes: size, sha256 },
      snapshotAt,
      freshnessDays: deps.freshnessDays,
      startedAt,
      finishedAt: new Date(),
      chunks: 1,
    },
    outcome,
  );
  await out.put(names.summary, Readable.from([Buffer.from(JSON.stringify(summary, null, 2) + '\n')]));
  const full = (name: string) => path.join(path.resolve(options.outDir), name);
  return { summary, files: { cleansed: full(names.cleansed), discards: full(names.discards), summary: full(names.summary) } };
}

/** The file's SHA-256 and its encoding, decided on every byte (one read for both). */
async function readWholeFile(file: string): Promise<{ sha256: string; encoding: () => Promise<ListEncoding> }> {
  const hash = createHash('sha256');
  const scan = new EncodingScan();
  for await (const chunk of readFileBlocks(file)) {
    hash.update(chunk);
    scan.push(chunk);
  }
  return { sha256: hash.digest('hex'), encoding: async () => scan.end() };
}
