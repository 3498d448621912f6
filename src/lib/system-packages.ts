import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config';

/** A program mailpref runs that npm cannot install: it comes from the system's packages. */
export interface SystemPackage {
  /** How the program is found: a name looked up on PATH, or an absolute path. */
  program: string;
  /** Debian's package that holds it. */
  aptPackage: string;
  /** What it is for, and how to do without it (shown when it is missing). */
  neededFor: string;
  /** The setting that chose the program's path: installing the package would not put it there. */
  setBy?: string;
}

export const REDIS_SERVER: SystemPackage = { program: 'redis-server', aptPackage: 'redis-server', neededFor: 'the private Redis used when REDIS_URL is not set' };

/** The browser tests drive Debian's Chromium: playwright cannot download browsers here. */
export function chromium(env: NodeJS.ProcessEnv = process.env): SystemPackage {
  const neededFor = 'the browser tests; or set CHROMIUM_PATH';
  return env.CHROMIUM_PATH ? { program: env.CHROMIUM_PATH, aptPackage: 'chromium', neededFor, setBy: 'CHROMIUM_PATH' } : { program: '/usr/bin/chromium', aptPackage: 'chromium', neededFor };
}

/** Printed as it is: one line that names the command to run. */
export class MissingSystemPackageError extends ConfigError {
  constructor(message: string) {
    super('system packages', message);
    this.message = message;
  }
}

/** What the machine offers; the real one below, a fake in the unit tests. */
export interface Machine {
  has(program: string): boolean;
  isRoot: boolean;
  /** Runs apt-get with the terminal's output; true when it exits 0. */
  aptGet(args: string[]): boolean;
}

export function thisMachine(env: NodeJS.ProcessEnv = process.env): Machine {
  return {
    has: (program) => findProgram(program, env.PATH ?? '') !== undefined,
    isRoot: process.getuid?.() === 0,
    aptGet: (args) =>
      // stdout to our stderr: `npm start`'s and the CLI's stdout are for their own output.
      spawnSync('apt-get', args, { stdio: ['ignore', process.stderr, process.stderr], env: { ...env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0,
  };
}

function findProgram(program: string, searchPath: string): string | undefined {
  const candidates = path.isAbsolute(program) ? [program] : searchPath.split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, program));
  return candidates.find((candidate) => {
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return fs.statSync(candidate).isFile();
    } catch {
      return false;
    }
  });
}

/**
 * Makes sure the programs are there: as root on a machine with apt-get, installs the missing ones
 * (what a fresh container or CI runner needs); otherwise throws a ConfigError whose one line names
 * the command to run, before anything else has started.
 */
export function ensureSystemPackages(packages: SystemPackage[], machine: Machine = thisMachine(), say: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): void {
  const missing = packages.filter((item) => !machine.has(item.program));
  if (missing.length === 0) return;
  const misset = missing.find((item) => item.setBy);
  if (misset) throw new MissingSystemPackageError(`${misset.setBy}=${misset.program} is not a program; fix ${misset.setBy}, or unset it to use /usr/bin/${misset.aptPackage}`);
  const names = missing.map((item) => item.aptPackage).join(' ');
  if (machine.isRoot && machine.has('apt-get')) {
    say(`mailpref: installing ${names} with apt-get (${missing.map((item) => item.neededFor).join('; ')})`);
    const installed = machine.aptGet(['update', '-qq']) && machine.aptGet(['install', '-y', '-qq', '--no-install-recommends', ...missing.map((item) => item.aptPackage)]);
    if (installed && missing.every((item) => machine.has(item.program))) return;
    throw new MissingSystemPackageError(`apt-get could not install ${names}; run it yourself: apt-get install ${names}`);
  }
  const what = missing.map((item) => `${item.program} (${item.neededFor})`).join(' and ');
  throw new MissingSystemPackageError(`${what} not found; run: sudo apt-get install ${names}`);
}

/** What `mailpref setup` and `npm test` need: redis-server unless REDIS_URL is set, Chromium for the tests. */
export function setUpMachine(options: { tests?: boolean }, env: NodeJS.ProcessEnv = process.env): void {
  ensureSystemPackages([...(env.REDIS_URL ? [] : [REDIS_SERVER]), ...(options.tests ? [chromium(env)] : [])], thisMachine(env));
}

// `npm test` runs this file before anything else (its pretest): loading the whole CLI to check two
// programs would take seconds on a busy machine.
if (require.main === module) {
  try {
    setUpMachine({ tests: process.argv.includes('--tests') });
  } catch (error) {
    process.stderr.write(`mailpref: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
