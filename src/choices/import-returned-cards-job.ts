import { UnrecoverableError, type Job } from 'bullmq';
import { AppError } from '../lib/errors';
import type { CardImportService, CardImportSummary } from './card-import-service';

export interface ImportReturnedCardsData {
  /** The card scanner's CSV in FileStorage. */
  inputKey: string;
  /** Where the reject report goes; defaults to `cards/job-<id>`. */
  outputPrefix?: string;
}

export type ImportReturnedCardsResult = CardImportSummary & { rejectsKey: string };

export async function processImportReturnedCards(cards: CardImportService, job: Job<ImportReturnedCardsData>): Promise<ImportReturnedCardsResult> {
  if (!job.data?.inputKey) throw new UnrecoverableError('import-returned-cards needs { inputKey }: the stored card file');
  try {
    return await cards.importFromStorage({ inputKey: job.data.inputKey, outputPrefix: job.data.outputPrefix ?? `cards/job-${job.id}` });
  } catch (error) {
    // A malformed file will be just as malformed on the next attempt; a crash mid-way is retried
    // and skips the rows already applied.
    if (error instanceof AppError && error.statusCode < 500) throw new UnrecoverableError(error.message);
    throw error;
  }
}
