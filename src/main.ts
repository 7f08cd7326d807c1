/**
 * The `donghanh` command line: serve, worker, migrate, admin create, audit verify,
 * seed-demo, text. `npm start` runs `serve` on the embedded default.
 */
// First: stops with a clear message on a Node.js too old for our dependencies.
import './node-version.ts'
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { type Config, loadConfig } from './config.ts'
import { attachToRunningEmbedded, withTransaction } from './db/index.ts'
import { inviteUser } from './modules/accounts/commands/invite-user.ts'
import { SYSTEM_ACTOR } from './modules/accounts/users.ts'
import { seedDemo } from './modules/demo/seed-demo.ts'
import {
  type Checkpoint,
  type CheckpointProblem,
  createCheckpoint,
  type IntegrityResult,
  listCheckpoints,
  parseCheckpoints,
  verifyAuditIntegrity,
} from './platform/audit/checkpoints.ts'
import { AppError, isAppError } from './platform/errors.ts'
import { t } from './platform/i18n/index.ts'
import { openRuntime, type Runtime } from './runtime.ts'
import { serve } from './serve.ts'

const USAGE = `Đồng Hành — cách dùng / usage:
  donghanh serve                              chạy máy chủ web (và worker trong tiến trình) / run the web server
  donghanh worker                             chỉ chạy worker nền / run background jobs only
  donghanh migrate                            áp dụng migration / apply migrations
  donghanh admin create --email E --role R    tạo tài khoản và in đường dẫn đặt mật khẩu / create an account, print its link
  donghanh audit verify [--checkpoint FILE | --checkpoint-url URL]
                                              kiểm tra chuỗi băm nhật ký và các điểm kiểm tra đã ký, kể cả một bản sao
                                              giữ ở nơi khác / verify the audit hash chain and its signed checkpoints,
                                              also against a copy kept elsewhere (exit 0 ok, 3 broken, 2 bad input)
  donghanh audit checkpoint                   ký một điểm kiểm tra ngay và in ra (JSON) để lưu nơi khác /
                                              sign a checkpoint now and print it (JSON) to keep elsewhere
  donghanh seed-demo --manifest FILE          nạp dữ liệu trình diễn / fill an empty database with demo content
  donghanh text <clickbait|pii|check|similarity|match FILE>   xử lý văn bản theo dòng / batch text tools
`

function say(line: string): void {
  process.stdout.write(`${line}\n`)
}

