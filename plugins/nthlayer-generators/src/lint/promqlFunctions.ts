/** PromQL value types, named as Prometheus names them in its messages. */
export type ValueType = 'scalar' | 'instant vector' | 'range vector' | 'string';

/** Signature of a PromQL function. */
export interface PromqlFunction {
  /** Types of the arguments; with `variadic`, the last one repeats or may be left out. */
  args: ValueType[];
  /**
   * 0: exactly `args.length` arguments. n > 0: the last argument may be left out, or
   * given up to n times. -1: the last argument may be left out or repeat without limit.
   */
  variadic: number;
  returns: ValueType;
}

const S: ValueType = 'scalar';
const V: ValueType = 'instant vector';
const M: ValueType = 'range vector';
const T: ValueType = 'string';

const fn = (
  args: ValueType[],
  returns: ValueType = V,
  variadic = 0,
): PromqlFunction => ({
  args,
  returns,
  variadic,
});

/** `f(v instant-vector)` → instant vector. */
const VECTOR_FUNCTIONS = [
  'abs absent acos acosh asin asinh atan atanh ceil cos cosh deg exp',
  'floor histogram_count histogram_sum ln log10 log2 rad sgn sin sinh',
  'sort sort_desc sqrt tan tanh timestamp',
]
  .join(' ')
  .split(' ');

/** `f(v range-vector)` → instant vector. */
const RANGE_FUNCTIONS = [
  'absent_over_time avg_over_time changes count_over_time delta deriv',
  'idelta increase irate last_over_time max_over_time min_over_time',
  'present_over_time rate resets stddev_over_time stdvar_over_time',
  'sum_over_time',
]
  .join(' ')
  .split(' ');

/** `f(v=vector(time()) instant-vector)`: the argument may be left out. */
const DATE_FUNCTIONS = [
  'day_of_month day_of_week day_of_year days_in_month hour minute month',
  'year',
]
  .join(' ')
  .split(' ');

/**
 * The functions of Prometheus 2.42 (the promtool of CI) with their argument and return
 * types, from the PromQL function reference. Later functions (`sort_by_label`,
 * `histogram_stddev`, `double_exponential_smoothing`, `info`, `mad_over_time`, …) are
 * unknown to it; `holt_winters` is still there.
 */
export const PROMQL_FUNCTIONS: Record<string, PromqlFunction> = {
  ...Object.fromEntries(VECTOR_FUNCTIONS.map(name => [name, fn([V])])),
  ...Object.fromEntries(RANGE_FUNCTIONS.map(name => [name, fn([M])])),
  ...Object.fromEntries(DATE_FUNCTIONS.map(name => [name, fn([V], V, 1)])),
  clamp: fn([V, S, S]),
  clamp_max: fn([V, S]),
  clamp_min: fn([V, S]),
  histogram_fraction: fn([S, S, V]),
  histogram_quantile: fn([S, V]),
  holt_winters: fn([M, S, S]),
  label_join: fn([V, T, T, T], V, -1),
  label_replace: fn([V, T, T, T, T]),
  pi: fn([], S),
  predict_linear: fn([M, S]),
  quantile_over_time: fn([S, M]),
  round: fn([V, S], V, 1),
  scalar: fn([V], S),
  time: fn([], S),
  vector: fn([S]),
};

/** Aggregation operators of Prometheus 2.42 and the type of their parameter, if any. */
export const AGGREGATIONS: Record<string, ValueType | undefined> = {
  sum: undefined,
  avg: undefined,
  count: undefined,
  min: undefined,
  max: undefined,
  group: undefined,
  stddev: undefined,
  stdvar: undefined,
  topk: S,
  bottomk: S,
  quantile: S,
  count_values: T,
};

/** Functions of later Prometheus versions, with what to write for 2.42 instead. */
export const LATER_FUNCTIONS: Record<string, string | undefined> = {
  double_exponential_smoothing: 'holt_winters',
  sort_by_label: undefined,
  sort_by_label_desc: undefined,
  histogram_avg: 'histogram_sum(v) / histogram_count(v)',
  histogram_stddev: undefined,
  histogram_stdvar: undefined,
  mad_over_time: undefined,
  info: 'a join on target_info',
  limitk: 'topk',
  limit_ratio: undefined,
};
