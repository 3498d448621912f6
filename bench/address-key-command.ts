/**
 * `npm run bench:address-key`: `mailpref address-key` end to end — a separate `node
 * dist/src/cli.js address-key < list.csv > keyed.csv`, process start included — against the
 * library (`deliveryPointKey`, warmed up) on the same rows with their fields already in memory,
 * the rate the command could reach if reading and writing cost nothing. 1M rows by default (a
 * mailer's list; BENCH_ROWS=300000 for a shorter run, where the command's start-up and its
 * first, unoptimised rows weigh more). Each round times the library, then the command, one right
 * after the other (the machine is shared): the ratio is the median of the rounds' ratios.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deliveryPointKey, type AddressInput } from '../src/address/delivery-point-key';
import { csvField } from '../src/lists/cleanse';
import { projectPath } from '../src/lib/project-path';
import { generateAddressList } from './address-list-generator';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const AIM = 0.5;

function writeList(file: string, list: readonly AddressInput[]): void {
  const lines = ['id,address1,address2,city,state,zip'];
  list.forEach((row, i) => lines.push([String(i + 1), row.address1 ?? '', row.address2 ?? '', row.city ?? '', row.state ?? '', row.zip ?? ''].map((value) => csvField(value, ',')).join(',')));
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

function library(list: readonly AddressInput[]): number {
  const start = process.hrtime.bigint();
  let sink = 0;
  for (const row of list) {
    const result = deliveryPointKey(row);
    sink += result.ok ? result.key.length : 1;
  }
  if (sink < 0) throw new Error('unreachable');
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** The command as a user runs it, from the compiled build: seconds from spawn to exit, and its own summary line. */
function command(input: string, output: string): Promise<{ seconds: number; summary: string }> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [projectPath('dist/src/cli.js'), 'address-key'], {
      stdio: [fs.openSync(input, 'r'), fs.openSync(output, 'w'), 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (code !== 0) reject(new Error(`address-key exited with ${code}: ${stderr}`));
      else resolve({ seconds, summary: stderr.trim().split('\n').pop() ?? '' });
    });
  });
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpref-bench-address-key-'));
  try {
    const list = generateAddressList(ROWS);
    const input = path.join(dir, 'list.csv');
    const output = path.join(dir, 'keyed.csv');
    writeList(input, list);
    library(list.slice(0, 50_000)); // warm-up
    const rounds: Array<{ library: number; command: number }> = [];
    let summary = '';
    for (let round = 0; round < ROUNDS; round++) {
      const librarySeconds = library(list);
      const run = await command(input, output);
      rounds.push({ library: librarySeconds, command: run.seconds });
      summary = run.summary;
    }
    const lines = fs.readFileSync(output, 'utf8').split('\n').length - 2;
    if (lines !== ROWS) throw new Error(`address-key wrote ${lines} rows for ${ROWS}`);
    const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const rate = (seconds: number): string => Math.round(ROWS / seconds).toLocaleString('en-US');
    const ratios = rounds.map((r) => r.library / r.command);
    const ratio = median(ratios);
    const commandSeconds = median(rounds.map((r) => r.command));
    console.log(`bench:address-key — ${ROWS.toLocaleString('en-US')} generated rows (${(fs.statSync(input).size / 1024 ** 2).toFixed(1)} MiB of CSV), ${ROUNDS} rounds, node ${process.version}`);
    console.log(`library (deliveryPointKey, fields in memory): ${rate(median(rounds.map((r) => r.library)))} rows/s (median round)`);
    console.log(`mailpref address-key < list.csv > keyed.csv:  ${rate(commandSeconds)} rows/s (median round, ${commandSeconds.toFixed(2)} s, process start included; ${summary})`);
    console.log(`ratio: ${(ratio * 100).toFixed(0)}% of the library's rate (median of rounds: ${ratios.map((r) => (r * 100).toFixed(0)).join(' ')}), aim ≥ ${AIM * 100}%: ${ratio >= AIM ? 'met' : 'not met'}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
