/**
 * Small numeric helpers for the benchmark: medians over rounds and the
 * formatting used in the results table.
 */

/** Median of a non-empty list (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of nothing");
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}

/** Per-round ratios `xs[i] / ys[i]` of two series measured side by side: their median and range. */
export function pairedRatio(
  xs: readonly number[],
  ys: readonly number[],
): { median: number; min: number; max: number } {
  const ratios = xs.map((x, i) => x / (ys[i] ?? Number.NaN)).filter(Number.isFinite);
  return { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
}

/** `values` rotated left by `by` places (interleaving orders across rounds). */
export function rotate<T>(values: readonly T[], by: number): T[] {
  const n = values.length;
  if (n === 0) return [];
  const k = ((by % n) + n) % n;
  return [...values.slice(k), ...values.slice(0, k)];
}

/** A number with about three significant digits. */
export function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(2);
}

/** A ratio as `1.23×`. */
export function ratio(value: number): string {
  return `${value < 0.1 ? value.toFixed(3) : value.toFixed(2)}×`;
}

/** ✅ or ❌ for a target check. */
export function verdict(pass: boolean): string {
  return pass ? "✅" : "❌";
}
