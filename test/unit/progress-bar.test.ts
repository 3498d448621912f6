import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { terminalProgressBar } from '../../src/lib/progress-bar';
import { addressKeyCommand } from '../../src/address/address-key-command';
import { TerminalScreen } from '../support/terminal-screen';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('progress bars on a terminal', () => {
  it('writes a message on a line of its own above the bar, which is drawn again below it', async () => {
    const screen = new TerminalScreen();
    const bar = terminalProgressBar('working [{bar}] {percentage}% | {value} of {total}', screen);
    bar.update(10, 100);
    await pause(250); // the bar is drawn (cli-progress redraws every 100 ms)
    expect(screen.lines().at(-1)).toMatch(/^working \[.*\] 10% \| 10 of 100$/);
    bar.log('line 7: the first warning\n');
    bar.update(50);
    await pause(250);
    bar.log('line 9: the second warning\n');
    bar.stop();
    bar.log('after the bar\n');
    expect(screen.lines().filter(Boolean)).toEqual([
      'line 7: the first warning',
      'line 9: the second warning',
      expect.stringMatching(/^working \[.*\] 50% \| 50 of 100$/),
      'after the bar',
    ]);
  });

  it('writes messages straight to a stream that is not a terminal, and no bar', () => {
    let written = '';
    const stream = new Writable({ write: (chunk, _encoding, callback) => void ((written += chunk.toString()), callback()) });
    const bar = terminalProgressBar('working [{bar}]', stream);
    bar.update(1, 2);
    bar.log('a warning\n');
    bar.stop();
    expect(written).toBe('a warning\n');
  });

  it('address-key: the warnings about malformed rows never overwrite the progress bar', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpref-progress-'));
    const file = path.join(dir, 'addresses.csv');
    const rows = ['address1,zip'];
    const malformed: number[] = [];
    for (let line = 2; line <= 150_001; line++) {
      if (line % 10_000 === 0) {
        rows.push('1 Bad Row St,12345,extra field');
        malformed.push(line);
      } else rows.push(`${line} Main St,${String(line % 99_999).padStart(5, '0')}`);
    }
    fs.writeFileSync(file, `${rows.join('\n')}\n`);
    const screen = new TerminalScreen();
    const fd = fs.openSync(file, 'r');
    const stdout = new Writable({ write: (_chunk, _encoding, callback) => callback() });
    try {
      await expect(addressKeyCommand({ fd, stdin: fs.createReadStream('', { fd, autoClose: false }), stdout, stderr: screen })).resolves.toBe(0);
    } finally {
      fs.closeSync(fd);
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const lines = screen.lines().filter(Boolean);
    // Each warning whole, on its own line, in order; then the bar's last drawing; then the count.
    expect(lines.filter((line) => line.startsWith('line '))).toEqual(malformed.map((line) => expect.stringMatching(new RegExp(`^line ${line}: .*; written with status MALFORMED_ROW$`))));
    expect(lines.slice(malformed.length)).toEqual([
      expect.stringMatching(/^keying addresses \[.*\] 100% \| [\d.]+ of [\d.]+ MB$/),
      `address-key: 150000 rows, ${150_000 - malformed.length} keyed, without a key: MALFORMED_ROW ${malformed.length}`,
    ]);
  });
});
