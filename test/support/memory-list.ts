import { deliveryPointKey, type AddressInput } from '../../src/address/delivery-point-key';
import { KeyHashTable } from '../../src/lists/cleanse';
import { cleanseWhole, prepareList, type CleanseSettings, type OutputKind } from '../../src/lists/cleanse';
import type { ListSource } from '../../src/lists/cleanse';

/**
 * A list held in memory, read in small pieces so that records straddle chunk boundaries. As
 * FileStorage.readBlocks does, the pieces are read into two buffers in turn: a reader that keeps
 * a piece past the one after it (instead of copying it) reads other bytes, and the test fails.
 */
export function memorySource(bytes: Buffer, pieceBytes = 7): ListSource {
  return {
    size: bytes.length,
    open: async function* (range) {
      const slice = range ? bytes.subarray(range.start, range.end) : bytes;
      const buffers = [Buffer.alloc(pieceBytes), Buffer.alloc(pieceBytes)];
      for (let i = 0, turn = 0; i < slice.length; i += pieceBytes, turn++) {
        const buffer = buffers[turn & 1]!.fill(0x3f); // '?' where a shorter piece leaves the old bytes
        const length = slice.copy(buffer, 0, i, i + pieceBytes);
        yield buffer.subarray(0, length);
      }
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
