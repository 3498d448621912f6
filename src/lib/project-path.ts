import fs from 'node:fs';
import path from 'node:path';

let root: string | undefined;

/** The repository root (where package.json is), whether we run from src/ via tsx or from dist/. */
export function projectRoot(): string {
  if (root) return root;
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Cannot find package.json above ${__dirname}`);
    dir = parent;
  }
  root = dir;
  return dir;
}

/** A path to a file shipped with the code (migrations, sample data, static assets). */
export function projectPath(...parts: string[]): string {
  return path.join(projectRoot(), ...parts);
}
