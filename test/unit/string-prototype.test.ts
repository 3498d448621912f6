import { execFileSync } from 'node:child_process';
import { projectPath } from '../../src/lib/project-path';

/**
 * Loading a library that makes String.prototype the prototype of another object (ioredis 6's
 * `class VerbatimString extends String`) turns String.prototype into a dictionary-mode object in
 * V8. Every string method call (charCodeAt, trim, indexOf…) then costs ~10 ns more, which made
 * the cleanse loop of a `mailpref worker` 40% slower than the same loop on its own. This loads
 * the modules of the worker and the web process, as they run (compiled), and asks V8 whether String.prototype is still
 * a fast-mode object.
 */
describe('the modules a worker loads', () => {
  it('leave String.prototype a fast-mode object (string methods stay inlined)', () => {
    const script = `
      require(${JSON.stringify(projectPath('dist/src/start/worker.js'))});
      require(${JSON.stringify(projectPath('dist/src/root.js'))});
      process.stdout.write(String(%HasFastProperties(String.prototype)));
    `;
    const output = execFileSync(process.execPath, ['--allow-natives-syntax', '-e', script], { cwd: projectPath('.'), encoding: 'utf8' });
    expect(output).toBe('true');
  });

  it('would notice a library that subclasses String', () => {
    const output = execFileSync(process.execPath, ['--allow-natives-syntax', '-e', 'class Tagged extends String {}; process.stdout.write(String(%HasFastProperties(String.prototype)))'], { encoding: 'utf8' });
    expect(output).toBe('false');
  });
});
