import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { waitFor } from './wait-for';

const projectRoot = path.resolve(__dirname, '../..');

/** The forked `mailpref serve` or `worker` processes of a primary, with their command lines. */
export function forkedProcessesOf(pid: number, command: 'serve' | 'worker'): { pid: number; args: string }[] {
  const listed = spawnSync('ps', ['--ppid', String(pid), '-o', 'pid=,args='], { encoding: 'utf8' });
  return listed.stdout
    .split('\n')
    .filter((line) => line.includes(`cli.js ${command}`))
    .map((line) => ({ pid: Number(line.trim().split(/\s+/)[0]), args: line.trim() }));
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts `mailpref <command>` (the compiled build, as `npx mailpref` runs it) with only `env` (and PATH, HOME) and waits until
 * its output says `started`; fails with that output if it exits first.
 */
export async function startMailpref(command: 'serve' | 'worker', env: Record<string, string>, started: string): Promise<{ child: ChildProcess; output: () => string }> {
  let output = '';
  const child = spawn(process.execPath, [path.join(projectRoot, 'dist/src/cli.js'), command], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`mailpref ${command} exited while starting:\n${output}`);
      return output.includes(started) || undefined;
    },
    90_000,
    `mailpref ${command} to start`,
  );
  return { child, output: () => output };
}
