import type { Express } from 'express';
import request from 'supertest';
import type { AddressInput } from '../../src/address/delivery-point-key';
import { startWorkers } from '../../src/start/worker';
import { createApp, type Root } from '../../src/root';
import type { ListChunk } from '../../src/lists/cleanse';
import type { Progress, RunHooks } from '../../src/lists/jobs/list-job-runner';
import { createTestRoot, type TestRoot } from './test-root';
import { csvLine, household, householdFields, LIST_HEADER, rng, variant, type Household } from '../../bench/list-generator';

export async function createMailerKey(root: Root, name: string): Promise<string> {
  return (await root.services.mailers.createMailer(name)).apiKey;
}

/** Records refusals (as an operator would from returned cards) for the given category. */
export async function refuse(root: Root, category: string, addresses: AddressInput[]): Promise<void> {
  for (const address of addresses) {
    await root.services.choices.recordChoices({ address, choices: { [category]: false }, source: 'operator', actor: 'test' });
  }
}

export function upload(app: Express, apiKey: string, file: Buffer, fields: Record<string, string> = {}, filename = 'list.csv') {
  let req = request(app).post('/api/v1/lists').set('Authorization', `Bearer ${apiKey}`);
  for (const [name, value] of Object.entries({ category: 'catalogs', ...fields })) req = req.field(name, value);
  return req.attach('file', file, filename);
}

export async function waitForList(app: Express, apiKey: string, id: string, timeoutMs = 60_000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await request(app).get(`/api/v1/lists/${id}`).set('Authorization', `Bearer ${apiKey}`);
    if (res.status !== 200) throw new Error(`GET /lists/${id}: ${res.status} ${JSON.stringify(res.body)}`);
    if (res.body.status === 'completed' || res.body.status === 'failed') return res.body;
    if (Date.now() > deadline) throw new Error(`list ${id} still ${res.body.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function download(app: Express, apiKey: string, id: string, kind: 'cleansed' | 'discards' | 'summary') {
  return request(app)
    .get(`/api/v1/lists/${id}/${kind}`)
    .set('Authorization', `Bearer ${apiKey}`)
    .buffer(true)
    .parse((res, callback) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => callback(null, Buffer.concat(chunks)));
    });
}

/** A list of `rows` rows drawn from households 1..households, each row written its own way. */
export function generatedList(rows: number, households: number, seed = 7): { bytes: Buffer; header: string; lines: string[]; numbers: number[] } {
  const random = rng(seed);
  const lines: string[] = [];
  const numbers: number[] = [];
  for (let i = 0; i < rows; i++) {
    const n = 1 + Math.floor(random() * households);
    numbers.push(n);
    lines.push(csvLine(householdFields(variant(household(n), random))));
  }
  const header = csvLine(LIST_HEADER);
  return { bytes: Buffer.from([header, ...lines].join('\r\n') + '\r\n'), header, lines, numbers };
}

export function householdAddress(n: number): AddressInput {
  const h: Household = household(n);
  return { address1: h.address1, address2: h.address2, city: h.city, state: h.state, zip: h.zip };
}

/**
 * A test root that splits lists of more than 16 KiB into chunks, with its app and three workers
 * in this process, and one mailer's API key.
 */
export async function startChunkingService(mailerName: string): Promise<{ root: TestRoot; app: Express; key: string }> {
  const root = await createTestRoot({ LIST_CHUNK_BYTES: '16384', WORKER_CONCURRENCY: '3' });
  const app = createApp(root);
  startWorkers(root);
  return { root, app, key: await createMailerKey(root, mailerName) };
}

/**
 * Run hooks for a test that plays the workers' part itself: the chunks the split hands over
 * (first as it starts the chunk flow, then as it adds to it) are gathered in `chunks`, and each
 * hand-over in `batches`. `keyPass` gets a de-duplicated list's chunks; without it one is an error.
 */
export function gatheringHooks(options: { progress?: Progress; keyPass?: (chunks: ListChunk[]) => Promise<void> } = {}): { hooks: RunHooks; chunks: ListChunk[]; batches: ListChunk[][] } {
  const chunks: ListChunk[] = [];
  const batches: ListChunk[][] = [];
  const gather = async (found: ListChunk[]) => {
    batches.push(found);
    chunks.push(...found);
  };
  const hooks: RunHooks = {
    progress: options.progress ?? (async () => undefined),
    startChunks: async (found) => {
      if (batches.length > 0) throw new Error('the chunk flow was started twice');
      await gather(found);
    },
    addChunks: async (found) => {
      if (batches.length === 0) throw new Error('chunks were added to a chunk flow not started');
      await gather(found);
    },
    startKeyPass: options.keyPass ?? (async () => Promise.reject(new Error('not a de-duplicated list'))),
  };
  return { hooks, chunks, batches };
}
