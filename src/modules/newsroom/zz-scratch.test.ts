import { it } from 'vitest'
import { sql } from 'drizzle-orm'
import { createTestDatabase } from '../../../test/support/db.ts'
import { fold } from '../../text/normalize.ts'
it('scratch', async () => {
  const d = await createTestDatabase()
  const q = async (s: string) => console.log(s, JSON.stringify((await d.pool.query(s)).rows))
  await q(`select to_tsvector('simple', fold_vi('Giá 1.200 đồng, 2,5 tỷ; Thanh Hóa-city e-mail a_b x@y.vn 36A-123.45 Đường'))`)
  await q(`select plainto_tsquery('simple', '1.200 thanh-hoa'), phraseto_tsquery('simple','thanh hoa'), to_tsquery('simple', quote_literal('thanh') || ':*')`)
  await q(`select fold_vi('Ðồng ÐẠI ǅ Hóa Hoà òa')`)
  console.log(fold('Ðồng ÐẠI ǅ Hóa Hoà òa'))
  await q(`select websearch_to_tsquery('simple', '"a b" c -d or e')`)
  await d.close()
})
