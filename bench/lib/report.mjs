// What every bench script reports with: progress on stderr, and bars as one
// shape ({ name, value, bar, met }, met null when the value is missing) with
// one wording (met / NOT met / n/a), so the scripts' JSON and lines agree.

/** Progress and per-run figures, on stderr (stdout is the report). */
export const log = (s) => process.stderr.write(s);

/** A bar: value against limit with op ('<=' or '>='); value null: n/a. */
export function bar(name, value, op, limit) {
  if (value === null || value === undefined || Number.isNaN(value)) return { name, value: null, bar: `${op} ${limit}`, met: null };
  const met = op === '<=' ? value <= limit : value >= limit;
  return { name, value: +value.toFixed(3), bar: `${op} ${limit}`, met };
}

/** A bar's verdict in words. */
export function verdict(met) {
  return met === null ? 'n/a' : met ? 'met' : 'NOT met';
}
