/**
 * What the HTTP benches share: finding executables, wrk (run and parsed), child processes
 * started with their output in a log file and stopped by pid, readiness polling, formatting.
 * Not a bench itself (bench/run.ts only runs `*.bench.ts`).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { accessSync, closeSync, constants, openSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root (child processes run there). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
/** wrk's settings (BENCH_DURATION, BENCH_CONNECTIONS, BENCH_THREADS). */
export const DURATION = process.env.BENCH_DURATION || '10s'
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 50)
export const THREADS = Number(process.env.BENCH_THREADS || 2)

/** Figures read from wrk's `--latency` output. */
export interface WrkResult {
  rps: number
  p50Ms: number
  p99Ms: number
  requests: number
  /** Responses with status ≥ 400 plus socket errors, as wrk counts them. */
  errors: number
  raw: string
}

/** Child processes still running (wrk, servers), for clean-up on exit or signal. */
export const running = new Set<ChildProcess>()

/** Finds an executable `name` on PATH (or in the sbin folders, where Debian puts nginx). */
export function findExecutable(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin']
  for (const dir of dirs) {
    if (!dir) continue
    const file = path.join(dir, name)
    try {
      accessSync(file, constants.X_OK)
      return file
    } catch {
      // not here
    }
  }
  return undefined
}

/** wrk latency like `812.00us`, `12.34ms`, `1.20s`, `2.00m` → milliseconds. */
function toMs(value: string, unit: string): number {
  const factor: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 }
  return Number.parseFloat(value) * (factor[unit] ?? Number.NaN)
}

/** Parses wrk's `--latency` output. */
export function parseWrk(raw: string): WrkResult {
  const latency = (pct: string) => {
    const m = raw.match(new RegExp(`^\\s*${pct}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm'))
    return m ? toMs(m[1] as string, m[2] as string) : Number.NaN
  }
  const rps = Number.parseFloat(raw.match(/Requests\/sec:\s+([\d.]+)/)?.[1] ?? 'NaN')
  const requests = Number.parseInt(raw.match(/(\d+) requests in/)?.[1] ?? '0', 10)
  const non2xx = Number.parseInt(raw.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? '0', 10)
  const socket = raw.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/)
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0
  return { rps, p50Ms: latency('50'), p99Ms: latency('99'), requests, errors: non2xx + socketErrors, raw }
}

/** Runs wrk against `url` and parses its figures. */
export async function wrk(
  url: string,
  o: { duration?: string; headers?: string[]; script?: string; timeout?: string } = {},
): Promise<WrkResult> {
  const args = ['-t', String(THREADS), '-c', String(CONNECTIONS), '-d', o.duration ?? DURATION, '--latency', '--timeout', o.timeout ?? '5s']
  for (const h of o.headers ?? []) args.push('-H', h)
  if (o.script) args.push('-s', o.script)
  args.push(url)
  const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] })
  running.add(child)
  let out = ''
  child.stdout?.on('data', (d) => {
    out += d
  })
  child.stderr?.on('data', (d) => {
    out += d
  })
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', resolve)
  })
  running.delete(child)
  if (code !== 0) throw new Error(`wrk exited with ${code}:\n${out}`)
  return parseWrk(out)
}

/** Starts `command` with its output in `logFile`, and remembers it for clean-up. */
export function startProcess(command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  const fd = openSync(logFile, 'a')
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', fd, fd] })
  closeSync(fd)
  running.add(child)
  child.once('exit', () => running.delete(child))
  return child
}

/** Sends SIGTERM to `child` (by pid), then SIGKILL if it has not exited after `graceMs`. */
export async function stop(child: ChildProcess | undefined, graceMs = 10_000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null || !child.pid) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  process.kill(child.pid, 'SIGTERM')
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(child.pid, 'SIGKILL')
  }, graceMs)
  await exited
  clearTimeout(timer)
  running.delete(child)
}

/** Polls `url` until it answers 200; fails early when `child` exits. */
export async function waitReady(url: string, child: ChildProcess, logFile: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `${path.basename(logFile)}: process exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${tail(logFile)}`,
      )
    }
    try {
      const res = await fetch(url)
      await res.arrayBuffer()
      if (res.status === 200) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`not ready at ${url} after ${timeoutMs / 1000} s:\n${tail(logFile)}`)
}

/** The last `lines` lines of a log file. */
export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n')
  } catch {
    return '(no log)'
  }
}

/** A number with thousands separators and `digits` decimals ('n/a' when not finite). */
export function fmt(n: number, digits = 0): string {
  return Number.isFinite(n) ? n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a'
}
