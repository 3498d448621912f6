/**
 * Publication 28 §233 and Appendix B: directionals. The one- and two-letter forms are the
 * standard abbreviations; whether a directional is one or part of the street name ("North St")
 * is decided by the street parser from its position, not here.
 */
export const DIRECTIONALS: ReadonlyMap<string, string> = new Map([
  ['N', 'N'], ['NORTH', 'N'],
  ['S', 'S'], ['SOUTH', 'S'],
  ['E', 'E'], ['EAST', 'E'],
  ['W', 'W'], ['WEST', 'W'],
  ['NE', 'NE'], ['NORTHEAST', 'NE'],
  ['NW', 'NW'], ['NORTHWEST', 'NW'],
  ['SE', 'SE'], ['SOUTHEAST', 'SE'],
  ['SW', 'SW'], ['SOUTHWEST', 'SW'],
]);

/** `NORTH EAST` written as two words is the directional NE (Pub 28 §233.1 spells it as one). */
export function compoundDirectional(first: string, second: string): string | undefined {
  if (first !== 'NORTH' && first !== 'SOUTH') return undefined;
  if (second !== 'EAST' && second !== 'WEST') return undefined;
  return first[0]! + second[0]!;
}
