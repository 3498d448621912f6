/**
 * The compiled build (`npm run build`: tsc to dist/) is what runs: `npm start`, `npm run mailpref`,
 * `npx mailpref`, the worker processes and the benchmarks. Run from the sources through tsx
 * (esbuild's CommonJS output), every use of an imported function is a getter call on the other
 * module, which costs the per-row address and cleanse code measurably (docs/performance.md); in
 * tsc's output it is a plain property read, so that code imports as any other code does.
 *
 * The build ends by writing dist/.build-stamp; a source file changed after it means dist/ no longer
 * holds what src/ says, and the command says so instead of running old code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from './project-path';

export const BUILD_STAMP = path.join('dist', '.build-stamp');

/** The folders tsc compiles that the commands and the benchmarks run from (test/ is compiled too, but run by Jest from its sources). */
const SOURCE_DIRS = ['src', 'bench'];

/** The first source file changed after the last build (or the stamp itself, when there is none); undefined when dist/ is current. */
export function staleSource(root: string = projectRoot()): string | undefined {
  let built: number;
  try {
    built = fs.statSync(path.join(root, BUILD_STAMP)).mtimeMs;
  } catch {
    return BUILD_STAMP;
  }
  const pending = SOURCE_DIRS.map((dir) => path.join(root, dir)).filter((dir) => fs.existsSync(dir));
  while (pending.length > 0) {
    const dir = pending.pop()!;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) pending.push(file);
      else if (entry.name.endsWith('.ts') && fs.statSync(file).mtimeMs > built) return path.relative(root, file);
    }
  }
  return undefined;
}

/**
 * When this process runs from dist/ with the sources beside it (a checkout rather than an
 * installed package), why dist/ is out of date; undefined when it is current or there is nothing
 * to compare.
 */
export function staleBuildMessage(): string | undefined {
  const root = projectRoot();
  if (!__filename.endsWith('.js') || !fs.existsSync(path.join(root, 'src'))) return undefined;
  const stale = staleSource(root);
  if (stale === undefined) return undefined;
  const why = stale === BUILD_STAMP ? `${BUILD_STAMP} is missing` : `${stale} changed after the last build`;
  return `dist/ is out of date (${why}): run \`npm run build\` (npm start, npm run mailpref, npm test and the benchmarks build it first)`;
}

/** Stops the command, saying why, when it runs from a dist/ older than its sources. */
export function exitIfStale(): void {
  const stale = staleBuildMessage();
  if (stale === undefined) return;
  process.stderr.write(`mailpref: ${stale}\n`);
  process.exit(1);
}

/** The last step of `npm run build`: the command made executable, and the stamp written. */
function finishBuild(): void {
  const root = projectRoot();
  fs.chmodSync(path.join(root, 'dist/src/cli.js'), 0o755);
  fs.writeFileSync(path.join(root, BUILD_STAMP), `${new Date().toISOString()}\n`);
}

// `npm run build` ends with `… stamp`; `npm run build:if-stale` (before npm start, npm run mailpref
// and the benchmarks) asks `… check` and builds only when it exits 1, so an unchanged tree costs
// milliseconds rather than an incremental tsc run (several seconds here).
if (require.main === module) {
  if (process.argv[2] === 'stamp') finishBuild();
  else if (process.argv[2] === 'check') process.exitCode = staleSource() === undefined ? 0 : 1;
  else throw new Error('usage: node dist/src/lib/compiled-build.js stamp|check');
}
