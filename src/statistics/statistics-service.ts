import type { Logger } from '../lib/logger';
import type { ListFigures, StatisticsFigures, StatisticsSnapshot, StatisticsStore } from './statistics-store';

export type { StatisticsSnapshot };

export interface OptOutSeries {
  slug: string;
  name: string;
  /** Share of known households refusing the category, 0..1, per snapshot (oldest first). */
  points: { at: Date; share: number; refusing: number; households: number }[];
}

/** Takes the snapshots the `statistics` job records and the console charts. */
export class StatisticsService {
  constructor(
    private readonly store: StatisticsStore,
    private readonly logger: Logger,
  ) {}

  async takeSnapshot(now: Date = new Date()): Promise<StatisticsSnapshot> {
    const list = await this.store.categoryFigures();
    const active = list.filter((category) => category.active).length;
    let lists: ListFigures | null = null;
    try {
      lists = await this.store.listFigures(now);
    } catch (error) {
      // The list tables belong to another feature; a change there must not stop the snapshot.
      this.logger.warn({ err: error }, 'statistics: list figures unavailable');
    }
    const figures: StatisticsFigures = {
      categories: { total: list.length, active, retired: list.length - active, list },
      households: await this.store.households(),
      lists,
    };
    return this.store.insert(figures);
  }

  latest(limit = 30): Promise<StatisticsSnapshot[]> {
    return this.store.latest(limit);
  }

  /** Opt-out share per category over the last `limit` snapshots, for the dashboard chart. */
  async optOutSeries(limit = 30): Promise<OptOutSeries[]> {
    const snapshots = (await this.store.latest(limit)).reverse();
    const series = new Map<string, OptOutSeries>();
    for (const snapshot of snapshots) {
      const households = snapshot.figures.households;
      if (households === undefined) continue;
      for (const category of snapshot.figures.categories.list) {
        if (category.refusing === undefined) continue;
        let entry = series.get(category.slug);
        if (!entry) series.set(category.slug, (entry = { slug: category.slug, name: category.name, points: [] }));
        entry.name = category.name;
        entry.points.push({ at: snapshot.takenAt, share: households > 0 ? category.refusing / households : 0, refusing: category.refusing, households });
      }
    }
    return [...series.values()];
  }
}
