/**
 * Why an address got no key. Codes are stable (they are written into list reports and the
 * `address_status` column); messages are for people and may change.
 */
export type AddressStatus =
  | 'OK'
  /** The street line does not start with a house number (and is not a PO Box, RR or HC line). */
  | 'NO_PRIMARY_NUMBER'
  /** No street line at all, or nothing after the house number. */
  | 'NO_STREET'
  /** No usable ZIP code, and not both a city and a state. */
  | 'NO_LOCALITY'
  /** A ZIP code is given but is not a ZIP code (or its stripped zeros cannot be restored). */
  | 'BAD_ZIP'
  /** A PO Box, Rural Route or Highway Contract line without its box number. */
  | 'NO_BOX_NUMBER'
  /** A unit designator without its number (APT, SUITE), or an address2 that is not a unit. */
  | 'BAD_UNIT'
  /** A single free-text line where the street cannot be told apart from the city. */
  | 'AMBIGUOUS'
  /** Not an address: placeholders (N/A, UNKNOWN), punctuation only, two different street lines. */
  | 'UNREADABLE';

export type AddressFailureReason = Exclude<AddressStatus, 'OK'>;

/** A class (not a plain object) so parsers can tell a failure from a result with `instanceof`, which is fast. */
export class AddressFailure {
  readonly ok = false as const;
  constructor(
    readonly reason: AddressFailureReason,
    readonly message: string,
  ) {}
}

export function failure(reason: AddressFailureReason, message: string): AddressFailure {
  return new AddressFailure(reason, message);
}
