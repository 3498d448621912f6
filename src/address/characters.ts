/** Character tests on upper-case ASCII words, without regular expressions (hot path). */

export function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** A–Z or 0–9 (the tokenizer folds case and accents first). */
export function isAlnumCode(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
}

export function startsWithDigit(word: string): boolean {
  return isDigitCode(word.charCodeAt(0));
}

/** Words that hold a digit can be house numbers, unit numbers, route numbers. */
export function hasDigit(word: string): boolean {
  for (let i = 0; i < word.length; i++) if (isDigitCode(word.charCodeAt(i))) return true;
  return false;
}

export function isAllDigits(word: string): boolean {
  if (word.length === 0) return false;
  for (let i = 0; i < word.length; i++) if (!isDigitCode(word.charCodeAt(i))) return false;
  return true;
}
