import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { startEmbedded } from './src/db/embedded.ts'
import { migrate, ensureDatabase } from './src/db/index.ts'
import { textPairs } from './src/modules/newsroom/search.ts'
const dir = await mkdtemp(path.join(tmpdir(), 'tsp-')); await (await import('node:fs/promises')).chmod(dir, 0o755)
const srv = await startEmbedded(path.join(dir, 'pg'))
const url = await ensureDatabase(srv.url, 'tsp')
const pool = new pg.Pool({ connectionString: url })
await migrate(pool)
const samples = process.argv.slice(2)
for (const s of samples) {
  const { rows } = await pool.query(`SELECT tsvector_pairs(to_tsvector('simple', fold_vi($1)))::text AS p, (SELECT string_agg(alias||':'||token, ' | ') FROM ts_debug('simple', fold_vi($1))) AS d`, [s])
  const sqlPairs = new Set((rows[0].p.match(/'[^']*'/g) ?? []).map((x: string) => x.slice(1, -1)))
  const js = textPairs(s)
  console.log(JSON.stringify(s), '\n  js-only:', js.filter((p) => !sqlPairs.has(p)), '\n  debug:', rows[0].d.slice(0, 400))
}
await pool.end(); await srv.stop(); await rm(dir, { recursive: true, force: true })
