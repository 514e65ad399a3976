#!/usr/bin/env node
// A parallel `du -s`: the library's callback API at work. readdirx gives each
// directory's entries with their types in one request; every entry is
// lstat'ed on libeio's threads; a group with a feeder keeps at most --jobs
// requests in flight however large the tree is.
//
//   node examples/du.mjs [DIR] [--jobs N]
import { aio, READDIR_DIRS_FIRST } from './lib.mjs';

const args = process.argv.slice(2);
const jobsAt = args.indexOf('--jobs');
const jobsArg = jobsAt >= 0 ? args.splice(jobsAt, 2)[1] : '64';
const jobs = Number(jobsArg);
const root = args[0] ?? '.';
if (!Number.isInteger(jobs) || jobs < 1) {
  console.error(`du: --jobs: expected a positive integer, got ${jobsArg}`);
  process.exit(2);
}

const todo = [root];
let files = 0, dirs = 0, bytes = 0, errors = 0;
const seen = new Set(); // hard links count once, as du counts them
const started = performance.now();
aio.minParallel(Math.min(jobs, 32));

const grp = aio.group((err) => {
  const s = ((performance.now() - started) / 1000).toFixed(3);
  console.log(`${bytes} bytes in ${files} files and ${dirs} directories under ${root} (${s} s, ${errors} errors)`);
  process.exitCode = errors || err ? 1 : 0;
});
grp.limit(jobs);
const feeder = () => {
  const path = todo.pop();
  if (path === undefined) return;
  grp.add(aio.lstat(path, (err, st) => {
    if (err) return void (errors++, console.error(`du: ${path}: ${err.reason}`));
    if (st.nlink > 1 && !st.isDirectory()) {
      const id = `${st.dev}:${st.ino}`;
      if (seen.has(id)) return void files++;
      seen.add(id);
    }
    bytes += st.blocks * 512;
    if (!st.isDirectory()) return void files++;
    dirs++;
    grp.add(aio.readdirx(path, READDIR_DIRS_FIRST, (err2, res) => {
      if (err2) return void (errors++, console.error(`du: ${path}: ${err2.reason}`));
      for (const e of res.entries) todo.push(`${path}/${e.name}`);
      // As in IO::AIO, a feeder that once found nothing to add was removed:
      // install it again now there is more to do.
      grp.feed(feeder);
    }));
  }));
};
grp.feed(feeder);
