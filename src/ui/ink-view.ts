// What both live views (ink) share: a clock that redraws them at most 10
// times a second, a labelled row, and starting/stopping the view on stderr.
import { Box, render, Text } from 'ink';
import { createElement as h, useEffect, useState, type FunctionComponent, type ReactNode } from 'react';
import type { Reporter } from './reporter.js';
import { nowMs } from '../aio/clock.js';

/** The time now, updated every 100 ms. */
export function useNow(): number {
  const [now, setNow] = useState(nowMs());
  useEffect(() => {
    const t = setInterval(() => setNow(nowMs()), 100);
    return () => clearInterval(t);
  }, []);
  return now;
}

/** One line: a dim label in a 12-column cell, then the value. */
export function row(label: string, value: ReactNode, truncate = false): ReactNode {
  return h(Box, { key: label }, h(Box, { width: 12 }, h(Text, { dimColor: true }, label)), h(Text, truncate ? { wrap: 'truncate-middle' } : null, value));
}

/** The error count, red when not zero. */
export function errorCount(n: number): ReactNode {
  return n ? h(Text, { color: 'red' }, String(n)) : '0';
}

/** Shows View on stderr until stop(), which draws the final figures once more. */
export function showView<P extends object>(View: FunctionComponent<P>, props: P, stderr: NodeJS.WriteStream): Reporter {
  const app = render(h(View, props), { stdout: stderr, patchConsole: false, exitOnCtrlC: false });
  return {
    async stop() {
      app.rerender(h(View, props));
      app.unmount();
      await app.waitUntilExit();
    },
  };
}
