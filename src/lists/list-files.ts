import type { MergeKeys } from './cleanse';

/**
 * Where a list's files are stored: everything of list `<id>` lives under `lists/<id>/`, spelled
 * here only. The upload and its two outputs; `parts/` holds what a chunked job's workers hand each
 * other (deleted when the job ends); `pieces/` the chunks' outputs, which the merge composes into
 * the outputs without copying, so they stay with the outputs until the list's files are deleted.
 */
export const listFolder = (id: string) => `lists/${id}`;
export const listFileKey = (id: string, kind: 'upload' | 'cleansed' | 'discards') => `${listFolder(id)}/${kind}`;
/** The upload's encoding, decided on every byte of it as it was stored (list-encoding.ts). */
export const listEncodingKey = (id: string) => `${listFolder(id)}/encoding`;
export const listPartsFolder = (id: string) => `${listFolder(id)}/parts`;
/** A key pass's delivery points of one chunk, read by the index job. */
export const partKey = (id: string, index: number, kind: 'keys') => `${listPartsFolder(id)}/${String(index).padStart(5, '0')}-${kind}`;
/** A chunked de-duplicated job's first-occurrence index, made by its index job from the key parts. */
export const firstLinesKey = (id: string) => `${listPartsFolder(id)}/first-lines`;
/**
 * How many chunks the split cut, stored once it has cut the last: the hash job, started with the
 * first chunks, learns from it where the list ends.
 */
export const chunkCountKey = (id: string) => `${listPartsFolder(id)}/chunk-count`;
/** A chunk's output (in suppress mode its cleansed piece is a range file over the upload). */
export const pieceKey = (id: string, index: number, kind: 'cleansed' | 'discards') => `${listFolder(id)}/pieces/${String(index).padStart(5, '0')}-${kind}`;
/** A chunked job's pieces and preambles, and the outputs the merge composes from them. */
export const mergeKeys = (id: string): MergeKeys => ({
  part: (index, kind) => pieceKey(id, index, kind),
  preamble: (kind) => `${listFolder(id)}/pieces/preamble-${kind}`,
  output: (kind) => listFileKey(id, kind),
});
