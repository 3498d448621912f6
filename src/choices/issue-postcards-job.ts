import { UnrecoverableError, type Job } from 'bullmq';
import { AppError } from '../lib/errors';
import type { PostcardService, PostcardSummary } from './postcard-service';

export interface IssuePostcardsData {
  /** A stored address file (FileStorage key); without one, the queued lost-card requests are issued. */
  inputKey?: string;
  /** Where the print file and reject file go; defaults to `postcards/job-<id>`. */
  outputPrefix?: string;
}

export type IssuePostcardsResult = PostcardSummary & { printFileKey: string; rejectsKey: string };

export async function processIssuePostcards(postcards: PostcardService, job: Job<IssuePostcardsData>): Promise<IssuePostcardsResult> {
  try {
    return await postcards.issueFromStorage({
      inputKey: job.data.inputKey,
      outputPrefix: job.data.outputPrefix ?? `postcards/job-${job.id}`,
    });
  } catch (error) {
    // Bad input will be just as bad on the next attempt: fail now, with the reason.
    if (error instanceof AppError && error.statusCode < 500) throw new UnrecoverableError(error.message);
    throw error;
  }
}
