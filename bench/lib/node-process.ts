/**
 * Child Node processes for the benchmarks (server, sandbox, baseline): each runs on its own, so the
 * load generator and the socket swarm never share its heap or event loop. Output goes to a log
 * file; RSS is read from /proc; stop() sends SIGTERM (so --cpu-prof can write its profile).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface NodeProcess {
  name: string;
  pid: number;
  logFile: string;
  /** Resident set size in bytes (VmRSS), or null when the process is gone. */
  rssBytes(): number | null;
  /** CPU time used so far (user + system, ms), or null when the process is gone. */
  cpuMs(): number | null;
  /** Resolves with the first stdout/stderr line matching `re`. */
  waitForLine(re: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  exited(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`. Resolves with the exit code (or signal). */
  stop(graceMs?: number): Promise<number | string | null>;
}

export interface SpawnOptions {
  name: string;
  /** Script path relative to the repository root: TypeScript runs with `node --import tsx`, JavaScript (server/dist) as it is. */
  script: string;
  env: Record<string, string>;
  logDir: string;
  /** Write a V8 CPU profile into this folder when the process exits. */
  cpuProfDir?: string;
  nodeArgs?: string[];
}

/** USER_HZ: the unit of /proc/<pid>/stat times; 100 on every Linux build Node supports. */
const CLOCK_TICKS_PER_S = 100;

/** A minimal environment: no inherited app settings, so only what the benchmark sets applies. */
function baseEnv(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'];
  return Object.fromEntries(keep.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]!]));
}

export function spawnNode(opts: SpawnOptions): NodeProcess {
  fs.mkdirSync(opts.logDir, { recursive: true });
  const logFile = path.join(opts.logDir, `${opts.name}.log`);
  const log = fs.createWriteStream(logFile);
  const args = [...(opts.nodeArgs ?? [])];
  if (opts.cpuProfDir) args.push('--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`);
  if (opts.script.endsWith('.ts')) args.push('--import', 'tsx');
  args.push(opts.script);
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...baseEnv(), ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${opts.name}`);
  const pid = child.pid;
  let exit: number | string | null | undefined;
  const exitPromise = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = code ?? signal;
      resolve(exit);
    }),
  );
  const waiters: { re: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];
  let tail = '';
  const onData = (chunk: Buffer) => {
    log.write(chunk);
    tail = (tail + chunk.toString('utf8')).slice(-8192);
    for (const w of [...waiters]) {
      const m = w.re.exec(tail);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);

  return {
    name: opts.name,
    pid,
    logFile,
    rssBytes() {
      try {
        const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
        const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
        return kb ? Number(kb) * 1024 : null;
      } catch {
        return null;
      }
    },
    cpuMs() {
      try {
        // Fields 14 and 15 of /proc/<pid>/stat (after the parenthesised name): utime and stime in clock ticks.
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
      } catch {
        return null;
      }
    },
    waitForLine(re, timeoutMs) {
      const m = re.exec(tail);
      if (m) return Promise.resolve(m);
      return new Promise((resolve, reject) => {
        const w = { re, resolve: (x: RegExpExecArray) => (clearTimeout(timer), resolve(x)) };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`${opts.name}: no line matching ${re} within ${timeoutMs} ms (log: ${logFile})`));
        }, timeoutMs);
        waiters.push(w);
        void exitPromise.then((code) => {
          if (waiters.includes(w)) {
            clearTimeout(timer);
            waiters.splice(waiters.indexOf(w), 1);
            reject(new Error(`${opts.name} exited (${code}) before printing ${re}; see ${logFile}`));
          }
        });
      });
    },
    exited: () => exit !== undefined,
    async stop(graceMs = 15_000) {
      if (exit !== undefined) return exit;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exitPromise;
      clearTimeout(timer);
      log.end();
      return code;
    },
  };
}

/** Poll `url` until it answers 2xx, or fail after `timeoutMs` (or when the process dies). */
export async function waitForHttp(url: string, proc: NodeProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (proc.exited()) throw new Error(`${proc.name} exited during start-up; see ${proc.logFile}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${proc.name} did not answer ${url} within ${timeoutMs} ms (${last}); see ${proc.logFile}`);
}
