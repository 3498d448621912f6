import type { Logger } from '../../lib/logger';
import type { ListJobsState, ListQueue } from './cleanse-flow';
import type { ListsStore } from '../lists-store';

/** The reason a stranded list is failed with; the mailer reads it, the operator can act on it. */
export function strandedReason(listId: string, state: ListJobsState): string {
  const why = state.failedReason ? `Processing failed: ${state.failedReason}` : 'Processing stopped: its jobs are no longer queued';
  return `${why} (the failure could not be recorded when it happened). An operator can run it again (mailpref lists retry ${listId}), or upload the list again`;
}

/**
 * Finds lists still queued or running that no job will finish — their jobs failed for good while
 * the database could not record it, or Redis lost them — and settles them: a queued list whose
 * jobs are all gone is queued again; any other is failed with the reason, and can be retried. A
 * list is settled only when a second sweep finds it so too (a list is recorded a moment before
 * its job is queued). Sweeps from several workers at once are harmless: each change is
 * conditional on the status seen.
 */
export class ListWatchdog {
  private suspects = new Set<string>();

  constructor(
    private readonly store: Pick<ListsStore, 'listByStatus' | 'failIfStatus'>,
    private readonly queue: Pick<ListQueue, 'state' | 'enqueue'>,
    private readonly logger: Logger,
    /** Told of each list it fails (its mailer's webhook); must not throw. */
    private readonly onFailed: (listId: string) => Promise<void> = async () => undefined,
  ) {}

  async sweep(): Promise<{ failed: string[]; requeued: string[] }> {
    const result = { failed: [] as string[], requeued: [] as string[] };
    const stranded = new Set<string>();
    for (const list of [...(await this.store.listByStatus('queued')), ...(await this.store.listByStatus('running'))]) {
      const state = await this.queue.state(list.id);
      if (state.live) continue;
      stranded.add(list.id);
      if (!this.suspects.has(list.id)) continue;
      if (list.status === 'queued' && !state.found) {
        await this.queue.enqueue(list.id);
        result.requeued.push(list.id);
        this.logger.warn({ listId: list.id }, 'a queued list had no job: queued again');
      } else if (await this.store.failIfStatus(list.id, list.status, strandedReason(list.id, state))) {
        result.failed.push(list.id);
        await this.onFailed(list.id);
        this.logger.warn({ listId: list.id, status: list.status, reason: state.failedReason }, 'a list no job would finish was marked failed');
      }
    }
    this.suspects = stranded;
    return result;
  }

  /** Sweeps every intervalMs (never two at once) until the returned function is called. */
  start(intervalMs: number): () => void {
    let sweeping = false;
    const timer = setInterval(() => {
      if (sweeping) return;
      sweeping = true;
      this.sweep()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'could not look for stranded lists; trying again later'))
        .finally(() => (sweeping = false));
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}
