/**
 * Ids from URLs, read before they reach a query: a malformed one names nothing (a 404), instead of
 * failing a PostgreSQL cast (a 500 and an error in the log). Serial ids are `integer` or `bigint`
 * identity columns; the rest are UUIDs.
 */
const MAX = { integer: 2_147_483_647, bigint: Number.MAX_SAFE_INTEGER } as const;

/** A positive serial id written in plain digits (no sign, exponent, fraction or leading zero) within its column's range. */
export function parseSerialId(text: unknown, column: keyof typeof MAX = 'integer'): number | undefined {
  if (typeof text !== 'string' || !/^[1-9][0-9]{0,15}$/.test(text)) return undefined;
  const id = Number(text);
  return id <= MAX[column] ? id : undefined;
}

export function isUuid(text: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text);
}
