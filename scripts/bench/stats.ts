// Latency samples and the percentiles the reports print.

export interface Summary {
  count: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
}

export class Samples {
  readonly values: number[] = [];
  private sorted: number[] | null = null;

  add(ms: number): void {
    this.values.push(ms);
    this.sorted = null;
  }

  get count(): number {
    return this.values.length;
  }

  /** Nearest-rank percentile in ms, or null without samples. */
  percentile(p: number): number | null {
    if (this.values.length === 0) return null;
    this.sorted ??= [...this.values].sort((a, b) => a - b);
    const rank = Math.min(this.sorted.length - 1, Math.max(0, Math.ceil((p / 100) * this.sorted.length) - 1));
    return this.sorted[rank] ?? null;
  }

  summary(): Summary {
    const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);
    return {
      count: this.count,
      p50: round(this.percentile(50)),
      p90: round(this.percentile(90)),
      p99: round(this.percentile(99)),
      max: round(this.percentile(100)),
    };
  }
}

type Maybe = number | null | undefined;

export const ms = (v: Maybe): string =>
  v === null || v === undefined
    ? '–'
    : v >= 1000
      ? `${(v / 1000).toFixed(2)}s`
      : v >= 100
        ? `${Math.round(v)}ms`
        : `${v.toFixed(1)}ms`;
export const rate = (v: Maybe): string =>
  v === null || v === undefined ? '–' : v >= 100 ? String(Math.round(v)) : v.toFixed(1);
export const ratio = (a: Maybe, b: Maybe): number | null =>
  a === null || b === null || a === undefined || b === undefined || b === 0 ? null : a / b;
export const times = (v: Maybe): string =>
  v === null || v === undefined ? '–' : `${v >= 10 ? v.toFixed(0) : v.toFixed(2)}×`;
export const percent = (v: Maybe): string =>
  v === null || v === undefined ? '–' : `${(v * 100).toFixed(v < 0.1 ? 1 : 0)}%`;
