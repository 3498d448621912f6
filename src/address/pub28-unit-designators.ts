/**
 * Publication 28 Appendix C2 "Secondary Unit Designators" (§213). Designators marked `ranged`
 * require a secondary number (APT 4B); the others stand alone (REAR, BSMT).
 *
 * Key form: Pub 28 §213.1 lets `#` stand for any designator when the designator is unknown, and
 * APT, UNIT, STE and `#` are what people use interchangeably for "the dwelling or office number
 * in this building". They share the key designator `#` so `#4B`, `APT 4B` and `UNIT 4B` are one
 * unit. Floors, buildings, rooms, lots, etc. keep their own designator: `FL 2` is not `APT 2`.
 */
export interface UnitDesignator {
  /** Pub 28 standard abbreviation, e.g. `APT`. */
  abbreviation: string;
  /** Designator written in the key (`#` for the interchangeable dwelling designators). */
  keyForm: string;
  /** Needs a secondary number after it. */
  ranged: boolean;
  /** Sort order inside the key (building before floor before unit), so the written order does not matter. */
  rank: number;
  /** A common word in street names too (LOT, KEY, FRONT…): only a designator where a unit can be. */
  alsoAWord: boolean;
}

const C2_TABLE: ReadonlyArray<[abbreviation: string, spellings: string, ranged: boolean, keyForm: string, rank: number, alsoAWord: boolean]> = [
  ['BLDG', 'BLDG BUILDING BLD BLG', true, 'BLDG', 1, false],
  ['DEPT', 'DEPT DEPARTMENT DPT', true, 'DEPT', 2, false],
  ['FL', 'FL FLOOR FLR', true, 'FL', 3, false],
  ['APT', 'APT APARTMENT APPT APTS', true, '#', 4, false],
  ['UNIT', 'UNIT UNT', true, '#', 4, false],
  ['STE', 'STE SUITE', true, '#', 4, false],
  ['#', '#', true, '#', 4, false],
  ['#', 'NO NUM NUMBER', true, '#', 4, true],
  ['RM', 'RM ROOM', true, 'RM', 5, false],
  ['HNGR', 'HNGR HANGAR', true, 'HNGR', 5, false],
  ['KEY', 'KEY', true, 'KEY', 5, true],
  ['LOT', 'LOT', true, 'LOT', 5, true],
  ['PIER', 'PIER', true, 'PIER', 5, true],
  ['SLIP', 'SLIP', true, 'SLIP', 5, true],
  ['SPC', 'SPC SPACE', true, 'SPC', 5, true],
  ['STOP', 'STOP', true, 'STOP', 5, true],
  ['TRLR', 'TRLR TRAILER', true, 'TRLR', 5, false],
  ['BSMT', 'BSMT BASEMENT', false, 'BSMT', 6, false],
  ['FRNT', 'FRNT FRONT', false, 'FRNT', 6, true],
  ['LBBY', 'LBBY LOBBY', false, 'LBBY', 6, true],
  ['LOWR', 'LOWR LOWER LWR', false, 'LOWR', 6, true],
  ['OFC', 'OFC OFFICE', false, 'OFC', 6, true],
  ['PH', 'PH PENTHOUSE', false, 'PH', 6, false],
  ['REAR', 'REAR', false, 'REAR', 6, true],
  ['SIDE', 'SIDE', false, 'SIDE', 6, true],
  ['UPPR', 'UPPR UPPER UPR', false, 'UPPR', 6, true],
];

export const UNIT_DESIGNATORS: ReadonlyMap<string, UnitDesignator> = (() => {
  const map = new Map<string, UnitDesignator>();
  for (const [abbreviation, spellings, ranged, keyForm, rank, alsoAWord] of C2_TABLE) {
    const designator: UnitDesignator = { abbreviation, keyForm, ranged, rank, alsoAWord };
    for (const spelling of spellings.split(' ')) map.set(spelling, designator);
  }
  return map;
})();

/** The `#` designator, used for a bare unit number such as address2 = `4B`. */
export const POUND_DESIGNATOR: UnitDesignator = UNIT_DESIGNATORS.get('#')!;
