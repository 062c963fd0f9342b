// Heap snapshots of a running process (started with --heapsnapshot-signal=SIGUSR2 and its own
// --diagnostic-dir) and what grew between two of them, by constructor.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { httpGet } from '../lib/net.js';
import { sleep } from '../lib/proc.js';
import { type Slot } from '../chaos/system.js';

export interface ConstructorTotal {
  count: number;
  size: number;
}

export interface Growth {
  name: string;
  countBefore: number;
  count: number;
  sizeBefore: number;
  size: number;
  dCount: number;
  dSize: number;
}

interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/** Snapshots bigger than this are left to a browser's DevTools: parsing them here would need a V8 string too long. */
const MAX_PARSE_BYTES = 400 * 1024 ** 2;

const snapshotsIn = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.heapsnapshot')) : [];

/** Signals the slot's process and waits until its snapshot is written; → the file's path. */
export async function takeHeapSnapshot(slot: Slot, dir: string, timeoutMs = 120_000): Promise<string> {
  const before = new Set(snapshotsIn(dir));
  if (!slot.pid) throw new Error(`${slot.name} is not running`);
  process.kill(slot.pid, 'SIGUSR2');
  const deadline = Date.now() + timeoutMs;
  let file: string | undefined;
  while (!file && Date.now() < deadline) {
    await sleep(200);
    file = snapshotsIn(dir).find((f) => !before.has(f));
  }
  if (!file) throw new Error(`${slot.name} wrote no heap snapshot within ${timeoutMs / 1000}s`);
  // V8 writes it on the main thread: once the process answers again and the size holds, it is complete.
  const full = path.join(dir, file);
  let size = -1;
  while (Date.now() < deadline) {
    const answered = (await httpGet(`${slot.url}/health`, 2000)).status === 200;
    const now = statSync(full).size;
    if (answered && now === size) return full;
    size = now;
    await sleep(500);
  }
  throw new Error(`${slot.name}'s heap snapshot ${full} was still growing after ${timeoutMs / 1000}s`);
}

/** → Map(constructor or "(type)" → { count, size }) over every node of a .heapsnapshot file. */
export function summarizeHeapSnapshot(file: string): Map<string, ConstructorTotal> {
  const bytes = statSync(file).size;
  if (bytes > MAX_PARSE_BYTES)
    throw new Error(`${file} is ${(bytes / 1024 ** 2).toFixed(0)} MB; open it in Chrome DevTools (Memory tab) instead`);
  const snap = JSON.parse(readFileSync(file, 'utf8')) as HeapSnapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const named = new Set(['object', 'closure', 'native', 'regexp']);
  const summary = new Map<string, ConstructorTotal>();
  const at = (i: number): number => snap.nodes[i] ?? 0;
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const type = types[at(i + (typeAt ?? 0))] ?? '?';
    const name = named.has(type)
      ? `${type === 'closure' ? '(closure) ' : ''}${snap.strings[at(i + (nameAt ?? 0))] || '(anonymous)'}`
      : `(${type})`;
    const entry = summary.get(name) ?? { count: 0, size: 0 };
    entry.count += 1;
    entry.size += at(i + (sizeAt ?? 0));
    summary.set(name, entry);
  }
  return summary;
}

/** The constructors whose retained self size grew most from `before` to `after`; → [{ name, count, size, dCount, dSize }]. */
export function heapGrowth(
  before: Map<string, ConstructorTotal>,
  after: Map<string, ConstructorTotal>,
  top = 15,
): Growth[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names]
    .map((name) => {
      const a = before.get(name) ?? { count: 0, size: 0 };
      const b = after.get(name) ?? { count: 0, size: 0 };
      return {
        name,
        countBefore: a.count,
        count: b.count,
        sizeBefore: a.size,
        size: b.size,
        dCount: b.count - a.count,
        dSize: b.size - a.size,
      };
    })
    .filter((g) => g.dSize > 0)
    .sort((x, y) => y.dSize - x.dSize)
    .slice(0, top);
}
