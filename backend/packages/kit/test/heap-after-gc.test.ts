import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createObservability } from '@market/kit';
import { eventually } from '@market/kit/testing';

// A full collection on demand, without starting the test runner with --expose-gc.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const reading = async (text: Promise<string>) =>
  Number(/^nodejs_heap_used_after_major_gc_bytes\{[^}]*\} (\S+)$/m.exec(await text)?.[1]);

describe('heap used after a major collection', () => {
  it('when a full collection ran after garbage was made, then /metrics reports the retained heap, not the garbage', async () => {
    const { registry } = createObservability('test-heap', {});
    let garbage: string[] | null = Array.from({ length: 200_000 }, (_, i) => `garbage ${i} ${'x'.repeat(50)}`);
    const withGarbage = process.memoryUsage().heapUsed;
    garbage = null;
    collectGarbage();

    const retained = await eventually(async () => (await reading(registry.metrics())) || undefined, {
      timeoutMs: 2000,
      what: 'the gauge after a mark-sweep',
    });

    expect(garbage).toBeNull();
    expect(retained).toBeGreaterThan(1024 ** 2);
    expect(retained).toBeLessThan(withGarbage - 10 * 1024 ** 2);
  });
});
