/**
 * Splits one address field into upper-case words in a single pass over its characters, with no
 * regular expressions: case, punctuation, accents and spacing vanish here, so that nothing after
 * this point can depend on them.
 *
 * - Letters and digits make words; everything else separates them, except:
 * - an apostrophe is dropped inside a word (O'BRIEN → OBRIEN), and so is a hyphen between a
 *   digit and a letter (123-A → 123A, #4-B → # 4B; but I-95 → I 95);
 * - a period after a single letter joins dotted abbreviations (N.E. → NE, P.O. → PO), while
 *   ST.LOUIS still splits;
 * - `-` and `/` between two digits stay (Queens 123-45, 1/2) and `/` after a letter stays (C/O);
 * - `#` is a word of its own (#4B → # 4B);
 * - ½ ¼ ¾ become the words 1/2 1/4 3/4.
 * Other non-ASCII text is folded to ASCII first (Peña → PENA, full-width digits, curly quotes).
 *
 * Each word is looked up in WORDS once, here; the parsers read `infos` instead of looking again.
 */
import { isAlnumCode, isDigitCode } from './characters';
import { WORD_TRIE, WORDS, type WordInfo, type WordTrieNode } from './address-words';

/** Words of a field and what each is, reused between rows (`count` is the length in use). */
export class WordList {
  readonly words: string[] = [];
  readonly infos: Array<WordInfo | undefined> = [];
  count = 0;

  /** Adds a word and what it is (its WORDS entry, found by the caller). */
  push(word: string, info: WordInfo | undefined): void {
    this.words[this.count] = word;
    this.infos[this.count] = info;
    this.count++;
  }

  /** The words in use, as text (for messages). */
  text(start = 0, end = this.count): string {
    return this.words.slice(start, end).join(' ');
  }
}

/** The next trie node after character `c` (A–Z, 0–9, `-`, `/`), or undefined when no word goes on that way. */
function step(node: WordTrieNode | undefined, c: number): WordTrieNode | undefined {
  if (node === undefined) return undefined;
  return node.next[c >= 65 ? c - 65 : c >= 48 ? c - 22 : c === 45 ? 36 : 37];
}

const POUND_INFO = WORDS.get('#');

/** Only for text that has non-ASCII characters: rare in US lists, so it may allocate. */
export function foldToAscii(text: string): string {
  return text
    .replace(/½/g, ' 1/2 ')
    .replace(/¼/g, ' 1/4 ')
    .replace(/¾/g, ' 3/4 ')
    .replace(/[\u2018\u2019\u02BC\u00B4`]/g, "'")
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\u2044/g, '/')
    .replace(/[\u00BA\u00B0\u2116]/g, ' ')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase();
}

/**
 * Appends the words of `text` to `out`. `folded` is set on the second pass over text that had
 * non-ASCII characters: whatever folding left non-ASCII (Ø, 中) then only separates words.
 */
export function tokenize(text: string | undefined, out: WordList, folded = false): void {
  if (!text) return;
  const startCount = out.count;
  const s = folded ? text : text.toUpperCase();
  const length = s.length;
  let word = ''; // pieces of the current word before a dropped character
  let pieceStart = -1; // start of the current piece, -1 when not in a word
  let node: WordTrieNode | undefined; // where the current word is in WORD_TRIE
  for (let i = 0; i < length; i++) {
    const c = s.charCodeAt(i);
    if (isAlnumCode(c)) {
      if (pieceStart < 0) {
        pieceStart = i;
        node = WORD_TRIE;
      }
      node = step(node, c);
      continue;
    }
    if (c > 127 && !folded) {
      // start again on the ASCII-folded text, dropping the words pushed so far from this field
      out.count = startCount;
      tokenize(foldToAscii(text), out, true);
      return;
    }
    if (pieceStart >= 0) {
      const prev = s.charCodeAt(i - 1);
      const next = i + 1 < length ? s.charCodeAt(i + 1) : 0;
      if ((c === 45 || c === 47) && isDigitCode(prev) && isDigitCode(next)) {
        node = step(node, c); // 123-45, 1/2
        continue;
      }
      if (c === 47 && isAlnumCode(next) && !isDigitCode(prev)) {
        node = step(node, c); // C/O, N/A
        continue;
      }
      if ((c === 39 && isAlnumCode(next)) || (c === 45 && isDigitCode(prev) && next >= 65 && next <= 90)) {
        // O'BRIEN, 123-A, 4-B: drop the apostrophe or hyphen, keep one word (I-95 still splits)
        word += s.slice(pieceStart, i);
        pieceStart = i + 1;
        continue;
      }
      if (c === 46 && next >= 65 && next <= 90 && i - pieceStart === 1 && prev >= 65 && prev <= 90) {
        // N.E. / P.O.: a single letter followed by a period and another letter
        word += s.slice(pieceStart, i);
        pieceStart = i + 1;
        continue;
      }
      out.push(word === '' ? s.slice(pieceStart, i) : word + s.slice(pieceStart, i), node?.info);
      word = '';
      pieceStart = -1;
    }
    if (c === 35) out.push('#', POUND_INFO);
  }
  if (pieceStart >= 0) out.push(word === '' ? s.slice(pieceStart) : word + s.slice(pieceStart), node?.info);
}
