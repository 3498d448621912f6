import type { Command } from 'commander';
import { cliActor } from '../audit/audit-service';
import type { CliRunner } from '../lib/cli-commands';
import type { SchedulesService } from './schedules-service';

function time(value: Date | undefined | null): string {
  return value ? value.toISOString().replace('.000Z', 'Z') : '-';
}

/** `mailpref schedule list|set|pause|resume|run|remove|runs`: the console's schedules from a shell. */
export function registerScheduleCommands(program: Command, run: CliRunner<{ schedules: SchedulesService }>, kinds: readonly string[]): void {
  const schedule = program.command('schedule').description('batch job schedules (cron)');

  schedule
    .command('list')
    .description('list schedules with their next and last run')
    .action(() =>
      run(async (deps) => {
        const list = await deps.schedules.list();
        if (list.length === 0) process.stdout.write('No schedules. Create one with: mailpref schedule set NAME --kind KIND --cron "0 2 * * *"\n');
        for (const item of list) {
          process.stdout.write(
            [item.name, item.kind, `"${item.pattern}"`, item.tz, item.paused ? 'paused' : 'active', `next ${item.paused ? '-' : time(item.nextRunAt)}`, `last ${item.lastRun ? `${item.lastRun.outcome} ${time(item.lastRun.startedAt)}` : '-'}`].join('\t') + '\n',
          );
        }
      }),
    );

  schedule
    .command('set <name>')
    .description('create a schedule, or change the one with this name')
    .requiredOption('--kind <kind>', `job kind: ${kinds.join(', ')}`)
    .requiredOption('--cron <pattern>', 'cron pattern, e.g. "0 2 * * *" (a sixth leading field adds seconds)')
    .option('--tz <zone>', 'IANA time zone', 'UTC')
    .option('--data <json>', 'job data as a JSON object', '')
    .action((name: string, options: { kind: string; cron: string; tz: string; data: string }) =>
      run(async (deps) => {
        const service = deps.schedules;
        const input = { name, kind: options.kind, pattern: options.cron, tz: options.tz, data: options.data };
        const existing = (await service.list()).find((item) => item.name === name.toLowerCase());
        const saved = existing ? await service.update(existing.id, input, cliActor()) : await service.create(input, cliActor());
        process.stdout.write(`${existing ? 'Updated' : 'Created'} schedule ${saved.name} (${saved.kind}, "${saved.pattern}" ${saved.tz}${saved.paused ? ', paused' : ''}). Next runs:\n`);
        for (const next of service.preview(saved.pattern, saved.tz)) process.stdout.write(`  ${time(next)}\n`);
      }),
    );

  for (const [verb, description] of [
    ['pause', 'stop a schedule from running until resumed (its definition is kept)'],
    ['resume', 'let a paused schedule run again'],
    ['run', 'queue one run of a schedule now'],
    ['remove', 'delete a schedule'],
  ] as const) {
    schedule
      .command(`${verb} <name>`)
      .description(description)
      .action((name: string) =>
        run(async (deps) => {
          const service = deps.schedules;
          const { id } = await service.getByName(name);
          if (verb === 'pause') await service.pause(id, cliActor());
          if (verb === 'resume') await service.resume(id, cliActor());
          if (verb === 'remove') await service.remove(id, cliActor());
          if (verb === 'run') {
            const jobId = await service.runNow(id, cliActor());
            process.stdout.write(`Queued job ${jobId} of ${name}; see its run with: mailpref schedule runs ${name}\n`);
            return;
          }
          process.stdout.write(`${name}: ${verb === 'remove' ? 'removed' : verb === 'pause' ? 'paused' : 'resumed'}\n`);
        }),
      );
  }

  schedule
    .command('runs <name>')
    .description("a schedule's latest runs: start, duration, outcome, counts, failure reason")
    .action((name: string) =>
      run(async (deps) => {
        const service = deps.schedules;
        const { id } = await service.getByName(name);
        for (const run of await service.listRuns({ scheduleId: id, limit: 20 })) {
          process.stdout.write(
            [`run ${run.id}`, time(run.startedAt), run.durationMs === null ? '-' : `${run.durationMs} ms`, run.outcome, run.failureReason ?? JSON.stringify(run.result ?? {})].join('\t') + '\n',
          );
        }
      }),
    );
}
