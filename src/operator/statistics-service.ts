import type { StatisticsFigures, StatisticsSnapshot, StatisticsStore } from './statistics-store';

/** Takes the snapshots the `statistics` job records and the console charts. */
export class StatisticsService {
  constructor(private readonly store: StatisticsStore) {}

  async takeSnapshot(): Promise<StatisticsSnapshot> {
    const list = await this.store.categoryFigures();
    const active = list.filter((category) => category.active).length;
    const figures: StatisticsFigures = {
      categories: { total: list.length, active, retired: list.length - active, list },
    };
    return this.store.insert(figures);
  }

  latest(limit = 30): Promise<StatisticsSnapshot[]> {
    return this.store.latest(limit);
  }
}
