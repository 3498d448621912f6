import { optOutChart } from '../../src/operator/opt-out-chart';
import type { OptOutSeries } from '../../src/statistics/statistics-service';

const CATEGORIES = ['catalogs', 'credit-insurance-offers', 'coupons-retail', 'magazines-subscriptions', 'charity-nonprofit', 'political', 'other'];

function series(snapshots: number[][]): OptOutSeries[] {
  return CATEGORIES.map((slug, i) => ({
    slug,
    name: slug,
    points: snapshots.map((refusing, t) => ({ at: new Date(Date.UTC(2026, 11, 1 + t)), share: refusing[i]! / 200, refusing: refusing[i]!, households: 200 })),
  }));
}

const rowsOf = (page: string) => [...page.matchAll(/<tr data-category="([^"]+)">/g)].map((m) => m[1]);

describe('the dashboard chart', () => {
  it('draws one bar per category for a single snapshot, scaled to the largest, and says the trend comes later', () => {
    const page = optOutChart(series([[10, 20, 30, 40, 5, 0, 1]])).value;
    expect(rowsOf(page)).toEqual(CATEGORIES);
    expect(page).toContain('style="width:100.0%"');
    expect(page).toContain('style="width:25.0%"');
    expect(page).toContain('20.0%</span>');
    expect(page).not.toContain('mp-spark');
    expect(page).toContain('from the second snapshot on');
    // One region name for the bars, another for the snapshot table (axe landmark-unique).
    expect([...page.matchAll(/role="region" aria-label="([^"]+)"/g)].map((m) => m[1])).toEqual(['Opt-out share per category', 'Households refusing each category, per snapshot']);
  });

  it('shows each category\'s trend and its change in points once there are several snapshots', () => {
    const page = optOutChart(series([[10, 20, 30, 40, 5, 0, 1], [12, 20, 28, 40, 5, 0, 1], [20, 20, 26, 40, 5, 0, 1]])).value;
    expect(page.match(/<svg class="mp-spark"/g)).toHaveLength(7);
    expect(page).toContain('+5.0 points since 5.0%');
    expect(page).toContain('−2.0 points since 15.0%');
    expect(page).toContain('no change since 10.0%');
    expect(page).toContain('trend over the last 3 snapshots');
  });

  it('says how to get a first snapshot when there is none', () => {
    expect(optOutChart([]).value).toContain('No statistics yet');
  });
});
