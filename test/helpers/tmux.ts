// A detached tmux session: a real pseudo-terminal for live views, read back
// with capture-pane.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

export interface Tmux {
  /** Runs a shell command line in a new detached session (a 100x30 pty). */
  start(command: string): void;
  /** The visible screen as text. */
  capture(): string;
  /** Captures every interval ms until done(screen) or the timeout; returns the screens seen. */
  captureUntil(done: (screen: string) => boolean, timeoutMs: number, intervalMs?: number): Promise<string[]>;
  kill(): void;
}

export function makeTmux(): Tmux {
  // A private server: nothing of the user's tmux is touched.
  const socket = `ioaio-test-${process.pid}-${Date.now()}`;
  const tmux = (...args: string[]) => {
    const r = spawnSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
    if (r.error) throw r.error;
    return r;
  };
  return {
    start(command) {
      const env = { ...process.env };
      delete env.CI;
      const r = spawnSync('tmux', ['-L', socket, '-f', '/dev/null', 'new-session', '-d', '-s', 'main', '-x', '100', '-y', '30', `unset CI; ${command}`], { encoding: 'utf8', env });
      if (r.status !== 0) throw new Error(`tmux new-session failed: ${r.stderr}`);
    },
    capture() {
      return tmux('capture-pane', '-p', '-t', 'main').stdout;
    },
    async captureUntil(done, timeoutMs, intervalMs = 100) {
      const screens: string[] = [];
      const end = Date.now() + timeoutMs;
      for (;;) {
        const s = this.capture();
        screens.push(s);
        if (done(s)) return screens;
        if (Date.now() > end) throw new Error(`tmux: timed out; last screen:\n${s}`);
        await new Promise((r) => setTimeout(r, intervalMs));
      }
    },
    kill() {
      tmux('kill-server');
      // The server leaves its socket file behind.
      rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, socket), { force: true });
    },
  };
}
