/**
 * Box delivery lines (Pub 28 §24x): PO BOX 123, RR 2 BOX 15, HC 1 BOX 20, and military
 * addresses (§225: PSC 1234 BOX 5678, UNIT 2050 BOX 4190, CMR 410 BOX 12). Each has its own key
 * form; the box number is required (a rural route or a PO box without one is not a delivery point).
 */
import { failure, type AddressFailure } from './address-status';
import { hasDigit } from './characters';

export type BoxKind = 'po-box' | 'rural-route' | 'highway-contract' | 'military';

export interface BoxLine {
  kind: BoxKind;
  /** `2` in RR 2 (may be empty: some rural routes are unnumbered), `PSC 1234` for military; empty for PO boxes. */
  route: string;
  box: string;
}

const BOX_WORDS = new Set(['BOX', 'BX']);

/** Length of a PO Box prefix at tokens[0] (PO BOX, P O BOX, POB, POBOX, POST OFFICE BOX, BOX), or 0. */
function poBoxPrefix(tokens: readonly string[], end: number): { length: number; bare: boolean } {
  // the word list is reused between rows: nothing at or after `end` belongs to this line
  const t0 = tokens[0];
  const t1 = end > 1 ? tokens[1] : undefined;
  const t2 = end > 2 ? tokens[2] : undefined;
  if (t0 === 'POBOX' || t0 === 'POB' || t0 === 'POBX') return { length: 1, bare: false };
  if (t0 === 'PO') return { length: BOX_WORDS.has(t1!) ? 2 : 1, bare: false };
  if ((t0 === 'P' && t1 === 'O') || (t0 === 'POST' && (t1 === 'OFFICE' || t1 === 'OFF'))) {
    return { length: BOX_WORDS.has(t2!) ? 3 : 2, bare: false };
  }
  if (t0 === 'POST' && BOX_WORDS.has(t1!)) return { length: 2, bare: false };
  if (BOX_WORDS.has(t0!) && end > 1) return { length: 1, bare: true };
  return { length: 0, bare: false };
}

/** Length of a route prefix at tokens[i] (RR, RFD, RURAL ROUTE, HC, HCR, HIGHWAY CONTRACT, STAR ROUTE), or 0. */
function routePrefix(tokens: readonly string[], i: number, end: number): { kind: BoxKind; length: number } | undefined {
  const t0 = i < end ? tokens[i] : undefined;
  const t1 = i + 1 < end ? tokens[i + 1] : undefined;
  const t2 = i + 2 < end ? tokens[i + 2] : undefined;
  if (t0 === 'RR' || t0 === 'RFD') return { kind: 'rural-route', length: 1 };
  if (t0 === 'R' && (t1 === 'R' || t1 === 'F')) return { kind: 'rural-route', length: t1 === 'F' && t2 === 'D' ? 3 : 2 };
  if (t0 === 'RURAL') return { kind: 'rural-route', length: t1 === 'ROUTE' || t1 === 'RTE' || t1 === 'RT' ? 2 : 1 };
  if (t0 === 'HC' || t0 === 'HCR') return { kind: 'highway-contract', length: t1 === 'ROUTE' || t1 === 'RTE' ? 2 : 1 };
  if (t0 === 'H' && t1 === 'C') return { kind: 'highway-contract', length: 2 };
  if (t0 === 'HIGHWAY' && t1 === 'CONTRACT') return { kind: 'highway-contract', length: t2 === 'ROUTE' ? 3 : 2 };
  if (t0 === 'STAR' && (t1 === 'ROUTE' || t1 === 'RTE' || t1 === 'RT')) return { kind: 'highway-contract', length: 2 };
  return undefined;
}

/** `HC2 BOX 9`, `RR4 BOX 22`: the route's number run into its designator, as two words. */
function splitRouteNumber(tokens: readonly string[], end: number): readonly string[] {
  const t0 = tokens[0]!;
  const c = t0.charCodeAt(0);
  if (end < 2 || (c !== 82 && c !== 72) || !hasDigit(t0)) return tokens; // R…, H…
  const match = /^(RR|RFD|HC|HCR)(\d+)$/.exec(t0);
  return match ? [match[1]!, match[2]!, ...tokens.slice(1, end)] : tokens;
}

