import type { Job } from 'bullmq';
import type { StatisticsService } from './statistics-service';

export interface StatisticsResult {
  snapshotId: number;
  takenAt: string;
  categories: number;
}

export async function processStatistics(statistics: StatisticsService, _job: Job): Promise<StatisticsResult> {
  const snapshot = await statistics.takeSnapshot();
  return { snapshotId: snapshot.id, takenAt: snapshot.takenAt.toISOString(), categories: snapshot.figures.categories.total };
}
