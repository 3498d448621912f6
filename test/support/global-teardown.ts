import { dropDatabase } from '../../src/lib/db';

export default async function globalTeardown(): Promise<void> {
  const template = process.env.MAILPREF_TEST_TEMPLATE;
  if (template && process.env.TEST_DATABASE_URL) {
    await dropDatabase(process.env.TEST_DATABASE_URL, template).catch(() => undefined);
  }
  const stops = (globalThis as { __mailprefTestStops?: (() => Promise<void>)[] }).__mailprefTestStops ?? [];
  while (stops.length > 0) await stops.pop()!();
}
