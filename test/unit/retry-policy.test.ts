import { loadConfig } from '../../src/config';
import { retryDelay, retryOptions } from '../../src/lib/queues';

/**
 * The default retries outlast a database or Redis restart of a minute or more (issue 20, repro 2:
 * three attempts within about 3 s stranded a list after a 6 s outage). The outage test stops a
 * real PostgreSQL for 10 s and 20 s with shorter retries; this checks what the defaults add up to.
 */
describe('the default job retry policy', () => {
  const policy = loadConfig({}).queue.retry;

  it('waits 1, 2, 4, 8, 16 s, then 30 s, for about 3.5 minutes over 12 attempts', () => {
    const waits = Array.from({ length: policy.attempts - 1 }, (_, i) => retryDelay(policy, i + 1));
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000, 30_000, 30_000]);
    const total = waits.reduce((sum, wait) => sum + wait, 0);
    expect(total).toBeGreaterThan(3 * 60_000);
    expect(total).toBeLessThan(4 * 60_000);
  });

  it('is what every queued job gets, with the capped backoff its workers compute', () => {
    expect(retryOptions(policy)).toEqual({ attempts: 12, backoff: { type: 'capped-exponential', delay: 1_000 } });
    // A far retry never waits more than the ceiling (BullMQ's exponential backoff would wait hours).
    expect(retryDelay(policy, 40)).toBe(30_000);
  });
});
