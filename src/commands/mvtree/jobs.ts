// mvtree's -j auto, for a tree move and a list move alike.
import { useJobs } from '../../cli/jobs.js';
import type { MvtreeConfig } from './config.js';

/** -j auto: the copy's queue and the removal's steps follow the governor
 *  (the engines read cfg live); work: entries done so far. */
export function followJobs(cfg: MvtreeConfig, work: () => number): ReturnType<typeof useJobs> {
  return useJobs(cfg, {
    onLimit: (n) => {
      cfg.jobs = n;
      if (!cfg.fixedOutstanding) cfg.maxOutstanding = 4 * n;
    },
    work,
  });
}
