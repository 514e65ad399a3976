// The live view of a tree copy (ink), redrawn at most 10 times a second on stderr.
import { Box, render, Text } from 'ink';
import { createElement as h, useEffect, useState } from 'react';
import { seconds } from './format.js';
import { copyFigures, type CopySource } from './copy-progress.js';
import type { Reporter } from './progress.js';

function View({ src }: { src: CopySource }) {
  const [now, setNow] = useState(performance.now());
  useEffect(() => {
    const t = setInterval(() => setNow(performance.now()), 100);
    return () => clearInterval(t);
  }, []);
  const c = src.counters;
  const f = copyFigures(src, now);
  const row = (label: string, value: string) => h(Box, { key: label }, h(Box, { width: 12 }, h(Text, { dimColor: true }, label)), h(Text, { wrap: 'truncate-middle' }, value));
  return h(
    Box,
    { flexDirection: 'column' },
    h(Text, { bold: true }, src.tool),
    row('entries', `${f.files}  (links ${c.links}, up to date ${c.skipped})`),
    row('bytes', f.bytes),
    row('rate', f.rate),
    row('eta', f.eta),
    row('now', f.current),
    row('in flight', `${c.inflight} requests on ${src.threads()} threads`),
    row('errors', c.errors ? (h(Text, { color: 'red' }, String(c.errors)) as unknown as string) : '0'),
    row('elapsed', seconds(now - src.started)),
  );
}

export function inkCopyProgress(src: CopySource, stderr: NodeJS.WriteStream): Reporter {
  const app = render(h(View, { src }), { stdout: stderr, patchConsole: false, exitOnCtrlC: false });
  return {
    async stop() {
      app.rerender(h(View, { src }));
      app.unmount();
      await app.waitUntilExit();
    },
  };
}
