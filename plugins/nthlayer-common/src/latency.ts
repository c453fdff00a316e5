import { LatencyThreshold } from './types';

/** @public */
export const ACCEPTED_LATENCY =
  'p<percentile><<threshold><ms|s>, percentile between 50 and 99.99, e.g. p95<500ms or p99<1.5s';

/**
 * Parses a latency objective such as `p95<500ms` or `p99.9 < 1s`.
 *
 * @public
 */
export function parseLatencyObjective(text: string): LatencyThreshold | undefined {
  const match = /^p(\d{2}(?:\.\d+)?)\s*<\s*(\d+(?:\.\d+)?)\s*(ms|s)$/i.exec(text.trim());
  if (!match) return undefined;
  const percentile = Number(match[1]);
  const thresholdMs = Number(match[2]) * (match[3].toLowerCase() === 's' ? 1000 : 1);
  if (percentile < 50 || percentile >= 100 || !(thresholdMs > 0)) return undefined;
  return { percentile, thresholdMs };
}

/** Formats a threshold back, e.g. `p95<500ms`. @public */
export function formatLatencyObjective(latency: LatencyThreshold): string {
  return `p${latency.percentile}<${latency.thresholdMs}ms`;
}
