/** Summary statistics for KPIs; null on an empty sample rather than NaN. */
export const quantile = (xs: readonly number[], q: number): number | null => {
  if (xs.length === 0) {
    return null;
  }
  const s = [...xs].sort((a, b) => a - b);
  // linear interpolation between closest ranks, so the median of an even sample is the mean of the two middle values
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (pos - lo);
};

export const median = (xs: readonly number[]): number | null => quantile(xs, 0.5);

export const mean = (xs: readonly number[]): number | null => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

export const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;
