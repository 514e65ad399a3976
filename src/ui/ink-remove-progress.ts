// The live view of a tree removal (ink), redrawn at most 10 times a second on stderr.
import { Box, Text } from 'ink';
import { createElement as h } from 'react';
import { seconds } from './format.js';
import { errorCount, row, showView, useNow } from './ink-view.js';
import type { RemoveSource, Reporter } from './reporter.js';
import { removeFigures } from './remove-figures.js';

function View({ src }: { src: RemoveSource }) {
  const now = useNow();
  const c = src.counters;
  const f = removeFigures(src, now);
  return h(
    Box,
    { flexDirection: 'column' },
    h(Text, { bold: true }, src.tool),
    row('entries', `${f.entries}  (dirs ${c.dirs}, kept ${c.kept}, left ${c.left})`),
    row('rate', f.rate),
    row('eta', f.eta),
    row('in flight', `${c.inflight} requests on ${src.threads()}`),
    row('errors', errorCount(c.errors)),
    row('elapsed', seconds(now - src.started)),
  );
}

export function inkRemoveProgress(src: RemoveSource, stderr: NodeJS.WriteStream): Reporter {
  return showView(View, { src }, stderr);
}
