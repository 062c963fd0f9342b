// The latency statistics the benchmark reports print (scripts/bench/stats.ts).
import { Samples, ms, percent, rate, ratio, times } from '../../scripts/bench/stats.js';

const samplesOf = (values: number[]): Samples => {
  const samples = new Samples();
  for (const v of values) samples.add(v);
  return samples;
};

describe('Samples', () => {
  it('when there are no samples, then every percentile and the summary are null with a count of 0', () => {
    const samples = new Samples();
    expect(samples.percentile(50)).toBeNull();
    expect(samples.summary()).toEqual({ count: 0, p50: null, p90: null, p99: null, max: null });
  });

  it('when samples arrive unordered, then percentiles are nearest-rank over the sorted values', () => {
    // 1..100 shuffled: the nearest-rank p-th percentile of 1..100 is p itself.
    const values = Array.from({ length: 100 }, (_, i) => ((i * 37) % 100) + 1);
    const samples = samplesOf(values);
    expect(samples.percentile(50)).toBe(50);
    expect(samples.percentile(90)).toBe(90);
    expect(samples.percentile(99)).toBe(99);
    expect(samples.percentile(100)).toBe(100);
    expect(samples.percentile(0)).toBe(1);
    expect(samples.percentile(0.5)).toBe(1);
  });

  it('when there are few samples, then a high percentile is the largest sample, not an interpolation', () => {
    const samples = samplesOf([10, 20, 30]);
    expect(samples.percentile(50)).toBe(20);
    expect(samples.percentile(90)).toBe(30);
    expect(samples.percentile(34)).toBe(20);
    expect(samples.percentile(33)).toBe(10);
  });

  it('when a sample is added after a percentile was read, then the next percentile includes it', () => {
    const samples = samplesOf([5, 1]);
    expect(samples.percentile(100)).toBe(5);
    samples.add(9);
    expect(samples.percentile(100)).toBe(9);
    expect(samples.count).toBe(3);
    expect(samples.values).toEqual([5, 1, 9]);
  });

  it('when summarised, then values are rounded to hundredths', () => {
    const summary = samplesOf([1.234, 2.345, 3.456, 100.999]).summary();
    expect(summary).toEqual({ count: 4, p50: 2.35, p90: 101, p99: 101, max: 101 });
  });
});

describe('report formats', () => {
  it('when a duration is formatted, then it reads in ms below one second and in s above, with a dash for none', () => {
    expect(ms(null)).toBe('–');
    expect(ms(undefined)).toBe('–');
    expect(ms(4.26)).toBe('4.3ms');
    expect(ms(99.94)).toBe('99.9ms');
    expect(ms(100)).toBe('100ms');
    expect(ms(999.4)).toBe('999ms');
    expect(ms(1000)).toBe('1.00s');
    expect(ms(12_345)).toBe('12.35s');
  });

  it('when a rate, a ratio, a factor or a share is formatted, then its precision follows its size', () => {
    expect(rate(null)).toBe('–');
    expect(rate(42.04)).toBe('42.0');
    expect(rate(150.6)).toBe('151');
    expect(ratio(3, 4)).toBe(0.75);
    expect(ratio(3, 0)).toBeNull();
    expect(ratio(null, 4)).toBeNull();
    expect(ratio(3, undefined)).toBeNull();
    expect(times(2.5)).toBe('2.50×');
    expect(times(12.4)).toBe('12×');
    expect(times(null)).toBe('–');
    expect(percent(0.05)).toBe('5.0%');
    expect(percent(0.5)).toBe('50%');
    expect(percent(undefined)).toBe('–');
  });
});
