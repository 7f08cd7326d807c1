/**
 * Test helpers for the pages that take a screenshot (`image-text.tsx`): a multipart body as a
 * browser sends it, and images that the reader must refuse.
 */
import type { Pool } from 'pg'
import sharp from 'sharp'

/** A file part of a multipart body. */
export interface FilePart {
  /** The form field (default `image`). */
  field?: string
  filename: string
  type: string
  data: Buffer
}

/** A `multipart/form-data` body with these fields, then these files (a browser's order). */
export function multipartForm(
  fields: Record<string, string>,
  files: FilePart[] = [],
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----img${Math.random().toString(16).slice(2)}`
  const chunks: Buffer[] = []
  for (const [k, v] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`))
  }
  for (const f of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.field ?? 'image'}"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`,
      ),
      f.data,
      Buffer.from('\r\n'),
    )
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

/** A white PNG of this size (a 5000×4000 one is over the 16-MP limit yet a few kB). */
export function blankPng(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .png()
    .toBuffer()
}

/** An animated WebP: `first`, then `frames - 1` copies of it inverted (only the first is read). */
export async function animatedWebp(first: Buffer, frames: number): Promise<Buffer> {
  const other = await sharp(first).negate({ alpha: false }).png().toBuffer()
  return sharp([first, ...Array.from({ length: frames - 1 }, () => other)], { join: { animated: true } })
    .webp({ loop: 0, delay: Array.from({ length: frames }, () => 500) })
    .toBuffer()
}

/**
 * The audit rows a request can write (SQL condition on `audit_events`): audit rows of background
 * work (fan-outs, jobs: the system's actors) may land at any time after a test's set-up, while a
 * check is audited, if ever, as the public or a user.
 */
export const NOT_BACKGROUND_AUDIT = `actor_id IS NOT NULL OR actor_label NOT LIKE 'system%'`

/** Rows in every table, by table (a check that reads an image must change none of them; system audit rows aside). */
export async function rowCounts(pool: Pool): Promise<Record<string, number>> {
  const tables = await pool.query<{ s: string; n: string }>(
    `SELECT table_schema AS s, table_name AS n FROM information_schema.tables
     WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`,
  )
  const out: Record<string, number> = {}
  for (const { s, n } of tables.rows) {
    const where = s === 'public' && n === 'audit_events' ? ` WHERE ${NOT_BACKGROUND_AUDIT}` : ''
    const r = await pool.query<{ c: number }>(`SELECT count(*)::int AS c FROM "${s}"."${n}"${where}`)
    out[`${s}.${n}`] = r.rows[0]?.c ?? 0
  }
  return out
}

/**
 * {@link rowCounts} once the app's background work (the deliveries of domain events published
 * by a test's setup, and their audit rows) has settled: the same twice, half a second apart.
 */
export async function settledRowCounts(pool: Pool): Promise<Record<string, number>> {
  let last = await rowCounts(pool)
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 500))
    const next = await rowCounts(pool)
    if (JSON.stringify(next) === JSON.stringify(last)) return next
    last = next
  }
  return last
}
