/**
 * `mailpref address-key` as a user runs it: a child process with CSV piped to stdin.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { deliveryPointKey } from '../../src/address/delivery-point-key';

const ROOT = path.resolve(__dirname, '../..');

function run(input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/src/cli.js', 'address-key'], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'silent' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** The command with a file as its standard input (`< list.csv`), which it reads from the descriptor rather than as a stream. */
function runFromFile(file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const fd = fs.openSync(file, 'r');
    const child = spawn(process.execPath, ['dist/src/cli.js', 'address-key'], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'silent' }, stdio: [fd, 'pipe', 'pipe'] });
    fs.closeSync(fd);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const rows = (csv: string): string[][] => parse(csv, { relax_column_count: true });

describe('mailpref address-key', () => {
  it('appends a key and a status to every row of the sample file, in order', async () => {
    const input = fs.readFileSync(path.join(ROOT, 'sample-data/address-variants.csv'), 'utf8');
    const { code, stdout, stderr } = await run(input);
    expect(code).toBe(0);
    const inputRows = rows(input);
    const output = rows(stdout);
    expect(output).toHaveLength(inputRows.length);
    expect(output[0]).toEqual([...inputRows[0]!, 'delivery_point_key', 'address_status']);
    for (let i = 1; i < output.length; i++) {
      const [id, address1, address2, city, state, zip] = inputRows[i]!;
      const expected = deliveryPointKey({ address1, address2, city, state, zip });
      expect(output[i]).toEqual([id, address1, address2, city, state, zip, expected.ok ? expected.key : '', expected.ok ? 'OK' : expected.reason]);
    }
    const byId = new Map(output.slice(1).map((row) => [row[0], row]));
    expect(byId.get('1')![6]).toBe(byId.get('3')![6]); // Apartment 4B = unit 4-b
    expect(byId.get('1')![6]).not.toBe(byId.get('4')![6]); // 4B ≠ 4C
    expect(byId.get('42')![7]).toBe('NO_PRIMARY_NUMBER');
    expect(stderr).toContain('50 rows, 43 keyed');
  }, 60_000);

  it('reads a file given as standard input as it reads a pipe, over several reads', async () => {
    const sample = fs.readFileSync(path.join(ROOT, 'sample-data/mailing-list.csv'), 'utf8');
    const [header, ...body] = sample.trimEnd().split('\n');
    const input = [header, ...Array.from({ length: 8 }, () => body).flat()].join('\n') + '\n'; // over 1 MiB: more than one read
    expect(input.length).toBeGreaterThan(1024 * 1024);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mailpref-address-key-')), 'list.csv');
    fs.writeFileSync(file, input);
    const [piped, fromFile] = await Promise.all([run(input), runFromFile(file)]);
    expect(fromFile.code).toBe(0);
    expect(fromFile.stdout).toBe(piped.stdout);
    expect(fromFile.stderr).toBe(piped.stderr);
    expect(fromFile.stderr).toContain(`${8 * body.length} rows`);
    fs.rmSync(path.dirname(file), { recursive: true });
  }, 60_000);

  it('reads a single address column', async () => {
    const { code, stdout } = await run('address\n"123 N Main St Apt 4B, Boston, MA 02134"\n123 Broadway New York NY 10001\n123 Main St Louis MO 63101\n');
    expect(code).toBe(0);
    const expected = deliveryPointKey({ address1: '123 N Main St', address2: 'Apt 4B', zip: '02134' });
    expect(rows(stdout)).toEqual([
      ['address', 'delivery_point_key', 'address_status'],
      ['123 N Main St Apt 4B, Boston, MA 02134', expected.ok ? expected.key : 'unreadable', 'OK'],
      ['123 Broadway New York NY 10001', '123 BROADWAY|10001', 'OK'],
      ['123 Main St Louis MO 63101', '', 'AMBIGUOUS'],
    ]);
  }, 60_000);

  it('keeps a row with the wrong number of fields, marks it and names its line', async () => {
    const input = 'address1,city,state,zip\n1 Elm St,Boston,MA,02134\n2 Elm St,Boston\n"3 Elm\nSt",Boston,MA,02134\n\n5 Elm St,Boston,MA\n6 Elm St,Boston,MA,02134\n';
    const { code, stdout, stderr } = await run(input);
    expect(code).toBe(0);
    const output = rows(stdout);
    expect(output.map((row) => row[0])).toEqual(['address1', '1 Elm St', '2 Elm St', '3 Elm\nSt', '5 Elm St', '6 Elm St']);
    expect(output[2]).toEqual(['2 Elm St', 'Boston', '', 'MALFORMED_ROW']);
    expect(output[3]![5]).toBe('OK'); // a quoted line break is one record
    expect(output[5]![5]).toBe('OK');
    // line 4–5 is one quoted record, line 6 is blank
    expect(stderr).toContain('line 3: expected 4 fields (as in the header), found 2');
    expect(stderr).toContain('line 7: expected 4 fields (as in the header), found 3');
  }, 60_000);

  it('a quote never closed costs its one line, as in a list cleanse: every other row is written', async () => {
    const { code, stdout, stderr } = await run('address1,zip\n1 Elm St,02134\n"2 Elm St,02134\n3 Elm St,02134\n');
    expect(code).toBe(0);
    expect(rows(stdout)).toEqual([
      ['address1', 'zip', 'delivery_point_key', 'address_status'],
      ['1 Elm St', '02134', '1 ELM ST|02134', 'OK'],
      ['"2 Elm St,02134', '', 'MALFORMED_ROW'],
      ['3 Elm St', '02134', '3 ELM ST|02134', 'OK'],
    ]);
    expect(stderr).toContain('line 3: a quote opened on line 3 is not closed on that line');
  }, 60_000);

  it('says which columns it needs when the header has no address', async () => {
    const { code, stderr } = await run('name,phone\nAnn,555\n');
    expect(code).toBe(1);
    expect(stderr).toContain('line 1: no address column in the header (name,phone)');
  }, 60_000);
});
