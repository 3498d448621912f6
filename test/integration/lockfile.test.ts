import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectPath } from '../../src/lib/project-path';

const run = promisify(execFile);

/**
 * A fresh clone must not start dirty: the committed lockfile is byte for byte what `npm install`
 * writes (it once lacked other platforms' optional binaries, and every install added 421 lines).
 * Only the lockfile is resolved, in a copy, with the registry's metadata from npm's cache where it
 * has it: a few seconds, which is why this is a test and not a step of .ci/run alone.
 */
describe('package-lock.json', () => {
  it('is what npm install writes for package.json', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpref-lockfile-'));
    try {
      for (const file of ['package.json', 'package-lock.json']) fs.copyFileSync(projectPath(file), path.join(dir, file));
      await run('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: dir });
      const written = fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8');
      // Compared as text so that a failure shows the lines npm added or changed.
      expect(written).toBe(fs.readFileSync(projectPath('package-lock.json'), 'utf8'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
