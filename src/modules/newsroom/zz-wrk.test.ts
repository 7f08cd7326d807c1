import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, it } from 'vitest'
import { type NewsroomWorld, newsroomWorld, publishRelease } from './newsroom.test-support.ts'
let w: NewsroomWorld
beforeAll(async () => { w = await newsroomWorld() })
afterAll(async () => { await w.t.close() })
it('wrk', async () => {
  const r = await publishRelease(w, { title: 'Công an tỉnh Thanh Hóa cảnh báo thủ đoạn lừa đảo', summary: 'Tóm tắt.', bodyMd: 'Nội dung dài. '.repeat(200) })
  await w.t.app.listen({ port: 0, host: '127.0.0.1' })
  const port = (w.t.app.server.address() as { port: number }).port
  for (const [path, hdr] of [[`/tin/${r.slug}`, ''], [`/tin/${r.slug}`, ''], [`/tin/${r.slug}`, 'Accept-Encoding: gzip'], ['/healthz', '']]) {
    const { stdout: out } = await promisify(execFile)('wrk', ['-t2', '-c50', '-d4s', '--latency', ...(hdr ? ['-H', hdr] : []), `http://127.0.0.1:${port}${path}`])
    console.log(path, hdr, out.match(/Requests\/sec:.*/)?.[0], out.match(/99%.*/)?.[0], out.match(/Non-2xx.*/)?.[0] ?? '', out.match(/Transfer\/sec.*/)?.[0])
  }
}, 60_000)
