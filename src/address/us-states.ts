/**
 * States, DC, territories and military "states" (Pub 28 Appendix B): names and USPS two-letter
 * codes are equivalent. Also which states have ZIP codes that begin with 0, so that a ZIP whose
 * leading zeros a spreadsheet stripped can be restored — only where the state says it must.
 */
const STATES = `
AL ALABAMA|AK ALASKA|AZ ARIZONA|AR ARKANSAS|CA CALIFORNIA|CO COLORADO|CT CONNECTICUT|DE DELAWARE
DC DISTRICT OF COLUMBIA|FL FLORIDA|GA GEORGIA|HI HAWAII|ID IDAHO|IL ILLINOIS|IN INDIANA|IA IOWA
KS KANSAS|KY KENTUCKY|LA LOUISIANA|ME MAINE|MD MARYLAND|MA MASSACHUSETTS|MI MICHIGAN|MN MINNESOTA
MS MISSISSIPPI|MO MISSOURI|MT MONTANA|NE NEBRASKA|NV NEVADA|NH NEW HAMPSHIRE|NJ NEW JERSEY
NM NEW MEXICO|NY NEW YORK|NC NORTH CAROLINA|ND NORTH DAKOTA|OH OHIO|OK OKLAHOMA|OR OREGON
PA PENNSYLVANIA|RI RHODE ISLAND|SC SOUTH CAROLINA|SD SOUTH DAKOTA|TN TENNESSEE|TX TEXAS|UT UTAH
VT VERMONT|VA VIRGINIA|WA WASHINGTON|WV WEST VIRGINIA|WI WISCONSIN|WY WYOMING
AS AMERICAN SAMOA|GU GUAM|MP NORTHERN MARIANA ISLANDS|PR PUERTO RICO|VI VIRGIN ISLANDS
FM FEDERATED STATES OF MICRONESIA|MH MARSHALL ISLANDS|PW PALAU
AA ARMED FORCES AMERICAS|AE ARMED FORCES EUROPE|AP ARMED FORCES PACIFIC
`;

/** Extra spellings people write for a state. */
const OTHER_NAMES: ReadonlyArray<[string, string]> = [
  ['WASHINGTON DC', 'DC'], ['D C', 'DC'], ['US VIRGIN ISLANDS', 'VI'], ['MASS', 'MA'], ['CALIF', 'CA'],
  ['PENN', 'PA'], ['PENNA', 'PA'], ['TENN', 'TN'], ['TEX', 'TX'], ['WASH', 'WA'], ['WISC', 'WI'],
  ['CONN', 'CT'], ['ILL', 'IL'], ['MICH', 'MI'], ['MINN', 'MN'], ['ARIZ', 'AZ'], ['COLO', 'CO'],
  ['FLA', 'FL'], ['OKLA', 'OK'], ['ORE', 'OR'],
];

/** Upper-cased name, code or other spelling (words separated by one space) → USPS code. */
export const STATE_CODES: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  for (const entry of STATES.trim().split(/[|\n]/)) {
    const code = entry.slice(0, 2);
    map.set(code, code);
    map.set(entry.slice(3), code);
  }
  for (const [name, code] of OTHER_NAMES) map.set(name, code);
  return map;
})();

/** The longest state name, in words (for reading a state off the end of a free-text line). */
export const MAX_STATE_WORDS = 4;

/**
 * Three-digit ZIP prefixes that begin with 0, by state (USPS "ZIP Code prefixes", the 0 region:
 * New England, New Jersey, Puerto Rico, the Virgin Islands, the IRS in Holtsville NY, and the
 * military post offices in Europe). A state missing here has no ZIP beginning with 0.
 */
const ZERO_PREFIXES: ReadonlyArray<[string, number, number]> = [
  ['NY', 5, 5], ['PR', 6, 7], ['PR', 9, 9], ['VI', 8, 8], ['MA', 10, 27], ['MA', 55, 55],
  ['RI', 28, 29], ['NH', 30, 38], ['ME', 39, 49], ['VT', 50, 54], ['VT', 56, 59],
  ['CT', 60, 69], ['NJ', 70, 89], ['AE', 90, 98],
];

/** Whether a ZIP whose first three digits are `prefix` (0–99, i.e. `000`–`099`) belongs to `state`. */
export function stateHasZeroPrefix(state: string, prefix: number): boolean {
  for (const [code, low, high] of ZERO_PREFIXES) if (code === state && prefix >= low && prefix <= high) return true;
  return false;
}
