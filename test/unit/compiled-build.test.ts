import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUILD_STAMP, staleSource } from '../../src/lib/compiled-build';

describe('staleSource (is dist/ older than the sources it was built from?)', () => {
  let root: string;
  const write = (file: string, secondsAgo: number): void => {
    const full = path.join(root, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, '');
    const when = new Date(Date.now() - secondsAgo * 1000);
    fs.utimesSync(full, when, when);
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpref-build-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('names the stamp when there has been no build', () => {
    write('src/cli.ts', 60);
    expect(staleSource(root)).toBe(BUILD_STAMP);
  });

  it('is undefined when every source is older than the build', () => {
    write('src/address/delivery-point-key.ts', 60);
    write('jobs/worker.ts', 60);
    write('bench/address-keys.ts', 60);
    write(BUILD_STAMP, 30);
    expect(staleSource(root)).toBeUndefined();
  });

  it('names a source changed after the build, in any folder the commands and benchmarks run from', () => {
    write(BUILD_STAMP, 30);
    write('src/lists/cleanse-range.ts', 10);
    expect(staleSource(root)).toBe(path.join('src', 'lists', 'cleanse-range.ts'));
    fs.rmSync(path.join(root, 'src'), { recursive: true });
    write('bench/cleanse-bench.ts', 10);
    expect(staleSource(root)).toBe(path.join('bench', 'cleanse-bench.ts'));
  });

  it('ignores the tests and files other than TypeScript sources', () => {
    write(BUILD_STAMP, 30);
    write('test/unit/anything.test.ts', 10);
    write('src/notes.md', 10);
    expect(staleSource(root)).toBeUndefined();
  });
});
