// Settings of the benchmarks (BENCH_* variables), of chaos and of soak (flags and CHAOS_* / SOAK_* variables):
// defaults, overrides, and a clear error for bad input.
import { envFlag, envNumber, envNumbers, envText, readBenchSettings } from '../../scripts/bench/settings.js';
import { CHAOS_SPECS, describeRun, faultTimes, parseServiceEnv } from '../../scripts/chaos/settings.js';
import { type Specs, parseBytes, readOptions } from '../../scripts/chaos/options.js';
import { SetupError } from '../../scripts/lib/errors.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { halfOfBenchPeak, soakSpecs } from '../../scripts/soak/settings.js';

describe('bench settings', () => {
  it('when a variable is unset or empty, then the default is used', () => {
    expect(envNumber('BENCH_RATE', 50, {}, {})).toBe(50);
    expect(envNumber('BENCH_RATE', 50, {}, { BENCH_RATE: '' })).toBe(50);
    expect(envNumbers('BENCH_RATES', [25, 50], {}, {})).toEqual([25, 50]);
    expect(envFlag('BENCH_KEEP', false, {})).toBe(false);
    expect(envText('BENCH_SKIP', 'none', undefined, {})).toBe('none');
  });

  it('when a variable is set within its limits, then its value is used', () => {
    expect(envNumber('BENCH_PORT', 8097, { min: 1, max: 65535 }, { BENCH_PORT: '9000' })).toBe(9000);
    expect(envNumber('BENCH_SHARE', 1, { max: 1, integer: false }, { BENCH_SHARE: '0.25' })).toBe(0.25);
    expect(envNumbers('BENCH_RATES', [], { min: 1 }, { BENCH_RATES: '50, 100,200' })).toEqual([50, 100, 200]);
    expect(envFlag('BENCH_KEEP', false, { BENCH_KEEP: 'yes' })).toBe(true);
    expect(envFlag('BENCH_BUILD', true, { BENCH_BUILD: 'OFF' })).toBe(false);
    expect(envText('BENCH_DB_SUFFIX', '', /^[a-z0-9_]*$/, { BENCH_DB_SUFFIX: 'run_1' })).toBe('run_1');
  });

  it.each([
    ['BENCH_PORT', 'abc', 'BENCH_PORT must be an integer between 1 and 65535, got abc'],
    ['BENCH_PORT', '70000', 'BENCH_PORT must be an integer between 1 and 65535, got 70000'],
    ['BENCH_PORT', '80.5', 'BENCH_PORT must be an integer between 1 and 65535, got 80.5'],
    ['BENCH_PORT', '0', 'BENCH_PORT must be an integer between 1 and 65535, got 0'],
    ['BENCH_PORT', ' ', 'BENCH_PORT must be an integer between 1 and 65535, got  '],
  ])('when %s=%j, then a SetupError names the variable, its limits and the value', (name, raw, message) => {
    const read = () => envNumber(name, 8097, { min: 1, max: 65535 }, { [name]: raw });
    expect(read).toThrow(SetupError);
    expect(read).toThrow(message);
  });

  it('when one item of a list is bad, then the error names its position', () => {
    expect(() => envNumbers('BENCH_RATES', [], { min: 1, max: 100 }, { BENCH_RATES: '50,500' })).toThrow(
      'BENCH_RATES#1 must be an integer between 1 and 100, got 500',
    );
    expect(() => envNumbers('BENCH_RATES', [], { min: 1 }, { BENCH_RATES: '50,,60' })).toThrow('BENCH_RATES#1');
  });

  it('when a flag or a text does not fit, then a SetupError says what would', () => {
    expect(() => envFlag('BENCH_KEEP', false, { BENCH_KEEP: 'maybe' })).toThrow(
      'BENCH_KEEP must be 1/0, true/false or yes/no, got maybe',
    );
    expect(() => envText('BENCH_DB_SUFFIX', '', /^[a-z0-9_]*$/, { BENCH_DB_SUFFIX: 'x; drop' })).toThrow(SetupError);
  });
});

