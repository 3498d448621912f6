import { CodeNoLongerLiveError } from '../../src/choices/choices-service';
import { ALL_SLUGS, householdWithCode } from '../support/choices-fixtures';
import { createTestRoot, type TestRoot } from '../support/test-root';

describe('recording choices (real PostgreSQL)', () => {
  let root: TestRoot;
  beforeAll(async () => {
    root = await createTestRoot();
  });
  afterAll(() => root.cleanup());

  it('appends one event per changed category (previous → new) and updates the current state with it', async () => {
    const { deliveryPointId } = await householdWithCode(root, { address1: '10 Birch Rd', zip: '02134' });
    const first = await root.services.choices.recordChoices({
      deliveryPointId,
      choices: { catalogs: false, political: false, coupons: false, other: true },
      source: 'web',
      actor: 'code:1',
    }).catch((error: Error) => error);
    // An unknown slug ("coupons") rejects the whole submission and writes nothing.
    expect(first).toBeInstanceOf(Error);
    expect((first as Error).message).toContain('Unknown category "coupons"');
    expect(await root.services.choices.history(deliveryPointId)).toEqual([]);

    const recorded = await root.services.choices.recordChoices({
      deliveryPointId,
      choices: { catalogs: false, political: false, other: true },
      source: 'web',
      actor: 'code:1',
    });
    expect(recorded.reference).toMatch(/^MP-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    expect(recorded.changes.map(({ slug, previous, accepted }) => ({ slug, previous, accepted }))).toEqual([
      { slug: 'catalogs', previous: null, accepted: false },
      { slug: 'political', previous: null, accepted: false },
      { slug: 'other', previous: null, accepted: true },
    ]);

    // The same again, with one change: only that category gets an event, from false to true.
    const second = await root.services.choices.recordChoices({
      deliveryPointId,
      choices: { catalogs: true, political: false, other: true },
      source: 'card',
      actor: 'card-file:abc:line:2',
    });
    expect(second.changes.map(({ slug, previous, accepted }) => ({ slug, previous, accepted }))).toEqual([{ slug: 'catalogs', previous: false, accepted: true }]);

    const view = await root.services.choices.view(deliveryPointId);
    const state = Object.fromEntries(view.choices.map((choice) => [choice.slug, choice.accepted]));
    expect(state).toEqual({
      catalogs: true,
      'credit-insurance-offers': null,
      'coupons-retail': null,
      'magazines-subscriptions': null,
      'charity-nonprofit': null,
      political: false,
      other: true,
    });
    const history = await root.services.choices.history(deliveryPointId);
    expect(history.map((event) => [event.slug, event.previous, event.accepted, event.source, event.actor, event.reference])).toEqual([
      ['catalogs', null, false, 'web', 'code:1', recorded.reference],
      ['political', null, false, 'web', 'code:1', recorded.reference],
      ['other', null, true, 'web', 'code:1', recorded.reference],
      ['catalogs', false, true, 'card', 'card-file:abc:line:2', second.reference],
    ]);
    expect(view.lastChangeAt?.getTime()).toBe(history[3]!.at.getTime());
  });

  it('writes nothing for a code that was replaced, or for a retired category, and says which', async () => {
    const { deliveryPointId } = await householdWithCode(root, { address1: '12 Birch Rd', zip: '02134' });
    const old = (await root.db.query<{ id: number }>('SELECT id FROM access_codes WHERE delivery_point_id = $1::bigint', [deliveryPointId])).rows[0]!.id;
    const newer = await root.services.accessCodes.issue(deliveryPointId);
    const input = { deliveryPointId, choices: { catalogs: false }, source: 'web' as const, actor: `code:${old}`, activeOnly: true };
    await expect(root.services.choices.recordChoices({ ...input, whileCodeLive: old })).rejects.toBeInstanceOf(CodeNoLongerLiveError);
    expect(await root.services.choices.history(deliveryPointId)).toEqual([]);

    await root.db.query(`UPDATE categories SET active = false WHERE slug = 'political'`);
    try {
      const retired = await root.services.choices.recordChoices({ ...input, choices: { catalogs: false, political: false }, whileCodeLive: newer.id }).catch((error: Error) => error);
      expect((retired as Error).message).toBe('Category "political" is retired');
      expect(await root.services.choices.history(deliveryPointId)).toEqual([]);
    } finally {
      await root.db.query(`UPDATE categories SET active = true WHERE slug = 'political'`);
    }

    const recorded = await root.services.choices.recordChoices({ ...input, whileCodeLive: newer.id });
    expect(recorded.changes.map(({ slug, previous, accepted }) => ({ slug, previous, accepted }))).toEqual([{ slug: 'catalogs', previous: null, accepted: false }]);
    await expect(root.services.choices.recordChoices({ ...input, deliveryPointId: 999_999_999 })).rejects.toThrow('No delivery point 999999999');
  });

  it('creates the delivery point from an address, and refuses an unreadable one', async () => {
    const recorded = await root.services.choices.recordChoices({
      address: { address1: '77 Sunset Boulevard', address2: 'Apt 2', state: 'MA', zip: '2446' }, // 2446 → 02446 because MA ZIPs start with 0
      choices: { 'charity-nonprofit': false },
      source: 'operator',
      actor: 'ops@example.org',
    });
    const found = await root.services.choices.findByAddress({ address1: '77 SUNSET BLVD #2', zip: '02446' });
    expect(found.ok && found.deliveryPoint?.id).toBe(recorded.deliveryPointId);
    await expect(
      root.services.choices.recordChoices({ address: { address1: 'Sunset Boulevard', zip: '02446' }, choices: {}, source: 'operator', actor: 'x' }),
    ).rejects.toThrow(/cannot be read/);
  });

  it('serialises concurrent identical submissions: each category gets exactly one event', async () => {
    const { deliveryPointId } = await householdWithCode(root, { address1: '5 Concurrency Ct', zip: '02139' });
    const choices = Object.fromEntries(ALL_SLUGS.map((slug, index) => [slug, index % 2 === 0]));
    const results = await Promise.all(
      Array.from({ length: 25 }, () => root.services.choices.recordChoices({ deliveryPointId, choices, source: 'web', actor: 'code:race' })),
    );
    expect(results.filter((result) => result.changes.length > 0)).toHaveLength(1);
    const history = await root.services.choices.history(deliveryPointId);
    expect(history).toHaveLength(ALL_SLUGS.length);
    expect(new Set(history.map((event) => event.slug)).size).toBe(ALL_SLUGS.length);
  });

  it('loses no event under concurrent conflicting submissions: the history is an unbroken chain ending in the current state', async () => {
    const { deliveryPointId } = await householdWithCode(root, { address1: '6 Concurrency Ct', zip: '02139' });
    const submissions = Array.from({ length: 40 }, (_, index) => ({ catalogs: index % 2 === 0, political: index % 3 === 0 }));
    const results = await Promise.all(
      submissions.map((choices, index) => root.services.choices.recordChoices({ deliveryPointId, choices, source: 'web', actor: `code:race-${index}` })),
    );
    const history = await root.services.choices.history(deliveryPointId);
    // Every change a submission reported is in the history, and nothing else is.
    expect(history.map((event) => event.id).sort((a, b) => a - b)).toEqual(
      results.flatMap((result) => result.changes.map((change) => change.eventId)).sort((a, b) => a - b),
    );
    const view = await root.services.choices.view(deliveryPointId);
    for (const slug of ['catalogs', 'political']) {
      const chain = history.filter((event) => event.slug === slug);
      expect(chain.length).toBeGreaterThan(0);
      expect(chain[0]!.previous).toBeNull();
      for (let i = 1; i < chain.length; i++) {
        expect(chain[i]!.previous).toBe(chain[i - 1]!.accepted);
        expect(chain[i]!.accepted).not.toBe(chain[i]!.previous);
      }
      expect(view.choices.find((choice) => choice.slug === slug)!.accepted).toBe(chain[chain.length - 1]!.accepted);
    }
  });
});
