/**
 * How `donghanh serve` writes its logs and its notices. On a terminal (stdout is a TTY) the
 * request log is printed by pino-pretty, one readable line per event, so that the one-time
 * setup link is not lost among JSON lines; anywhere else (a service manager, a container, a
 * pipe to a log shipper) it stays JSON, one object per line, as log collectors expect.
 * The setup link is printed last and set apart (see `setApartLines`).
 */
import pinoPretty from 'pino-pretty'

/** Where stdout goes (a stream); whether it is a terminal decides the format. */
export interface Output extends NodeJS.WritableStream {
  isTTY?: boolean
}

/**
 * The log destination for Fastify's logger: a pino-pretty stream writing to `out` when it is a
 * terminal, or undefined (pino's own JSON to stdout) when it is not.
 */
export function logDestination(out: Output = process.stdout): { write(line: string): void } | undefined {
  if (!out.isTTY) return undefined
  return pinoPretty({
    destination: out,
    colorize: true,
    // Local wall-clock time is what a person at the terminal compares with; the date is in the
    // JSON logs of a real deployment.
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname',
    singleLine: true,
    sync: true,
  })
}

/**
 * A notice framed by blank lines and rules, so that it stands out after the log lines above it
 * (on a terminal the rule is bold). Each returned string is one line.
 */
export function setApartLines(lines: string[], out: Pick<Output, 'isTTY'> = process.stdout): string[] {
  const width = Math.min(100, Math.max(...lines.map((l) => l.length)) + 2)
  const rule = '═'.repeat(width)
  const bold = (s: string) => (out.isTTY ? `\u001b[1m${s}\u001b[22m` : s)
  return ['', bold(rule), ...lines.map((l) => bold(l)), bold(rule), '']
}