describe('chaos and soak options', () => {
  const SPECS = {
    orders: { type: 'int', min: 1, max: 1000, default: 100, help: 'orders' },
    share: { type: 'number', min: 0, max: 1, default: 0.1, help: 'share' },
    stock: { type: 'int', min: 1, max: 10_000, default: (s) => Number(s.orders) * 2, help: 'stock' },
    mode: { type: 'text', choices: ['open', 'closed'], default: 'open', help: 'mode' },
    memory: { type: 'bytes', default: null, help: 'memory' },
    build: { type: 'flag', default: true, help: 'build' },
    seed: { type: 'int', min: 0, max: 99, default: null, help: 'seed' },
  } as const satisfies Specs;
  const read = (argv: string[], env: NodeJS.ProcessEnv = {}) =>
    readOptions({ prefix: 'TRY', specs: SPECS, argv, env, usage: 'usage' });

  it('when nothing is given, then every default is used and a derived one follows the settings before it', () => {
    expect(read([])).toEqual({
      orders: 100,
      share: 0.1,
      stock: 200,
      mode: 'open',
      memory: null,
      build: true,
      seed: null,
    });
    expect(read(['--orders', '7']).stock).toBe(14);
  });

  it('when a flag and a variable name the same setting, then the flag wins over the variable, the variable over the default', () => {
    expect(read([], { TRY_ORDERS: '300' }).orders).toBe(300);
    expect(read(['--orders=5'], { TRY_ORDERS: '300' }).orders).toBe(5);
    expect(read(['--share', '0.5', '--mode', 'closed'])).toMatchObject({ share: 0.5, mode: 'closed' });
  });

  it('when a flag setting is given bare or with a value, then it reads as a boolean', () => {
    expect(read(['--build', '--orders', '3']).build).toBe(true);
    expect(read(['--build', 'false']).build).toBe(false);
    expect(read([], { TRY_BUILD: 'no' }).build).toBe(false);
  });

  it('when a size is given, then units k, m and g are powers of 1024', () => {
    expect(read(['--memory', '16mb']).memory).toBe(16 * 1024 ** 2);
    expect(parseBytes('512k')).toBe(512 * 1024);
    expect(parseBytes('1gb')).toBe(1024 ** 3);
    expect(parseBytes('42')).toBe(42);
    expect(parseBytes('16 pb')).toBeNull();
  });

  it.each([
    [['--orders', '0'], '--orders must be an integer from 1 to 1000, got 0'],
    [['--orders', '2.5'], '--orders must be an integer from 1 to 1000, got 2.5'],
    [['--share', 'lots'], '--share must be a number from 0 to 1, got lots'],
    [['--mode', 'sideways'], '--mode must be one of open, closed, got sideways'],
    [['--memory', 'huge'], '--memory must be a size such as 16mb, got huge'],
    [['--build', 'perhaps'], '--build must be true/false, got perhaps'],
    [['--colour', 'red'], 'unknown option --colour; see --help'],
    [['orders'], 'unknown option orders; see --help'],
    [['--orders'], '--orders needs a value; see --help'],
  ])('when the arguments are %j, then a SetupError says %j', (argv, message) => {
    expect(() => read(argv)).toThrow(SetupError);
    expect(() => read(argv)).toThrow(message);
  });

  it('when a variable is bad, then the error names the variable', () => {
    expect(() => read([], { TRY_ORDERS: 'many' })).toThrow('TRY_ORDERS must be an integer from 1 to 1000, got many');
  });

  it('when the chaos defaults are read, then they are the full run with stock for 85 % of the demand', () => {
    const s = readOptions({ prefix: 'CHAOS', specs: CHAOS_SPECS, argv: [], env: {}, usage: '' });
    expect(s).toMatchObject({ orders: 2000, products: 20, buyers: 20, mode: 'open', rate: 20, seed: null });
    expect(s.stock).toBe(Math.ceil(((2000 * 3) / 20) * 0.85));
    expect(s.redisMaxmemory).toBe(512 * 1024 ** 2);
    // 100 s of load: Redis crashes at a third, sessions are terminated at two thirds.
    expect(faultTimes(s)).toEqual({ redisAt: 100 / 3, pgAt: 200 / 3 });
    expect(faultTimes({ ...s, redisRestart: 'none', mode: 'closed' })).toEqual({ redisAt: null, pgAt: null });
    expect(describeRun(s, { runId: 'r1', seed: 7, dir: 'runs/r1' })).toContain('Chaos run r1 (seed 7): 2000 orders');
  });

  it("when --service-env is given, then it becomes the processes' variables, and a malformed pair is refused", () => {
    expect(parseServiceEnv('STREAM_BATCH_SIZE=10, LOG_LEVEL=warn')).toEqual({
      STREAM_BATCH_SIZE: '10',
      LOG_LEVEL: 'warn',
    });
    expect(parseServiceEnv('')).toEqual({});
    expect(() => parseServiceEnv('lower=1')).toThrow('--service-env expects KEY=VALUE pairs, got lower=1');
    expect(() => parseServiceEnv('NOVALUE')).toThrow(SetupError);
  });

  describe('soak', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'bench-results-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const readSoak = (argv: string[], env: NodeJS.ProcessEnv = {}) =>
      readOptions({ prefix: 'SOAK', specs: soakSpecs(dir), argv, env, usage: '' });

    it('when no bench result exists, then the rate is 100 orders/s; SOAK_* variables override the defaults', () => {
      expect(halfOfBenchPeak(path.join(dir, 'absent'))).toBeNull();
      expect(readSoak([], { SOAK_MINUTES: '2' })).toMatchObject({
        minutes: 2,
        warmupMinutes: 5,
        rate: 100,
        tolerance: 0.1,
        snapshots: 'auto',
      });
      expect(() => readSoak(['--snapshots', 'maybe'])).toThrow('--snapshots must be one of auto, off, got maybe');
    });

    it("when bench results exist, then the default rate is half the newest one's sustained peak", () => {
      const result = (peak: unknown) => JSON.stringify({ orders: { peak: { completedPerSecond: peak } } });
      writeFileSync(path.join(dir, 'bench-2026-01-01.json'), result(400));
      writeFileSync(path.join(dir, 'bench-2026-02-01.json'), result(301));
      writeFileSync(path.join(dir, 'notes.json'), result(9000));
      expect(readSoak([]).rate).toBe(151);
      expect(readSoak(['--rate', '20']).rate).toBe(20);
      writeFileSync(path.join(dir, 'bench-2026-03-01.json'), '{ not json');
      expect(halfOfBenchPeak(dir)).toBeNull();
    });
  });
});

