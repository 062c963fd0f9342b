// `node scripts/run.mjs bench/cpu-profile DIR [TOP]`: summarises the V8 CPU profiles a bench run with
// BENCH_CPU_PROFILE_DIR wrote (one per service and worker): where each process spent its time, by
// package or file and by function (self time), so the top costs per order can be read off.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** Where a frame's code lives: a package under node_modules, a workspace file, or Node itself. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

interface Cost {
  name: string;
  ms: number;
  share: number;
}

function placeOf(url: string): string {
  if (!url) return '(native/gc/idle)';
  const modules = url.split('node_modules/').pop() ?? url;
  if (modules !== url)
    return modules.startsWith('@') ? modules.split('/').slice(0, 2).join('/') : (modules.split('/')[0] ?? modules);
  if (url.startsWith('node:')) return url;
  const backend = url.indexOf('/backend/');
  return backend >= 0 ? url.slice(backend + 1) : path.basename(url);
}

export function summarise(profile: CpuProfile): {
  busyMs: number;
  idleMs: number;
  top: (n: number) => { places: Cost[]; functions: Cost[] };
} {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  const intervals = profile.timeDeltas;
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (intervals[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let idle = 0;
  for (const [id, us] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const { callFrame } = node;
    if (callFrame.functionName === '(idle)') {
      idle += us;
      continue;
    }
    const place = placeOf(callFrame.url);
    byPlace.set(place, (byPlace.get(place) ?? 0) + us);
    const fn = `${callFrame.functionName || '(anonymous)'} ${place}:${callFrame.lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  }
  const busy = total - idle;
  const top = (map: Map<string, number>, n: number): Cost[] =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, ms: us / 1000, share: us / busy }));
  return {
    busyMs: busy / 1000,
    idleMs: idle / 1000,
    top: (n) => ({ places: top(byPlace, n), functions: top(byFunction, n) }),
  };
}

function main(): void {
  const [dir, topArg] = process.argv.slice(2);
  if (!dir) {
    process.stderr.write('usage: node scripts/run.mjs bench/cpu-profile DIR [TOP]\n');
    process.exit(2);
  }
  const n = Number(topArg ?? 12);
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort()) {
    const summary = summarise(JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CpuProfile);
    const { places, functions } = summary.top(n);
    process.stdout.write(
      `\n${file}: busy ${summary.busyMs.toFixed(0)} ms, idle ${summary.idleMs.toFixed(0)} ms\n  by place:\n`,
    );
    for (const p of places)
      process.stdout.write(
        `    ${(p.share * 100).toFixed(1).padStart(5)}%  ${p.ms.toFixed(0).padStart(6)} ms  ${p.name}\n`,
      );
    process.stdout.write('  by function (self):\n');
    for (const f of functions)
      process.stdout.write(
        `    ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.ms.toFixed(0).padStart(6)} ms  ${f.name}\n`,
      );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
