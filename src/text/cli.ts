/**
 * `donghanh text <sub>`: batch interface for newsrooms and for evaluation.
 * Each subcommand reads stdin line by line and writes exactly one JSON line per input line.
 */
import { createInterface } from 'node:readline'
import { runChecksCommand } from './checks-cli.ts'
import { runMatchCommand } from './match-cli.ts'
import { runOcrCommand } from './ocr/ocr-cli.ts'

/** The streams a batch command reads from and writes to. */
export interface TextCliIo {
  /** Input, read line by line (UTF-8). */
  stdin: NodeJS.ReadableStream
  /** Output, one JSON line per input line. */
  stdout: NodeJS.WritableStream
  /** Human-readable errors. */
  stderr: NodeJS.WritableStream
}

const CHECKS = new Set(['clickbait', 'pii', 'check'])
const MATCH = new Set(['similarity', 'match'])

/** Runs `donghanh text <sub> [args]` and resolves with the process exit code. */
export async function runTextCli(argv: string[], io: TextCliIo): Promise<number> {
  const [sub, ...args] = argv
  // Images are named as arguments; stdin is not read.
  if (sub === 'ocr') return runOcrCommand(args, (obj) => void io.stdout.write(`${JSON.stringify(obj)}\n`), io.stderr)
  const reader = createInterface({ input: io.stdin, crlfDelay: Number.POSITIVE_INFINITY })
  // Take the iterator now: readline only buffers lines for an iterator that exists, so a
  // subcommand that awaits something first (reading a candidates file) would lose input.
  const iterator = reader[Symbol.asyncIterator]()
  const lines: AsyncIterable<string> = { [Symbol.asyncIterator]: () => iterator }
  const write = (obj: unknown): void => {
    io.stdout.write(`${JSON.stringify(obj)}\n`)
  }
  if (sub && CHECKS.has(sub)) return runChecksCommand(sub, args, lines, write)
  if (sub && MATCH.has(sub)) return runMatchCommand(sub, args, lines, write)
  io.stderr.write(
    'Dùng / usage: donghanh text <clickbait|pii|check|similarity|match CANDIDATES>  (stdin → một dòng JSON mỗi dòng / one JSON line per line)\n       donghanh text ocr FILE…  (một dòng JSON mỗi ảnh / one JSON line per image)\n',
  )
  return 2
}
