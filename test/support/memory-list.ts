import { Readable } from 'node:stream';
import { deliveryPointKey, type AddressInput } from '../../src/address/delivery-point-key';
import { KeyHashTable } from '../../src/lists/key-hash-table';
import { cleanseWhole, prepareList, type CleanseSettings, type OutputKind } from '../../src/lists/list-cleanser';
import type { ListSource } from '../../src/lists/list-header';

/** A list held in memory, read in small pieces so that records straddle chunk boundaries. */
export function memorySource(bytes: Buffer, pieceBytes = 7): ListSource {
  return {
    size: bytes.length,
    open: (range) => {
      const slice = range ? bytes.subarray(range.start, range.end) : bytes;
      const pieces: Buffer[] = [];
      for (let i = 0; i < slice.length; i += pieceBytes) pieces.push(Buffer.from(slice.subarray(i, i + pieceBytes)));
      return Readable.from(pieces);
    },
  };
}

export function refusedTable(addresses: AddressInput[], at = new Date('2026-03-04T05:06:07Z')): KeyHashTable {
  const table = new KeyHashTable();
  for (const address of addresses) {
    const key = deliveryPointKey(address);
    if (!key.ok) throw new Error(`test address has no key: ${JSON.stringify(address)}`);
    table.set(key.key, Math.floor(at.getTime() / 1000));
  }
  return table;
}

/** Runs the whole-list pipeline on bytes; returns the outputs as buffers. */
export async function cleanseBytes(
  bytes: Buffer,
  refused: AddressInput[] = [],
  settings: Partial<CleanseSettings> = {},
  pieceBytes = 7,
): Promise<{ cleansed: Buffer; discards: string; counts: Awaited<ReturnType<typeof cleanseWhole>>['counts'] }> {
  const source = memorySource(bytes, pieceBytes);
  const full: CleanseSettings = { mode: 'suppress', dedupe: false, keepUnreadable: false, mapping: {}, ...settings };
  const prepared = await prepareList(source, full.mapping);
  const outputs: Record<OutputKind, Buffer[]> = { cleansed: [], discards: [] };
  const outcome = await cleanseWhole(source, prepared, full, { refused: refusedTable(refused), seen: full.dedupe ? new KeyHashTable() : undefined }, async (kind, stream) => {
    for await (const chunk of stream) outputs[kind].push(chunk as Buffer);
  });
  return { cleansed: Buffer.concat(outputs.cleansed), discards: Buffer.concat(outputs.discards).toString('utf8'), counts: outcome.counts };
}
