import { html, type SafeHtml } from '../web/html';
import type { OptOutSeries } from '../statistics/statistics-service';
import { tableRegion } from '../web/table-region';

const SPARK = { width: 120, height: 28, pad: 3 };

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function utc(at: Date | number, seconds = false): string {
  return `${new Date(at).toISOString().slice(0, seconds ? 19 : 16).replace('T', ' ')} UTC`;
}

/** Percentage points between the first and the last share, signed ("+1.2 points"). */
function change(first: number, last: number): string {
  const points = (last - first) * 100;
  if (Math.abs(points) < 0.05) return 'no change';
  return `${points > 0 ? '+' : '−'}${Math.abs(points).toFixed(1)} points`;
}

/** A small line of one category's share over the snapshots, scaled to its own range (the words beside it carry the figures). */
function sparkline(points: OptOutSeries['points']): SafeHtml {
  const shares = points.map((p) => p.share);
  const low = Math.min(...shares);
  const high = Math.max(...shares);
  const span = high - low || 1;
  const step = (SPARK.width - 2 * SPARK.pad) / (points.length - 1);
  const coords = points.map((p, i) => `${(SPARK.pad + i * step).toFixed(1)},${(SPARK.height - SPARK.pad - ((p.share - low) / span) * (SPARK.height - 2 * SPARK.pad)).toFixed(1)}`);
  return html`<svg class="mp-spark" viewBox="0 0 ${SPARK.width} ${SPARK.height}" width="${SPARK.width}" height="${SPARK.height}" aria-hidden="true" focusable="false">
    <polyline fill="none" stroke="#005ea2" stroke-width="2" points="${coords.join(' ')}"/></svg>`;
}

/**
 * The dashboard chart: today's share of households refusing each category as bars (one row per
 * category, so seven stay apart and legible on a phone), and, once there are two snapshots or
 * more, each category's trend beside its bar with the change in words. The chart is an HTML table
 * (a screen reader reads every figure), the bars and lines are decoration over the written values;
 * every snapshot's figures follow in a second table.
 */
export function optOutChart(series: OptOutSeries[]): SafeHtml {
  const times = [...new Set(series.flatMap((s) => s.points.map((p) => p.at.getTime())))].sort((a, b) => a - b);
  if (times.length === 0) {
    return html`<p>No statistics yet. Take a snapshot (the button below, or schedule the <code>statistics</code> job) to see each category's share here.</p>`;
  }
  const latestAt = times[times.length - 1]!;
  const rows = series
    .map((s) => ({ series: s, latest: s.points.find((p) => p.at.getTime() === latestAt) }))
    .filter((row): row is { series: OptOutSeries; latest: OptOutSeries['points'][number] } => row.latest !== undefined);
  const top = Math.max(0.05, ...rows.map((row) => row.latest.share));
  const trend = times.length >= 2;
  const households = rows[0]?.latest.households ?? 0;

  return html`<div class="mp-chart" data-snapshots="${times.length}">
    ${tableRegion(
      'Opt-out share per category',
      html`<table class="usa-table usa-table--borderless mp-bars">
        <caption>Share of the ${households.toLocaleString('en-US')} known households refusing each category, snapshot of ${utc(latestAt)}${
          trend ? html`; trend over the last ${times.length} snapshots, since ${utc(times[0]!)}` : ''
        }</caption>
        <thead><tr><th scope="col">Category</th><th scope="col">Refusing now</th>${trend ? html`<th scope="col">Trend</th>` : ''}</tr></thead>
        <tbody>${rows.map(({ series: s, latest }) => {
          const first = s.points[0]!;
          return html`<tr data-category="${s.slug}">
            <th scope="row">${s.name}</th>
            <td><span class="mp-bar"><span class="mp-bar__fill" style="width:${((latest.share / top) * 100).toFixed(1)}%"></span></span>
              <span class="mp-bar__value">${percent(latest.share)}</span> <span class="mp-bar__count">(${latest.refusing.toLocaleString('en-US')})</span></td>
            ${trend
              ? html`<td>${s.points.length >= 2 ? html`${sparkline(s.points)} <span class="mp-trend">${change(first.share, latest.share)} since ${percent(first.share)}</span>` : 'new since the first snapshot'}</td>`
              : ''}
          </tr>`;
        })}</tbody>
      </table>`,
    )}
    ${trend ? '' : html`<p class="usa-hint">The trend of each category appears here from the second snapshot on.</p>`}
  </div>
  <details>
    <summary>Every snapshot's figures</summary>
    ${tableRegion(
      'Households refusing each category, per snapshot',
      html`<table class="usa-table usa-table--compact mp-opt-out-table">
        <caption>Households refusing each category, per snapshot</caption>
        <thead><tr><th scope="col">Snapshot (UTC)</th>${series.map((s) => html`<th scope="col">${s.name}</th>`)}</tr></thead>
        <tbody>${times.map((t) => html`<tr><th scope="row">${utc(t, true).replace(' UTC', '')}</th>${series.map((s) => {
          const point = s.points.find((p) => p.at.getTime() === t);
          return html`<td>${point ? `${percent(point.share)} (${point.refusing} of ${point.households})` : '—'}</td>`;
        })}</tr>`)}</tbody>
      </table>`,
    )}
  </details>`;
}
