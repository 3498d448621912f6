import { chromium, ensureSystemPackages, REDIS_SERVER, type Machine } from '../../src/lib/system-packages';

/** A machine with these programs; apt-get "installs" a package by adding the programs it holds. */
function fakeMachine(options: { programs: string[]; isRoot: boolean; aptWorks?: boolean }) {
  const programs = new Set(options.programs);
  const aptCalls: string[][] = [];
  const machine: Machine = {
    has: (program) => programs.has(program),
    isRoot: options.isRoot,
    aptGet: (args) => {
      aptCalls.push(args);
      if (options.aptWorks === false) return false;
      if (args[0] === 'install') for (const name of args.filter((arg) => !arg.startsWith('-')).slice(1)) programs.add(name === 'chromium' ? '/usr/bin/chromium' : name);
      return true;
    },
  };
  return { machine, aptCalls, programs };
}

describe('the system packages npm test and npm start need', () => {
  const lines: string[] = [];
  const say = (line: string) => lines.push(line);
  beforeEach(() => (lines.length = 0));

  it('does nothing when the programs are there', () => {
    const { machine, aptCalls } = fakeMachine({ programs: ['redis-server', '/usr/bin/chromium', 'apt-get'], isRoot: true });
    ensureSystemPackages([REDIS_SERVER, chromium({})], machine, say);
    expect(aptCalls).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('installs what is missing with apt-get when it runs as root on a machine with apt', () => {
    const { machine, aptCalls, programs } = fakeMachine({ programs: ['apt-get'], isRoot: true });
    ensureSystemPackages([REDIS_SERVER, chromium({})], machine, say);
    expect(aptCalls).toEqual([
      ['update', '-qq'],
      ['install', '-y', '-qq', '--no-install-recommends', 'redis-server', 'chromium'],
    ]);
    expect(programs.has('redis-server') && programs.has('/usr/bin/chromium')).toBe(true);
    expect(lines).toEqual([expect.stringMatching(/^mailpref: installing redis-server chromium with apt-get/)]);
  });

  it('stops at once with one line naming the command when it cannot install', () => {
    const { machine, aptCalls } = fakeMachine({ programs: ['apt-get'], isRoot: false });
    expect(() => ensureSystemPackages([REDIS_SERVER, chromium({})], machine, say)).toThrow(/^[^\n]*run: sudo apt-get install redis-server chromium$/);
    expect(aptCalls).toEqual([]);

    const noApt = fakeMachine({ programs: [], isRoot: true });
    expect(() => ensureSystemPackages([REDIS_SERVER], noApt.machine, say)).toThrow('redis-server (the private Redis used when REDIS_URL is not set) not found; run: sudo apt-get install redis-server');
    expect(noApt.aptCalls).toEqual([]);
  });

  it('says so when apt-get fails', () => {
    const { machine } = fakeMachine({ programs: ['apt-get'], isRoot: true, aptWorks: false });
    expect(() => ensureSystemPackages([REDIS_SERVER], machine, say)).toThrow('apt-get could not install redis-server; run it yourself: apt-get install redis-server');
  });

  it('does not install Chromium for a CHROMIUM_PATH that points nowhere: it names the setting', () => {
    const { machine, aptCalls } = fakeMachine({ programs: ['apt-get'], isRoot: true });
    expect(() => ensureSystemPackages([chromium({ CHROMIUM_PATH: '/opt/nope/chrome' })], machine, say)).toThrow(
      'CHROMIUM_PATH=/opt/nope/chrome is not a program; fix CHROMIUM_PATH, or unset it to use /usr/bin/chromium',
    );
    expect(aptCalls).toEqual([]);
  });
});