function fail(e: unknown): never {
  if (isAppError(e)) {
    process.stderr.write(`${t('vi', `errors.${e.code}`, e.params)}\n${t('en', `errors.${e.code}`, e.params)}\n`)
  } else {
    process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`)
  }
  process.exit(1)
}

/** Closes `runtime` on SIGINT/SIGTERM (after `before`), then exits. */
function onSignals(runtime: Runtime, before: () => Promise<void>): void {
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    say(`${signal}: đang dừng / stopping…`)
    try {
      await before()
      await runtime.close()
      process.exit(0)
    } catch (e) {
      fail(e)
    }
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
}

async function worker(): Promise<void> {
  const config = loadConfig()
  const runtime = await openRuntime(config, { work: true })
  onSignals(runtime, async () => undefined)
  say('Đồng Hành worker: đang chạy / running')
}

/**
 * Runs a command that only needs the database. While `serve` runs the embedded server of
 * DATA_DIR, the command uses that server (see attachToRunningEmbedded) instead of refusing.
 */
async function withRuntime<T>(fn: (runtime: Runtime) => Promise<T>, config: Config = loadConfig()): Promise<T> {
  const runtime = await openRuntime(attachToRunningEmbedded(config), { work: false })
  try {
    return await fn(runtime)
  } finally {
    await runtime.close()
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, sub, ...rest] = argv
  switch (command) {
    case 'serve':
      return serve({ say, onSignals })
    case 'worker':
      return worker()
    case 'migrate':
      await withRuntime(async () => say('migrations: ok'))
      return
    case 'admin': {
      const { values } = parseArgs({
        args: rest,
        options: { email: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' } },
      })
      if (sub !== 'create' || !values.email || !values.role) {
        process.stderr.write(USAGE)
        process.exit(2)
      }
      const config = loadConfig()
      await withRuntime(async (rt) => {
        const { link } = await withTransaction(rt.database.pool, (tx) =>
          inviteUser({
            tx,
            tenantId: rt.tenant.id,
            tenantName: rt.tenant.name,
            actor: SYSTEM_ACTOR,
            email: values.email,
            role: values.role,
            name: values.name,
            publicUrl: config.publicUrl,
          }),
        )
        say(`Đã tạo tài khoản / account created: ${values.email} (${values.role})`)
        say(`Đường dẫn đặt mật khẩu (7 ngày, một lần) / set-password link (7 days, single use):\n  ${link}`)
      })
      return
    }
    case 'audit': {
      let values: { checkpoint?: string; 'checkpoint-url'?: string }
      try {
        values = parseArgs({ args: rest, options: { checkpoint: { type: 'string' }, 'checkpoint-url': { type: 'string' } } }).values
      } catch {
        values = { checkpoint: '', 'checkpoint-url': '' }
      }
      if (
        (sub !== 'verify' && sub !== 'checkpoint') ||
        values.checkpoint === '' ||
        values['checkpoint-url'] === '' ||
        (sub === 'checkpoint' && (values.checkpoint || values['checkpoint-url']))
      ) {
        process.stderr.write(USAGE)
        process.exit(2)
      }
      if (sub === 'checkpoint') {
        await withRuntime(async (rt) => {
          const made = await withTransaction(rt.database.pool, (tx) => createCheckpoint(tx, rt.tenant.id))
          const [latest] = made ? [made] : await listCheckpoints(rt.database.db, rt.tenant.id, 1)
          if (!latest) {
            say('audit: nhật ký còn trống, chưa có gì để ký / the audit log is empty, nothing to sign')
            return
          }
          process.stderr.write(
            `${made ? 'Đã ký điểm kiểm tra mới / new checkpoint signed' : 'Chuỗi chưa thêm bản ghi từ điểm kiểm tra cuối / no new rows since the last checkpoint'}; ` +
              'hãy lưu JSON này ở nơi khác máy chủ / keep this JSON somewhere other than this server:\n',
          )
          say(JSON.stringify(latest, null, 2))
        })
        return
      }
      let external: Checkpoint[] = []
      try {
        external = await readExternalCheckpoints(values)
      } catch (e) {
        if (!isAppError(e)) throw e
        process.stderr.write(`${t('vi', `errors.${e.code}`, e.params)}\n${t('en', `errors.${e.code}`, e.params)}\n`)
        process.exit(2)
      }
      const code = await withRuntime(async (rt) => {
        const r = await verifyAuditIntegrity(rt.database.db, rt.tenant.id, external)
        if (external.length > 0 && r.checkpoints.external === 0) {
          process.stderr.write(
            `Bản sao không có điểm kiểm tra nào của đơn vị này (${rt.tenant.id}) / the copy holds no checkpoint of this tenant (${rt.tenant.id})\n`,
          )
          return 2
        }
        for (const line of describeIntegrity(r, rt.tenant.name)) say(line)
        return r.ok ? 0 : 3
      })
      process.exit(code)
      return
    }
    case 'seed-demo': {
      const { values } = parseArgs({ args: [sub ?? '', ...rest].filter(Boolean), options: { manifest: { type: 'string' } } })
      if (!values.manifest) {
        process.stderr.write(USAGE)
        process.exit(2)
      }
      const config = loadConfig()
      await withRuntime(async (runtime) => {
        const m = await seedDemo({ runtime, config, manifestPath: values.manifest as string })
        say(`seed-demo: ${m.users.length} tài khoản, ${m.items.length} mục → ${values.manifest}`)
      })
      return
    }
    case 'text': {
      // Loaded on demand: the text models are not needed to serve.
      const { runTextCli } = await import('./text/cli.ts')
      const code = await runTextCli(
        [sub ?? '', ...rest].filter((a, i) => i > 0 || a !== ''),
        {
          stdin: process.stdin,
          stdout: process.stdout,
          stderr: process.stderr,
        },
      )
      process.exitCode = code
      return
    }
    default:
      process.stderr.write(USAGE)
      process.exit(command ? 2 : 0)
  }
}

/** Reads the checkpoints of --checkpoint FILE or --checkpoint-url URL (none without either). */
async function readExternalCheckpoints(values: { checkpoint?: string; 'checkpoint-url'?: string }): Promise<Checkpoint[]> {
  const out: Checkpoint[] = []
  if (values.checkpoint) {
    const source = values.checkpoint
    let text: string
    try {
      text = await readFile(source, 'utf8')
    } catch (e) {
      throw new AppError('AUDIT_CHECKPOINT_UNREADABLE', { source, reason: (e as Error).message })
    }
    out.push(...parseCheckpoints(parseJson(text, source)))
  }
  const link = values['checkpoint-url']
  if (link) {
    if (!/^https?:\/\//i.test(link)) throw new AppError('AUDIT_CHECKPOINT_UNREADABLE', { source: link, reason: 'http(s) URL' })
    let text: string
    try {
      const res = await fetch(link, { signal: AbortSignal.timeout(20_000), headers: { accept: 'application/json' } })
      if (!res.ok) throw new Error(`HTTP ${res.status}`)
      text = await res.text()
    } catch (e) {
      throw new AppError('AUDIT_CHECKPOINT_UNREADABLE', { source: link, reason: (e as Error).message })
    }
    out.push(...parseCheckpoints(parseJson(text, link)))
  }
  return out
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text)
  } catch (e) {
    throw new AppError('AUDIT_CHECKPOINT_UNREADABLE', { source, reason: (e as Error).message })
  }
}

const PROBLEM_TEXT: Record<CheckpointProblem['reason'], (p: CheckpointProblem) => string> = {
  truncated: (p) =>
    `TRUNCATED — chuỗi chỉ còn ${p.chainLength} bản ghi nhưng điểm kiểm tra ký lúc ${p.checkpoint.createdAt} có seq=${p.checkpoint.seq}: các bản ghi mới nhất đã bị xóa / ` +
    `the chain has ${p.chainLength} rows but a checkpoint signed at ${p.checkpoint.createdAt} has seq=${p.checkpoint.seq}: the newest rows were deleted`,
  rewritten: (p) =>
    `REWRITTEN — bản ghi seq=${p.checkpoint.seq} không còn mã băm đã ký lúc ${p.checkpoint.createdAt}: chuỗi đã bị viết lại / ` +
    `row seq=${p.checkpoint.seq} no longer has the hash signed at ${p.checkpoint.createdAt}: the chain was rewritten`,
  bad_signature: (p) =>
    `BAD_SIGNATURE — chữ ký của điểm kiểm tra seq=${p.checkpoint.seq} không hợp lệ / the checkpoint seq=${p.checkpoint.seq} has an invalid signature`,
  unknown_key: (p) =>
    `UNKNOWN_KEY — điểm kiểm tra seq=${p.checkpoint.seq} được ký bằng khóa lạ (${p.checkpoint.keyId}) / the checkpoint seq=${p.checkpoint.seq} names an unknown key (${p.checkpoint.keyId})`,
}

/** The lines `audit verify` prints for a result. */
function describeIntegrity(r: IntegrityResult, tenantName: string): string[] {
  const lines: string[] = []
  const c = r.chain
  if (c.ok) lines.push(`audit: chuỗi băm / hash chain: ${c.checked} bản ghi nguyên vẹn / rows intact (${tenantName})`)
  else
    lines.push(
      `audit: BROKEN — bản ghi đầu tiên bị phá vỡ / first broken row: id=${c.broken?.id} seq=${c.broken?.seq} (${c.broken?.reason}); ${c.checked} bản ghi trước đó nguyên vẹn / rows before it intact`,
    )
  for (const p of r.problems) {
    const where = p.source === 'external' ? 'bản sao / copy' : 'CSDL / database'
    lines.push(`audit: ${PROBLEM_TEXT[p.reason](p)} [${where}]`)
  }
  const counts = `${r.checkpoints.stored} trong CSDL / stored, ${r.checkpoints.external} từ bản sao / from the copy`
  if (r.checkpoints.stored + r.checkpoints.external === 0) {
    lines.push(
      'audit: chưa có điểm kiểm tra nào, nên không thể phát hiện việc xóa các bản ghi mới nhất / no checkpoint yet, so deleting the newest rows cannot be detected',
    )
  } else if (r.latest) {
    lines.push(
      `audit: điểm kiểm tra / checkpoints: ${counts}; mới nhất hợp lệ / latest valid: seq=${r.latest.seq} hash=${r.latest.hash} (${r.latest.createdAt})`,
    )
  } else {
    lines.push(`audit: điểm kiểm tra / checkpoints: ${counts}; không cái nào hợp lệ / none valid`)
  }
  lines.push(r.ok ? 'audit: OK' : 'audit: FAILED — nhật ký đã bị can thiệp / the audit log was tampered with')
  return lines
}

main(process.argv.slice(2)).catch(fail)
