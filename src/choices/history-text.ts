import type { ChoicesView, PreferenceEvent } from './choices-service';

function stamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

function state(accepted: boolean | null): string {
  return accepted === null ? 'accepts (never answered)' : accepted ? 'accepts' : 'refuses';
}

/** The operator's plain-text view of one address: current choices, then every event. */
export function formatHistory(view: ChoicesView, history: PreferenceEvent[]): string {
  const point = view.deliveryPoint;
  const lines = [
    `${point.line}, ${[point.city, point.state, point.zip5].filter(Boolean).join(' ')}`,
    `  delivery-point key  ${point.key}`,
    `  last change         ${view.lastChangeAt ? stamp(view.lastChangeAt) : 'never'}`,
    '',
    'Current choices',
  ];
  const width = Math.max(...view.choices.map((choice) => choice.slug.length), 8);
  for (const choice of view.choices) {
    const since = choice.updatedAt ? `  since ${stamp(choice.updatedAt)}` : '';
    lines.push(`  ${choice.slug.padEnd(width)}  ${state(choice.accepted)}${choice.active ? '' : ' (retired category)'}${since}`);
  }
  lines.push('', `History (${history.length} event${history.length === 1 ? '' : 's'})`);
  if (history.length === 0) lines.push('  none');
  for (const event of history) {
    lines.push(
      `  ${stamp(event.at)}  ${(event.reference ?? '').padEnd(12)}  ${event.source.padEnd(8)}  ${event.slug.padEnd(width)}  ${event.previous === null ? 'no answer' : state(event.previous)} -> ${state(event.accepted)}  by ${event.actor}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
