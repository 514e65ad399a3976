// The live progress view of a walk (ink), redrawn at most 10 times a second on stderr.
import { Box, Text } from 'ink';
import { createElement as h } from 'react';
import { seconds, short } from './format.js';
import { errorCount, row, showView, useNow } from './ink-view.js';
import type { ProgressSource, Reporter } from './reporter.js';

function View({ src }: { src: ProgressSource }) {
  const now = useNow();
  const c = src.counters;
  const elapsed = now - src.started;
  const entries = c.dirs + c.files + c.symlinks + c.others;
  const rate = elapsed > 0 ? (entries * 1000) / elapsed : 0;
  return h(
    Box,
    { flexDirection: 'column' },
    h(Text, { bold: true }, `${src.tool}`),
    row('dirs', short(c.dirs)),
    row('files', `${short(c.files)}  symlinks ${short(c.symlinks)}  other ${short(c.others)}`),
    row('stats', short(c.stats)),
    row('rate', `${short(rate)} entries/s`),
    row('in flight', `${c.inflight} requests on ${src.threads()}`),
    row('errors', errorCount(c.errors)),
    row('elapsed', seconds(elapsed)),
  );
}

export function inkProgress(src: ProgressSource, stderr: NodeJS.WriteStream): Reporter {
  return showView(View, { src }, stderr);
}
