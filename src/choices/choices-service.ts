import { randomBytes } from 'node:crypto';
import { deliveryPointKey, type AddressComponents, type AddressInput } from '../address/delivery-point-key';
import type { Db, Queryable } from '../lib/db';
import { AppError, BadRequestError, NotFoundError } from '../lib/errors';
import { CODE_ALPHABET } from './access-code';
import {
  PreferencesStore,
  type ChoiceSource,
  type CurrentChoice,
  type DeliveryPoint,
  type HeldChoice,
  type PreferenceEvent,
} from './preferences-store';

export type { ChoiceSource, CurrentChoice, DeliveryPoint, HeldChoice, PreferenceEvent };

export interface RecordChoicesInput {
  /** The address: an existing delivery point's id, or an address (its row is created if new). */
  deliveryPointId?: number;
  address?: AddressInput;
  /** Or an address already keyed (a move file's new address): its row is created if new. */
  keyedAddress?: { key: string; components: AddressComponents };
  /** Category slug → accepts. Categories left out keep their current state. */
  choices: Record<string, boolean>;
  source: ChoiceSource;
  /** Who: `code:<access code id>`, an operator's email, `card-import:<file>:<line>`, a move file… */
  actor: string;
  /** Groups the events of one submission; generated when absent. */
  reference?: string;
  /** Refuse retired categories (the web form and cards offer only active ones). */
  activeOnly?: boolean;
  /**
   * The access code a household signed in with: write only while it is still live for this
   * address. Checked under the address's lock, which reissuing a code takes too, so a submission
   * never lands after a newer card has replaced the code.
   */
  whileCodeLive?: number;
}

/** The code a web session was opened with has been replaced or has expired: its session is over. */
export class CodeNoLongerLiveError extends AppError {
  constructor() {
    super(403, 'CODE_NOT_LIVE', 'The code this session was opened with has been replaced or has expired');
  }
}

export interface RecordedChoices {
  deliveryPointId: number;
  reference: string;
  /** Only the categories whose state changed (or that were answered for the first time). */
  changes: { slug: string; previous: boolean | null; accepted: boolean; eventId: number }[];
  at: Date;
}

export interface ChoicesView {
  deliveryPoint: DeliveryPoint;
  choices: CurrentChoice[];
  lastChangeAt: Date | null;
}

