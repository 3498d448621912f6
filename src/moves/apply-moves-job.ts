import { UnrecoverableError, type Job } from 'bullmq';
import { AppError } from '../lib/errors';
import { MoveImportRejected, type MovesService } from './moves-service';

/** apply-moves: one uploaded change-of-address file ({importId}), or every queued one ({}). */
export async function processApplyMoves(moves: MovesService, job: Job<{ importId?: unknown }>) {
  const importId = job.data.importId;
  if (importId !== undefined && (typeof importId !== 'number' || !Number.isInteger(importId))) {
    throw new UnrecoverableError(`apply-moves: importId must be a whole number, got ${JSON.stringify(importId)}`);
  }
  try {
    return importId === undefined ? await moves.applyQueued() : await moves.applyImport(importId);
  } catch (error) {
    // A file that cannot be read, or an import that does not exist, will not get better on a retry.
    if (error instanceof MoveImportRejected || (error instanceof AppError && error.statusCode < 500)) throw new UnrecoverableError(error.message);
    throw error;
  }
}
