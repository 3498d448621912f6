import { UnrecoverableError, type Job } from 'bullmq';
import { RefusedAddressError } from '../../lib/outbound-address';
import type { ListEvent, ListWebhooks } from './list-webhooks';

/** The list-webhook job: one attempt to deliver a list's event; a refused address is not retried. */
export async function processListWebhook(webhooks: ListWebhooks, job: Job<{ listId: string; event: ListEvent }>): Promise<unknown> {
  try {
    return await webhooks.deliver(job.data.listId, job.data.event, job.attemptsMade + 1);
  } catch (error) {
    if (error instanceof RefusedAddressError) throw new UnrecoverableError(error.message);
    throw error;
  }
}
