// The live view of a tree copy (ink), redrawn at most 10 times a second on stderr.
import { Box, Text } from 'ink';
import { createElement as h } from 'react';
import { seconds } from './format.js';
import { copyFigures } from './copy-figures.js';
import { errorCount, row, showView, useNow } from './ink-view.js';
import type { CopySource, Reporter } from './reporter.js';

function View({ src }: { src: CopySource }) {
  const now = useNow();
  const c = src.counters;
  const f = copyFigures(src, now);
  return h(
    Box,
    { flexDirection: 'column' },
    h(Text, { bold: true }, src.tool),
    row('entries', `${f.files}  (links ${c.links}, up to date ${c.skipped})`),
    row('bytes', f.bytes),
    row('rate', f.rate),
    row('eta', f.eta),
    row('now', f.current, true),
    row('in flight', `${c.inflight} requests on ${src.threads()}`),
    row('errors', errorCount(c.errors)),
    row('elapsed', seconds(now - src.started)),
  );
}

export function inkCopyProgress(src: CopySource, stderr: NodeJS.WriteStream): Reporter {
  return showView(View, { src }, stderr);
}
