import { html, type SafeHtml } from '../web/html';
import type { OptOutSeries } from '../statistics/statistics-service';

// Colour-blind-safe palette (Okabe–Ito), dark enough on white for lines.
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#999933'];
const WIDTH = 720;
const HEIGHT = 280;
const PAD = { left: 48, right: 16, top: 16, bottom: 40 };

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/**
 * Opt-out share per category over time as inline SVG (no JavaScript), with a legend and the same
 * figures in a table for screen readers and for reading exact values.
 */
export function optOutChart(series: OptOutSeries[]): SafeHtml {
  const times = [...new Set(series.flatMap((s) => s.points.map((p) => p.at.getTime())))].sort((a, b) => a - b);
  if (times.length === 0) {
    return html`<p>No statistics yet. Run the <code>statistics</code> job (schedule it, or “Run now” on its schedule) to take the first snapshot.</p>`;
  }
  const maxShare = Math.max(0.05, ...series.flatMap((s) => s.points.map((p) => p.share)));
  const top = Math.min(1, Math.ceil(maxShare * 10) / 10);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (t: number) => PAD.left + (times.length === 1 ? plotW / 2 : ((t - times[0]!) / (times[times.length - 1]! - times[0]!)) * plotW);
  const y = (share: number) => PAD.top + plotH - (share / top) * plotH;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * top);
  const first = new Date(times[0]!).toISOString().slice(0, 16).replace('T', ' ');
  const last = new Date(times[times.length - 1]!).toISOString().slice(0, 16).replace('T', ' ');
  const latest = series.map((s) => ({ name: s.name, share: s.points[s.points.length - 1]?.share ?? 0 }));
  const summary = latest.map((l) => `${l.name} ${percent(l.share)}`).join(', ');

  return html`<figure class="margin-x-0">
    <svg class="mp-chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-labelledby="chart-title chart-desc">
      <title id="chart-title">Share of households refusing each category, ${first} to ${last} UTC</title>
      <desc id="chart-desc">Latest: ${summary}.</desc>
      ${ticks.map(
        (tick) => html`<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(tick)}" y2="${y(tick)}" stroke="#dfe1e2"/>
          <text x="${PAD.left - 6}" y="${y(tick) + 4}" text-anchor="end" font-size="11" fill="#1b1b1b">${percent(tick)}</text>`,
      )}
      <text x="${PAD.left}" y="${HEIGHT - 12}" font-size="11" fill="#1b1b1b">${first}</text>
      <text x="${WIDTH - PAD.right}" y="${HEIGHT - 12}" font-size="11" text-anchor="end" fill="#1b1b1b">${last}</text>
      ${series.map((s, i) => {
        const colour = COLOURS[i % COLOURS.length]!;
        const points = s.points.map((p) => `${x(p.at.getTime()).toFixed(1)},${y(p.share).toFixed(1)}`).join(' ');
        return html`<g data-category="${s.slug}">
          <polyline fill="none" stroke="${colour}" stroke-width="2" points="${points}"/>
          ${s.points.map((p) => html`<circle cx="${x(p.at.getTime()).toFixed(1)}" cy="${y(p.share).toFixed(1)}" r="3" fill="${colour}"/>`)}
        </g>`;
      })}
    </svg>
    <figcaption>
      <ul class="mp-legend">${series.map((s, i) => html`<li><span class="mp-swatch" style="background:${COLOURS[i % COLOURS.length]}" aria-hidden="true"></span>${s.name}</li>`)}</ul>
    </figcaption>
  </figure>
  <details>
    <summary>The chart's figures as a table</summary>
    <div class="mp-table-wrap" tabindex="0" role="region" aria-label="Table (scrolls sideways on narrow screens)"><table class="usa-table usa-table--compact mp-opt-out-table">
      <caption>Households refusing each category, per snapshot</caption>
      <thead><tr><th scope="col">Snapshot (UTC)</th>${series.map((s) => html`<th scope="col">${s.name}</th>`)}</tr></thead>
      <tbody>${times.map((t) => html`<tr><th scope="row">${new Date(t).toISOString().slice(0, 19).replace('T', ' ')}</th>${series.map((s) => {
        const point = s.points.find((p) => p.at.getTime() === t);
        return html`<td>${point ? `${percent(point.share)} (${point.refusing} of ${point.households})` : '—'}</td>`;
      })}</tr>`)}</tbody>
    </table></div>
  </details>`;
}