describe('npm run bench settings', () => {
  it('when no BENCH_* variable is set, then the documented defaults apply', () => {
    const s = readBenchSettings({});
    expect(s).toMatchObject({
      external: '',
      port: 8097,
      dbSuffix: '_bench',
      streamSuffix: '_bench',
      build: true,
      keep: false,
      deadlineSeconds: 570,
      rates: [25, 50, 75, 100, 150, 200, 300, 400, 600, 800],
      stepSeconds: 20,
      burstSeconds: 20,
      cpuProfileDir: undefined,
    });
    expect([...s.skip]).toEqual([]);
  });

  it('when variables are set, then they are read, BENCH_SKIP as a set and BENCH_URL without suffixes', () => {
    const s = readBenchSettings({
      BENCH_SKIP: 'ceilings, catalog',
      BENCH_RATES: '50',
      BENCH_STEP_SECONDS: '10',
      BENCH_URL: 'http://127.0.0.1:8080',
    });
    expect([...s.skip]).toEqual(['ceilings', 'catalog']);
    expect(s).toMatchObject({ rates: [50], stepSeconds: 10, dbSuffix: '', streamSuffix: '' });
  });

  it('when a variable is out of its limits, then reading the settings fails naming it', () => {
    expect(() => readBenchSettings({ BENCH_STEP_SECONDS: '0' })).toThrow(
      'BENCH_STEP_SECONDS must be an integer between 1 and 600, got 0',
    );
    expect(() => readBenchSettings({ BENCH_DB_SUFFIX: 'Bad-Name' })).toThrow(SetupError);
  });
});
