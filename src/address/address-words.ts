/**
 * One lookup per word: everything the parsers need to know about a token (is it a C1 suffix, a
 * directional, a C2 unit designator, the start of a spelled ordinal…) merged into a single Map
 * built at module load, because the cleanse pipeline keys every row of 10M-row lists and one
 * Map.get per token is much cheaper than one per table.
 */
import { DIRECTIONALS } from './pub28-directionals';
import { STREET_SUFFIXES, type StreetSuffix } from './pub28-suffixes';
import { UNIT_DESIGNATORS, type UnitDesignator } from './pub28-unit-designators';
import { HIGHWAY_FIRST_WORDS } from './numbered-highways';
import { ORDINAL_START_WORDS } from './spelled-ordinals';

export interface WordInfo {
  suffix: StreetSuffix | null;
  directional: string | null;
  unit: UnitDesignator | null;
  ordinalStart: boolean;
  /** How the word is written when it is inside a street name (LK SHORE DR → LAKE SHORE DR). */
  nameForm: string | null;
  /** The line is not an address line at all (C/O Jane Smith, ATTN Billing): ignore it. */
  startsNonAddressLine: boolean;
  /** A placeholder a spreadsheet puts where there is no address (N/A, NONE, UNKNOWN). */
  placeholder: boolean;
  /** Can begin a numbered road (COUNTY, HWY, SR, US…). */
  highwayStart: boolean;
}

/**
 * C1 abbreviations that are also ordinary words or name parts, so inside a street name they are
 * kept as written (VIA VERDE is not VIADUCT VERDE, LA JOLLA is not LANE JOLLA).
 */
const KEEP_IN_NAMES = new Set(['VIA', 'IS', 'UN', 'EST', 'CEN', 'CENT', 'DIV', 'BOT', 'HT', 'CK', 'PR', 'BR', 'CP', 'DL', 'DM', 'DV', 'KY', 'LF', 'ML', 'VL', 'VIS', 'BG', 'LP', 'RAD', 'EXP', 'STR', 'PKY']);

// Not CO: CO RD 24 is a county road.
const NON_ADDRESS_LINE_STARTS = ['C/O', 'ATTN', 'ATTENTION'];
const PLACEHOLDERS = ['N/A', 'NA', 'NONE', 'NULL', 'UNKNOWN', 'TBD', 'UNK', 'XXX', 'NIL'];

function emptyInfo(): WordInfo {
  return { suffix: null, directional: null, unit: null, ordinalStart: false, nameForm: null, startsNonAddressLine: false, placeholder: false, highwayStart: false };
}

export const WORDS: ReadonlyMap<string, WordInfo> = (() => {
  const map = new Map<string, WordInfo>();
  const info = (word: string): WordInfo => {
    let found = map.get(word);
    if (!found) map.set(word, (found = emptyInfo()));
    return found;
  };
  for (const [word, suffix] of STREET_SUFFIXES) {
    const entry = info(word);
    entry.suffix = suffix;
    if (word !== suffix.name && !KEEP_IN_NAMES.has(word)) entry.nameForm = suffix.name;
  }
  for (const [word, directional] of DIRECTIONALS) info(word).directional = directional;
  for (const [word, designator] of UNIT_DESIGNATORS) info(word).unit = designator;
  for (const word of ORDINAL_START_WORDS) info(word).ordinalStart = true;
  for (const word of NON_ADDRESS_LINE_STARTS) info(word).startsNonAddressLine = true;
  for (const word of PLACEHOLDERS) info(word).placeholder = true;
  for (const word of HIGHWAY_FIRST_WORDS) info(word).highwayStart = true;
  // Pub 28 §232: SAINT before a name is part of the name; ST there is not STREET.
  info('ST').nameForm = 'SAINT';
  info('STE').nameForm = 'SAINTE';
  // Name words in street names: MARTIN LUTHER KING JUNIOR WAY is … JR WAY (Pub 28 §232 keeps the name's words)
  info('JUNIOR').nameForm = 'JR';
  return map;
})();

/**
 * WORDS as a trie over the characters A–Z, 0–9, `-` and `/`, so the tokenizer finds a word's
 * entry while it scans the word's characters instead of hashing the finished word (one array
 * step per character; most words leave the trie after a letter or two).
 */
export interface WordTrieNode {
  readonly next: Array<WordTrieNode | undefined>;
  info: WordInfo | undefined;
}

/** Position of a character in a trie node, or -1 when no word in WORDS has it. */
export function trieSlot(c: number): number {
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 48 && c <= 57) return c - 22;
  if (c === 45) return 36;
  if (c === 47) return 37;
  return -1;
}

function trieNode(): WordTrieNode {
  return { next: new Array<WordTrieNode | undefined>(38).fill(undefined), info: undefined };
}

export const WORD_TRIE: WordTrieNode = (() => {
  const root = trieNode();
  for (const [word, info] of WORDS) {
    let node = root;
    let ok = true;
    for (let i = 0; i < word.length && ok; i++) {
      const slot = trieSlot(word.charCodeAt(i));
      if (slot < 0) ok = false;
      else node = node.next[slot] ??= trieNode();
    }
    if (ok) node.info = info;
  }
  return root;
})();
