// Synchronous clean-up (unmounting, killing children started in their own
// process groups) that must run however the benchmark ends: normally, on an
// uncaught error, or on SIGINT/SIGTERM/SIGHUP, which by default would end
// Node without running 'exit' handlers.
const jobs = new Set();
let hooked = false;

/** Registers fn (synchronous) to run at exit; returns a function that unregisters it. */
export function onExit(fn) {
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      // Last registered first: kill a scan before unmounting the filesystem it reads.
      for (const f of [...jobs].reverse()) {
        try {
          f();
        } catch (e) {
          process.stderr.write(`clean-up failed: ${e.message}\n`);
        }
      }
    });
    for (const [sig, n] of [['SIGHUP', 1], ['SIGINT', 2], ['SIGTERM', 15]]) {
      process.on(sig, () => {
        process.stderr.write(`\n${sig}: cleaning up\n`);
        process.exit(128 + n);
      });
    }
  }
  jobs.add(fn);
  return () => jobs.delete(fn);
}
