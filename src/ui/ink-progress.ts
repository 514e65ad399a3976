// The live progress view (ink), redrawn at most 10 times a second on stderr.
import { Box, render, Text } from 'ink';
import { createElement as h, useEffect, useState } from 'react';
import { seconds, short } from './format.js';
import type { ProgressSource, Reporter } from './progress.js';

function View({ src }: { src: ProgressSource }) {
  const [now, setNow] = useState(performance.now());
  useEffect(() => {
    const t = setInterval(() => setNow(performance.now()), 100);
    return () => clearInterval(t);
  }, []);
  const c = src.counters;
  const elapsed = now - src.started;
  const entries = c.dirs + c.files + c.symlinks + c.others;
  const rate = elapsed > 0 ? (entries * 1000) / elapsed : 0;
  const row = (label: string, value: string) => h(Box, { key: label }, h(Box, { width: 12 }, h(Text, { dimColor: true }, label)), h(Text, null, value));
  return h(
    Box,
    { flexDirection: 'column' },
    h(Text, { bold: true }, `${src.tool}`),
    row('dirs', short(c.dirs)),
    row('files', `${short(c.files)}  symlinks ${short(c.symlinks)}  other ${short(c.others)}`),
    row('stats', short(c.stats)),
    row('rate', `${short(rate)} entries/s`),
    row('in flight', `${c.inflight} requests on ${src.threads()} threads`),
    row('errors', c.errors ? h(Text, { color: 'red' }, String(c.errors)) as unknown as string : '0'),
    row('elapsed', seconds(elapsed)),
  );
}

export function inkProgress(src: ProgressSource, stderr: NodeJS.WriteStream): Reporter {
  const app = render(h(View, { src }), { stdout: stderr, patchConsole: false, exitOnCtrlC: false });
  return {
    async stop() {
      app.rerender(h(View, { src }));
      app.unmount();
      await app.waitUntilExit();
    },
  };
}
