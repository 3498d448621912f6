import { Readable } from 'node:stream';
import type { FileStorage } from '../../lib/file-storage';
import { scanListEncoding, type ListEncoding } from '../cleanse';

/**
 * A stored list's encoding: as decided when the upload was stored (beside it, under `key`), or,
 * for an upload stored without it, decided now by reading the whole file and stored for the
 * other workers of the job.
 */
export async function storedListEncoding(storage: Pick<FileStorage, 'exists' | 'readBlocks' | 'put'>, key: string, source: { open(): AsyncIterable<Buffer> }): Promise<ListEncoding> {
  if (await storage.exists(key)) {
    let text = '';
    for await (const block of storage.readBlocks(key)) text += block.toString('utf8');
    return JSON.parse(text) as ListEncoding;
  }
  const encoding = await scanListEncoding(source.open());
  await storeListEncoding(storage, key, encoding);
  return encoding;
}

export async function storeListEncoding(storage: Pick<FileStorage, 'put'>, key: string, encoding: ListEncoding): Promise<void> {
  await storage.put(key, Readable.from([Buffer.from(JSON.stringify(encoding))]));
}
