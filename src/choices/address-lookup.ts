import { parseAddressLine } from '../address/address-line-parser';
import type { ChoicesService, ChoicesView, PreferenceEvent } from './choices-service';

export type AddressLookup =
  | { ok: false; message: string }
  /** `view` is undefined when the address was never seen: it accepts every category (the default). */
  | { ok: true; key: string; view: ChoicesView | undefined; history: PreferenceEvent[] };

/**
 * An address typed on one line → its delivery point's current choices and every event: what
 * `mailpref choices show` prints and the console's address page shows.
 */
export async function lookUpAddress(choices: ChoicesService, text: string): Promise<AddressLookup> {
  const line = parseAddressLine(text);
  if (!line.ok) return { ok: false, message: line.message };
  const found = await choices.findByAddress(line.input);
  if (!found.ok) return { ok: false, message: found.message };
  if (!found.deliveryPoint) return { ok: true, key: found.key, view: undefined, history: [] };
  const [view, history] = await Promise.all([choices.view(found.deliveryPoint.id), choices.history(found.deliveryPoint.id)]);
  return { ok: true, key: found.key, view, history };
}
