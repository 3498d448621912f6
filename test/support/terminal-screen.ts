import { Writable } from 'node:stream';

/**
 * A stream that plays the part of a terminal (isTTY, 80 columns) and keeps what a person would
 * see: the control sequences readline and cli-progress write (cursor moves, line clears) are
 * applied to a grid of lines, so a test can tell a message on its own line from one drawn over.
 */
export class TerminalScreen extends Writable {
  readonly isTTY = true;
  readonly columns = 80;
  readonly rows = 24;
  private readonly screen: string[][] = [[]];
  private row = 0;
  private col = 0;

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.apply(chunk.toString());
    callback();
  }

  /** The lines on screen, trailing blanks trimmed. */
  lines(): string[] {
    return this.screen.map((line) => line.join('').replace(/\s+$/, ''));
  }

  private line(): string[] {
    while (this.screen.length <= this.row) this.screen.push([]);
    return this.screen[this.row]!;
  }

  private apply(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (ch === '\x1b') {
        const sequence = /^\x1b(\[[?]?[0-9;]*[A-Za-z]|[78])/.exec(text.slice(i));
        if (!sequence) throw new Error(`unknown escape sequence at ${JSON.stringify(text.slice(i, i + 8))}`);
        this.control(sequence[1]!);
        i += sequence[0].length - 1;
      } else if (ch === '\n') {
        this.row++;
        this.col = 0;
        this.line();
      } else if (ch === '\r') {
        this.col = 0;
      } else {
        const line = this.line();
        while (line.length < this.col) line.push(' ');
        line[this.col++] = ch;
      }
    }
  }

  private control(sequence: string): void {
    if (!sequence.startsWith('[') || sequence.startsWith('[?')) return; // cursor shown/hidden, line wrapping, save/restore
    const final = sequence[sequence.length - 1]!;
    const numbers = sequence.slice(1, -1).split(';').map((n) => (n === '' ? undefined : Number(n)));
    const n = numbers[0] ?? 1;
    const line = this.line();
    switch (final) {
      case 'G':
        this.col = n - 1;
        break;
      case 'H':
        this.row = (numbers[0] ?? 1) - 1;
        this.col = (numbers[1] ?? 1) - 1;
        break;
      case 'A':
        this.row = Math.max(0, this.row - n);
        break;
      case 'B':
        this.row += n;
        break;
      case 'C':
        this.col += n;
        break;
      case 'D':
        this.col = Math.max(0, this.col - n);
        break;
      case 'K': {
        const mode = numbers[0] ?? 0;
        if (mode === 2) line.length = 0;
        else if (mode === 0) line.length = Math.min(line.length, this.col);
        else for (let c = 0; c <= this.col && c < line.length; c++) line[c] = ' ';
        break;
      }
      case 'J':
        line.length = Math.min(line.length, this.col);
        this.screen.length = this.row + 1;
        break;
      default:
        throw new Error(`unhandled control sequence ESC${sequence}`);
    }
    this.line();
  }
}