/** ROUTE 2 BOX 15 is a rural route only because a box follows; ROUTE 2 alone is a road. */
function routeWordWithBox(tokens: readonly string[], end: number): boolean {
  const t0 = tokens[0];
  return (t0 === 'ROUTE' || t0 === 'RTE' || t0 === 'RT') && end >= 4 && BOX_WORDS.has(tokens[2]!);
}

function skipPound(tokens: readonly string[], j: number, end: number): number {
  while (j < end && (tokens[j] === '#' || tokens[j] === 'NO' || tokens[j] === 'NUMBER')) j++;
  return j;
}

/** Reads `RR 2 BOX 15` (or the route alone) at tokens[i..end). */
function readRoute(tokens: readonly string[], i: number, end: number, kind: BoxKind): BoxLine | AddressFailure {
  const name = kind === 'rural-route' ? 'rural route' : 'highway contract route';
  let j = skipPound(tokens, i, end);
  let route = '';
  if (j < end && !BOX_WORDS.has(tokens[j]!)) route = tokens[j++]!;
  if (j < end && BOX_WORDS.has(tokens[j]!)) j++;
  j = skipPound(tokens, j, end);
  if (j >= end) return failure('NO_BOX_NUMBER', `${name} ${route} has no box number`.replace('  ', ' '));
  const box = tokens[j++]!;
  if (j < end) return failure('UNREADABLE', `unexpected "${tokens.slice(j, end).join(' ')}" after the ${name} box number`);
  return { kind, route, box };
}

/**
 * The box line in tokens[0..end), a failure when it is one but unusable, or undefined when the
 * line is not a box line at all.
 */
export function readBoxLine(given: readonly string[], end: number): BoxLine | AddressFailure | undefined {
  if (end === 0) return undefined;
  const tokens = splitRouteNumber(given, end);
  if (tokens !== given) end++;
  const t0 = tokens[0];
  if ((t0 === 'PSC' || t0 === 'CMR' || t0 === 'UNIT') && end >= 2 && hasDigit(tokens[1]!) && (end > 2 ? BOX_WORDS.has(tokens[2]!) : t0 !== 'UNIT')) {
    // military: PSC 1234 BOX 5678 (the unit or PSC number alone is not a delivery point)
    if (end < 4) return failure('NO_BOX_NUMBER', `${t0} ${tokens[1]} has no box number`);
    if (end > 4) return failure('UNREADABLE', `unexpected "${tokens.slice(4, end).join(' ')}" after the box number`);
    return { kind: 'military', route: `${t0} ${tokens[1]}`, box: tokens[3]! };
  }
  const route = routePrefix(tokens, 0, end) ?? (routeWordWithBox(tokens, end) ? { kind: 'rural-route' as const, length: 1 } : undefined);
  if (route) return readRoute(tokens, route.length, end, route.kind);
  const po = poBoxPrefix(tokens, end);
  if (po.length === 0) return undefined;
  let j = skipPound(tokens, po.length, end);
  if (j >= end) return failure('NO_BOX_NUMBER', 'PO Box without a box number');
  const box = tokens[j++]!;
  // BOX 15 without PO but with a house-number-like word after it is not a box line (BOX ELDER RD)
  if (po.bare && !hasDigit(box)) return undefined;
  if (j === end) return { kind: 'po-box', route: '', box };
  // BOX 15 RR 2: the box written before its route
  const after = po.bare ? routePrefix(tokens, j, end) : undefined;
  if (after) {
    const k = j + after.length;
    if (k === end) return { kind: after.kind, route: '', box };
    if (k + 1 === end) return { kind: after.kind, route: tokens[k]!, box };
  }
  return failure('UNREADABLE', `unexpected "${tokens.slice(j, end).join(' ')}" after PO Box ${box}`);
}

/** The box line without its box number: `PO BOX`, `RR 2`, `HC`. */
export function boxRouteText(line: BoxLine): string {
  if (line.kind === 'po-box') return 'PO BOX';
  if (line.kind === 'military') return line.route;
  const prefix = line.kind === 'rural-route' ? 'RR' : 'HC';
  return line.route ? `${prefix} ${line.route}` : prefix;
}

/** `PO BOX 12`, `RR 2 BOX 15`, `HC 1 BOX 20` (Pub 28 §241–243 spacing). */
export function boxLineText(line: BoxLine): string {
  return line.kind === 'po-box' ? `PO BOX ${line.box}` : `${boxRouteText(line)} BOX ${line.box}`;
}
