/**
 * A child process (plain `node`, a script, or anything under `script(1)`'s terminal) whose output is
 * kept, with waits for a line or an exit — for the tests of the compiled server, `pnpm start`, the
 * release folder and the CLI. Each child leads its own process group, so `stop()` also reaches
 * what it started (pnpm start → server).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { waitFor } from './server.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface Child {
  child: ChildProcess;
  pid: number;
  output(): string;
  exited: Promise<number | null>;
  /** Resolves once the output holds `text` (rejects when the process exits first). */
  waitForOutput(text: string | RegExp, timeout?: number): Promise<void>;
  /** Signal the whole group and wait for the exit code (SIGKILL after 15 s). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function spawnChild(command: string, args: string[], opts: { env: Record<string, string>; cwd?: string }): Child {
  const child = spawn(command, args, {
    cwd: opts.cwd ?? ROOT,
    env: opts.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString('utf8')).slice(-256 * 1024);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let code: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve((code = c))));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // the group is gone already
    }
  };
  return {
    child,
    pid: child.pid!,
    output: () => out,
    exited,
    async waitForOutput(text, timeout = 60_000) {
      await waitFor(
        () => {
          if (typeof text === 'string' ? out.includes(text) : text.test(out)) return true;
          if (code !== undefined) throw new Error(`exited with ${code} first`);
          return false;
        },
        { timeout, interval: 20, message: `output ${String(text)}` },
      ).catch((err: Error) => {
        throw new Error(`${err.message}\n--- output ---\n${out}`);
      });
    },
    async stop(signal = 'SIGTERM') {
      if (code !== undefined) return code;
      signalGroup(signal);
      const timer = setTimeout(() => signalGroup('SIGKILL'), 15_000);
      const c = await exited;
      clearTimeout(timer);
      return c;
    },
  };
}

/** Environment for a child: PATH and HOME from ours, nothing else unless given. */
export function childEnv(env: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env };
}

/** Waits until `url` answers 200, failing early (with the child's output) if the child exits. */
export async function waitHealthy(url: string, proc: Child, timeout = 60_000): Promise<void> {
  let code: number | null | undefined;
  void proc.exited.then((c) => (code = c));
  await waitFor(
    async () => {
      if (code !== undefined) throw new Error(`exited with ${code}`);
      return (await fetch(url).catch(() => null))?.status === 200;
    },
    { timeout, interval: 50, message: url },
  ).catch((err: Error) => {
    throw new Error(`${err.message}\n--- output ---\n${proc.output()}`);
  });
}

/** The children of a process, from /proc (Linux). */
export function childPids(pid: number): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** argv and environment of a running process, from /proc (Linux). */
export function processInfo(pid: number): { argv: string[]; env: Record<string, string> } {
  const split = (file: string) => fs.readFileSync(`/proc/${pid}/${file}`, 'utf8').split('\0').filter(Boolean);
  const env = Object.fromEntries(split('environ').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  return { argv: split('cmdline'), env };
}
