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
  | 'UNREADABLE'
  /**
   * Bytes of the address are not characters of its file's encoding (decoded as U+FFFD), or read
   * differently in the two encodings a mixed file holds: never keyed, since a wrong key would
   * match nobody's choice.
   */
  | 'BAD_ENCODING';

export type AddressFailureReason = Exclude<AddressStatus, 'OK'>;

/** Why a parser found no address: `ok` is false on it and on nothing else a parser returns (isFailure). */
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

/**
 * Whether a parser's result is a failure, from its `ok` field. Not `instanceof AddressFailure`:
 * on a class imported through tsx's CommonJS output V8 runs its generic instanceof (~250
 * instructions, three times a row), while a field read on objects of known shapes is a check of
 * the shape.
 */
export function isFailure(value: object | undefined): value is AddressFailure {
  return value !== undefined && (value as { ok?: unknown }).ok === false;
}
