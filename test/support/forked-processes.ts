import { spawnSync } from 'node:child_process';

/** The forked `mailpref serve` or `worker` processes of a primary, with their command lines (tsx may have a helper child of its own). */
export function forkedProcessesOf(pid: number, command: 'serve' | 'worker'): { pid: number; args: string }[] {
  const listed = spawnSync('ps', ['--ppid', String(pid), '-o', 'pid=,args='], { encoding: 'utf8' });
  return listed.stdout
    .split('\n')
    .filter((line) => line.includes(`cli.ts ${command}`))
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