/** A reference number a household can quote: `MP-7KQ2-XD9A`. */
export function generateReference(): string {
  const bytes = randomBytes(8);
  const chars = [...bytes].map((byte) => CODE_ALPHABET[byte & 31]).join('');
  return `MP-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/**
 * Records and reads households' choices. Every change is an event (previous → new) written in the
 * same transaction as the current state, under a row lock on the delivery point: concurrent
 * submissions for one address are serialised, so no event is lost and none is doubled.
 */
export class ChoicesService {
  constructor(private readonly db: Db) {}

  /**
   * For a known delivery point this is one statement on the pool (lock, read, write and commit in
   * one round trip: the web form's path); an address is resolved to its row first, in a transaction.
   */
  recordChoices(input: RecordChoicesInput): Promise<RecordedChoices> {
    if (input.deliveryPointId !== undefined) return this.record(this.db, input.deliveryPointId, input);
    return this.db.withTransaction((tx) => this.recordChoicesWith(tx, input));
  }

  /** The same, inside a transaction the caller owns (card import writes its row record with it). */
  async recordChoicesWith(tx: Queryable, input: RecordChoicesInput): Promise<RecordedChoices> {
    return this.record(tx, await this.resolveDeliveryPoint(new PreferencesStore(tx), input), input);
  }

  /**
   * For a move, in the caller's transaction: locks the delivery point at `key` and reads the
   * choices answered there; undefined when the address was never seen.
   */
  heldChoicesAt(tx: Queryable, key: string): Promise<{ deliveryPointId: number; choices: HeldChoice[] } | undefined> {
    return new PreferencesStore(tx).lockChoicesAt(key);
  }

  /**
   * The household left (a family move): its choices at this delivery point end, each with a
   * `move` event back to "never answered", in the caller's transaction (which holds the lock
   * heldChoicesAt took). Returns how many ended.
   */
  endChoicesAt(tx: Queryable, deliveryPointId: number, choices: HeldChoice[], who: { actor: string; reference: string }): Promise<number> {
    return new PreferencesStore(tx).endChoices(deliveryPointId, choices, { source: 'move', ...who });
  }

  private async record(db: Queryable, deliveryPointId: number, input: RecordChoicesInput): Promise<RecordedChoices> {
    const store = new PreferencesStore(db);
    const reference = input.reference ?? generateReference();
    const entries = Object.entries(input.choices).map(([slug, accepted]) => ({ slug, accepted }));
    if (entries.length === 0) {
      // Nothing to record (a new address registered without answers): only check it exists.
      if (!(await store.deliveryPoint(deliveryPointId))) throw new NotFoundError(`No delivery point ${deliveryPointId}`, 'UNKNOWN_DELIVERY_POINT');
      return { deliveryPointId, reference, changes: [], at: new Date() };
    }
    const rows = await store.recordChanges(deliveryPointId, entries, { source: input.source, actor: input.actor, reference }, {
      activeOnly: input.activeOnly ?? false,
      accessCodeId: input.whileCodeLive ?? null,
    });
    if (!rows) throw new NotFoundError(`No delivery point ${deliveryPointId}`, 'UNKNOWN_DELIVERY_POINT');
    for (const row of rows) {
      if (row.categoryId === null) throw new BadRequestError(`Unknown category "${row.slug}"`, { category: row.slug }, 'UNKNOWN_CATEGORY');
      if (input.activeOnly && !row.active) throw new BadRequestError(`Category "${row.slug}" is retired`, { category: row.slug }, 'RETIRED_CATEGORY');
    }
    if (!rows[0]!.codeLive) throw new CodeNoLongerLiveError();
    const written = rows.filter((row) => row.event !== null);
    const changes: RecordedChoices['changes'] = written.map((row) => ({ slug: row.slug, previous: row.previous, accepted: row.accepted, eventId: row.event!.id }));
    const at = written.length > 0 ? written[written.length - 1]!.event!.at : new Date();
    return { deliveryPointId, reference, changes, at };
  }

  private async resolveDeliveryPoint(store: PreferencesStore, input: RecordChoicesInput): Promise<number> {
    if (input.deliveryPointId !== undefined) return input.deliveryPointId;
    if (input.keyedAddress) return store.upsertDeliveryPoint(input.keyedAddress.key, input.keyedAddress.components);
    if (!input.address) throw new BadRequestError('An address or a delivery point id is required');
    const key = deliveryPointKey(input.address);
    if (!key.ok) throw new BadRequestError(`The address cannot be read: ${key.message}`, { reason: key.reason }, 'ADDRESS_UNREADABLE');
    return store.upsertDeliveryPoint(key.key, key.components);
  }

  async view(deliveryPointId: number): Promise<ChoicesView> {
    const store = new PreferencesStore(this.db);
    const deliveryPoint = await store.deliveryPoint(deliveryPointId);
    if (!deliveryPoint) throw new NotFoundError(`No delivery point ${deliveryPointId}`, 'UNKNOWN_DELIVERY_POINT');
    const [choices, lastChangeAt] = await Promise.all([store.currentChoices(deliveryPointId), store.lastChangeAt(deliveryPointId)]);
    return { deliveryPoint, choices, lastChangeAt };
  }

  history(deliveryPointId: number): Promise<PreferenceEvent[]> {
    return new PreferencesStore(this.db).history(deliveryPointId);
  }

  /** The delivery point an address belongs to, if it was ever seen (operator look-ups only). */
  async findByAddress(address: AddressInput): Promise<{ ok: true; deliveryPoint: DeliveryPoint | undefined; key: string } | { ok: false; message: string }> {
    const key = deliveryPointKey(address);
    if (!key.ok) return { ok: false, message: key.message };
    return { ok: true, key: key.key, deliveryPoint: await new PreferencesStore(this.db).findDeliveryPointByKey(key.key) };
  }
}
