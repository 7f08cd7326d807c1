/**
 * The `donghanh` command line: serve, worker, migrate, admin create, audit verify,
 * seed-demo, text. `npm start` runs `serve` on the embedded default.
 */
import { parseArgs } from 'node:util'
import { loadConfig } from './config.ts'
import { withTransaction } from './db/index.ts'
import { inviteUser } from './modules/accounts/commands/invite-user.ts'
import { SYSTEM_ACTOR } from './modules/accounts/users.ts'
import { seedDemo } from './modules/demo/seed-demo.ts'
import { verifyAuditChain } from './platform/audit/index.ts'
import { isAppError } from './platform/errors.ts'
import { t } from './platform/i18n/index.ts'
import { openRuntime, type Runtime } from './runtime.ts'
import { serve } from './serve.ts'

const USAGE = `Đồng Hành — cách dùng / usage:
  donghanh serve                              chạy máy chủ web (và worker trong tiến trình) / run the web server
  donghanh worker                             chỉ chạy worker nền / run background jobs only
  donghanh migrate                            áp dụng migration / apply migrations
  donghanh admin create --email E --role R    tạo tài khoản và in đường dẫn đặt mật khẩu / create an account, print its link
  donghanh audit verify                       kiểm tra chuỗi băm nhật ký / verify the audit hash chain
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

async function withRuntime<T>(fn: (runtime: Runtime) => Promise<T>): Promise<T> {
  const config = loadConfig()
  const runtime = await openRuntime(config, { work: false })
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
      const { values } = parseArgs({ args: rest, options: { email: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' } } })
      if (sub !== 'create' || !values.email || !values.role) {
        process.stderr.write(USAGE)
        process.exit(2)
      }
      const config = loadConfig()
      await withRuntime(async (rt) => {
        const { link } = await withTransaction(rt.database.pool, (tx) =>
          inviteUser({ tx, tenantId: rt.tenant.id, tenantName: rt.tenant.name, actor: SYSTEM_ACTOR, email: values.email, role: values.role, name: values.name, publicUrl: config.publicUrl }),
        )
        say(`Đã tạo tài khoản / account created: ${values.email} (${values.role})`)
        say(`Đường dẫn đặt mật khẩu (7 ngày, một lần) / set-password link (7 days, single use):\n  ${link}`)
      })
      return
    }
    case 'audit': {
      if (sub !== 'verify') {
        process.stderr.write(USAGE)
        process.exit(2)
      }
      const ok = await withRuntime(async (rt) => {
        const r = await verifyAuditChain(rt.database.db, rt.tenant.id)
        if (r.ok) {
          say(`audit: OK — ${r.checked} bản ghi nguyên vẹn / rows intact (${rt.tenant.name})`)
          return true
        }
        say(`audit: BROKEN — bản ghi đầu tiên bị phá vỡ / first broken row: id=${r.broken?.id} seq=${r.broken?.seq} (${r.broken?.reason}); ${r.checked} bản ghi trước đó nguyên vẹn / rows before it intact`)
        return false
      })
      process.exit(ok ? 0 : 3)
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
      const code = await runTextCli([sub ?? '', ...rest].filter((a, i) => i > 0 || a !== ''), {
        stdin: process.stdin,
        stdout: process.stdout,
        stderr: process.stderr,
      })
      process.exitCode = code
      return
    }
    default:
      process.stderr.write(USAGE)
      process.exit(command ? 2 : 0)
  }
}

main(process.argv.slice(2)).catch(fail)
