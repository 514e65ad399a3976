// Sliding windows of C requests in flight over a path list. Both runners issue
// whole passes over the list and start another pass while less than minMs has
// passed, so every run is long enough to time and every path is stat'ed
// equally often. Each result's size is summed, so results are materialised
// and can be checked against the expected total.

class Passes {
  constructor(paths, minMs) {
    this.paths = paths;
    this.n = paths.length;
    this.total = this.n;
    this.issued = 0;
    this.minMs = minMs;
    this.t0 = performance.now();
  }

  /** The next path to stat, or undefined once the run is over. */
  next() {
    if (this.issued === this.total) {
      if (performance.now() - this.t0 >= this.minMs) return undefined;
      this.total += this.n;
    }
    return this.paths[this.issued++ % this.n];
  }
}

const result = (src, ok, errors, sizeSum, firstError) =>
  ({ requests: src.issued, passes: src.issued / src.n, ok, errors, sizeSum, firstError });

/** lstat(path) returns a promise; C async workers each await one at a time. */
export async function windowPromise(lstat, paths, C, minMs) {
  const src = new Passes(paths, minMs);
  let ok = 0, errors = 0, sizeSum = 0, firstError;
  const worker = async () => {
    for (let p = src.next(); p !== undefined; p = src.next()) {
      try {
        const st = await lstat(p);
        ok++;
        sizeSum += st.size;
      } catch (e) {
        errors++;
        firstError ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: C }, worker));
  return result(src, ok, errors, sizeSum, firstError);
}

/** lstat(path, cb) calls cb(err, stats); each completion issues the next request. */
export function windowCallback(lstat, paths, C, minMs) {
  return new Promise((resolve) => {
    const src = new Passes(paths, minMs);
    let ok = 0, errors = 0, sizeSum = 0, firstError, inflight = 0;
    const issue = () => {
      const p = src.next();
      if (p === undefined) return false;
      inflight++;
      lstat(p, done);
      return true;
    };
    function done(err, st) {
      inflight--;
      if (err) {
        errors++;
        firstError ??= err;
      } else {
        ok++;
        sizeSum += st.size;
      }
      if (!issue() && inflight === 0) resolve(result(src, ok, errors, sizeSum, firstError));
    }
    for (let k = 0; k < C && issue(); k++);
  });
}
