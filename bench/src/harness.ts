/**
 * A thin layer over tinybench: every subject of a case runs in the same process, in rounds (the order rotates
 * each round, so a slow spell of a shared machine does not fall on one subject), with warm-up; the latency
 * samples of all rounds are pooled and summarised by their median and spread.
 */
// tinybench is ESM-only and this package is CommonJS: loaded with import() (see measure)

/** One thing measured: ours, a reference, or a floor. */
export interface Subject {
  readonly name: string;
  readonly fn: () => unknown;
}

/** Summary of one subject's latency samples. */
export interface Measured {
  readonly name: string;
  /** Median latency, milliseconds. */
  readonly medianMs: number;
  /** 1000 / median latency. */
  readonly opsPerSec: number;
  /** Median absolute deviation, percent of the median. */
  readonly madPct: number;
  /** 25th and 75th percentiles, milliseconds. */
  readonly p25Ms: number;
  readonly p75Ms: number;
  readonly samples: number;
}

export interface MeasureOptions {
  readonly quick: boolean;
  /** Time budget per subject and round, milliseconds (default 1000; quick 120). */
  readonly timeMs?: number;
}

function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function summarise(name: string, samples: readonly number[]): Measured {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = quantile(sorted, 0.5);
  const deviations = sorted.map((s) => Math.abs(s - median)).sort((a, b) => a - b);
  return {
    name,
    medianMs: median,
    opsPerSec: 1000 / median,
    madPct: (100 * quantile(deviations, 0.5)) / median,
    p25Ms: quantile(sorted, 0.25),
    p75Ms: quantile(sorted, 0.75),
    samples: sorted.length,
  };
}

/**
 * Measures every subject (8 short rounds, or 2 in quick mode) and returns their summaries by name. Many short
 * rounds rather than a few long ones: on a shared machine, a busy spell then falls on every subject alike.
 */
export async function measure(subjects: readonly Subject[], options: MeasureOptions): Promise<Map<string, Measured>> {
  const { Bench } = await import('tinybench');
  const rounds = options.quick ? 2 : 8;
  const pooled = new Map<string, number[]>(subjects.map((s) => [s.name, []]));
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({
      time: options.timeMs ?? (options.quick ? 60 : 400),
      iterations: options.quick ? 4 : 16,
      warmupTime: round > 0 ? 20 : options.quick ? 40 : 300,
      warmupIterations: round > 0 ? 2 : options.quick ? 4 : 16,
      retainSamples: true,
      throws: true,
    });
    const rotated = subjects.map((_, i) => subjects[(i + round) % subjects.length]!);
    for (const s of rotated) bench.add(s.name, s.fn);
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result;
      if (result.state !== 'completed') throw new Error(`${task.name}: ${result.state}`);
      const into = pooled.get(task.name)!;
      for (const sample of result.latency.samples ?? []) into.push(sample);
    }
  }
  return new Map([...pooled].map(([name, samples]) => [name, summarise(name, samples)]));
}

// ------------------------------------------------------------------------------------------ printing

export function fmtOps(ops: number): string {
  return ops >= 100 ? Math.round(ops).toLocaleString('en-US') : ops.toFixed(1);
}

export function fmtMs(ms: number): string {
  return ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(ms >= 0.01 ? 1 : 2)} µs`;
}

export function fmtBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

/** A plain-text table (also valid Markdown); the first `left` columns are left-aligned, the others right. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], left = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (i < left ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i < left ? ` ${'-'.repeat(w)} ` : ` ${'-'.repeat(w - 1)}: `)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** The table of a measured case. */
export function measuredTable(results: Map<string, Measured>): string {
  return table(
    ['subject', 'ops/s', 'median', 'p25–p75', '±MAD', 'samples'],
    [...results.values()].map((m) => [
      m.name,
      fmtOps(m.opsPerSec),
      fmtMs(m.medianMs),
      `${fmtMs(m.p25Ms)}–${fmtMs(m.p75Ms)}`,
      `${m.madPct.toFixed(1)}%`,
      String(m.samples),
    ]),
  );
}

/** One ratio checked against a target. */
export interface Ratio {
  readonly case: string;
  readonly what: string;
  readonly value: number;
  /** `>=` target for higher-is-better ratios, `<=` for budgets. */
  readonly target: number;
  readonly direction: '>=' | '<=';
  readonly unit: string;
  /** Enforced (exit 1 when missed) — only the bundle budget. */
  readonly enforced: boolean;
  readonly note?: string;
}

export function meets(r: Ratio): boolean {
  return r.direction === '>=' ? r.value >= r.target : r.value <= r.target;
}
