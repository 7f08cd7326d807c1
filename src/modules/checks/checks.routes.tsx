/**
 * The Vietnamese content checks in the product: a free public page `/kiem-tra` (the text is
 * not stored), the same as a rate-limited JSON API for newsrooms' own systems, and the live
 * findings panel of the staff editors (an htmx fragment).
 */
import { Type } from '@sinclair/typebox'
import { CsrfField, sendPage } from '../../platform/html/layout.tsx'
import { pageForTooLarge, TEXT_FORM_BODY_LIMIT, type TooLong, TooLongNote } from '../../platform/html/too-long.tsx'
import { createRateLimiter } from '../../platform/http/rate-limit.ts'
import { t } from '../../platform/i18n/index.ts'
import { authorize } from '../../platform/policy/index.ts'
import { checkText } from '../../text/check.ts'
import { maskedCopy } from '../../text/masked-copy.ts'
import type { MaskStyle } from '../../text/pii.ts'
import { CASE_STAGES } from '../cases/cases.tables.ts'
import type { TypedApp } from '../../platform/modules.ts'
import { stripMarkdown } from '../releases/markdown-text.ts'
import { FindingsPanel } from './checks.view.tsx'

// A public text may be a whole article, but not a dump: 100,000 characters.
const MAX_TEXT = 100_000
const Stage = Type.Optional(Type.Union(CASE_STAGES.map((s) => Type.Literal(s))))
const MASK_STYLES = ['initials', 'partial', 'remove'] as const satisfies readonly MaskStyle[]
const Mask = Type.Optional(
  Type.Union(
    MASK_STYLES.map((s) => Type.Literal(s)),
    {
      description:
        'Cách che dữ liệu cá nhân trong `masked` / how personal data is masked in `masked`: initials (names "N.V.A.", digits partly hidden; the default), partial (the same for names), remove ("[đã ẩn]")',
    },
  ),
)
// On the page: initials (digits partly hidden too) or removal; `partial` differs from `initials`
// only in the API's wording (names become initials in both).
const PAGE_MASK_STYLES = ['initials', 'remove'] as const satisfies readonly MaskStyle[]
const FormBody = Type.Object({
  title: Type.Optional(Type.String({ maxLength: 500 })),
  // No maxLength here: an over-long paste must reach the handler, which shows it again with
  // the limit (MAX_TEXT) instead of a raw validation message.
  text: Type.Optional(Type.String()),
  mask: Mask,
  _csrf: Type.Optional(Type.String({ maxLength: 100 })),
})
const PanelBody = Type.Object({
  title: Type.Optional(Type.String({ maxLength: 500 })),
  summary: Type.Optional(Type.String({ maxLength: 2000 })),
  bodyMd: Type.Optional(Type.String({ maxLength: 200_000 })),
  caseStage: Type.Optional(Type.String({ maxLength: 20 })),
  _csrf: Type.Optional(Type.String({ maxLength: 100 })),
})
const ApiBody = Type.Object({
  title: Type.Optional(Type.String({ maxLength: 500, description: 'Tiêu đề (chấm điểm giật tít) / headline (clickbait score)' })),
  text: Type.String({ maxLength: MAX_TEXT, description: 'Văn bản, HTML, TCVN3/VNI đều được / text; HTML and legacy encodings accepted' }),
  caseStage: Stage,
  mask: Mask,
})
const Finding = Type.Object({
  kind: Type.String(),
  severity: Type.String(),
  field: Type.String(),
  start: Type.Integer(),
  end: Type.Integer(),
  text: Type.String(),
  message: Type.Object({ vi: Type.String(), en: Type.String() }),
  suggestion: Type.Optional(Type.String()),
  replacement: Type.Optional(Type.String({ description: 'Một từ thay thế an toàn / the one safe term to put in place of the text' })),
  alternatives: Type.Optional(Type.Array(Type.String(), { description: 'Các từ khác có thể dùng / other terms that may fit' })),
  piiType: Type.Optional(Type.String()),
})
const ApiReply = Type.Object({
  risk: Type.String(),
  encoding: Type.String(),
  clickbait: Type.Optional(Type.Object({ score: Type.Number(), clickbait: Type.Boolean(), reasons: Type.Array(Type.String()) })),
  lines: Type.Optional(
    Type.Array(
      Type.Object({
        line: Type.Integer(),
        start: Type.Integer(),
        end: Type.Integer(),
        text: Type.String(),
        why: Type.String({ description: 'first-line | headline-like' }),
        score: Type.Number(),
        clickbait: Type.Boolean(),
        reasons: Type.Array(Type.String()),
      }),
      {
        description:
          'Khi không gửi tiêu đề: dòng đầu và các dòng đọc như tiêu đề, chấm điểm giật tít / without a title: the first line and each headline-like line, scored for clickbait',
      },
    ),
  ),
  findings: Type.Array(Finding),
  normalized: Type.String(),
  masked: Type.String({
    description:
      'Văn bản đã che dữ liệu cá nhân (kiểu `mask`, mặc định viết tắt tên) và thay từ quy kết có tội bằng từ trung tính / the text with personal data masked (style `mask`, initials by default) and guilt wording replaced by a neutral term',
  }),
})

/** Registers the checking page, API and editor panel. */
export async function registerCheckRoutes(app: TypedApp): Promise<void> {
  const limiter = createRateLimiter({ name: 'checks.api', capacity: 30, perMinute: 60 })

  const page = (
    req: Parameters<typeof sendPage>[0],
    reply: Parameters<typeof sendPage>[1],
    o: { title?: string; text?: string; mask?: MaskStyle; tooLong?: TooLong },
  ) => {
    const l = req.locale
    // A text refused as too long is not checked: it comes back in the form with the limit.
    const result = !o.tooLong && (o.text || o.title) ? checkText({ text: o.text ?? '', title: o.title || undefined }) : undefined
    const mask: (typeof PAGE_MASK_STYLES)[number] = o.mask === 'remove' ? 'remove' : 'initials'
    // The masked copy (personal data masked by the style, ages kept; guilt wording replaced by
    // its neutral term), when anything changed, sized to its text: about 80 characters a line,
    // 4 to 16 lines.
    const made = result ? maskedCopy(result, mask) : undefined
    const copy =
      made && made.masked + made.reworded > 0
        ? (() => {
            const lines = made.text.split('\n').reduce((n, line) => n + Math.max(1, Math.ceil(line.length / 80)), 0)
            return { ...made, count: made.masked, rows: Math.min(16, Math.max(4, lines + 1)) }
          })()
        : undefined
    reply.header('cache-control', 'no-store')
    return sendPage(
      req,
      reply,
      { title: t(l, 'checks.title'), shell: 'public', current: 'checks', ...(o.tooLong ? { status: 413 } : {}) },
      <>
        <h1>{t(l, 'checks.title')}</h1>
        <p class="muted">{t(l, 'checks.intro')}</p>
        {o.tooLong ? <TooLongNote l={l} messages="checks.tooLong" how={o.tooLong} chars={o.text?.length ?? 0} max={MAX_TEXT} /> : null}
        <form method="post" action="/kiem-tra" class="stack card">
          <CsrfField req={req} reply={reply} />
          <label>
            {t(l, 'checks.headline')}
            <input name="title" maxlength="500" value={o.title ?? ''} />
          </label>
          <label>
            {t(l, 'checks.text')}
            <textarea name="text" rows="10" maxlength={String(MAX_TEXT)}>
              {o.text ?? ''}
            </textarea>
          </label>
          <label>
            {t(l, 'checks.maskStyle')}
            <select name="mask">
              {PAGE_MASK_STYLES.map((style) => (
                <option value={style} selected={style === mask}>
                  {t(l, `checks.mask.${style}`)}
                </option>
              ))}
            </select>
          </label>
          <p class="small muted">{t(l, 'checks.notStored')}</p>
          <button type="submit">{t(l, 'checks.submit')}</button>
        </form>
        {result ? <FindingsPanel l={l} result={result} /> : null}
        {copy ? (
          <section class="card stack masked-copy">
            <h2>{t(l, 'checks.maskedTitle')}</h2>
            <p class="small muted">
              {t(l, 'checks.maskedNote', {
                count: copy.count,
                style: t(l, `checks.mask.${mask}`),
                ages:
                  (mask === 'initials' ? t(l, 'checks.maskedAgesKept') : '') +
                  (copy.reworded > 0 ? t(l, 'checks.maskedReworded', { count: copy.reworded }) : ''),
              })}
            </p>
            <textarea readonly rows={String(copy.rows)} aria-label={t(l, 'checks.maskedTitle')}>
              {copy.text}
            </textarea>
          </section>
        ) : null}
        <p class="small muted">{t(l, 'checks.api')}</p>
      </>,
    )
  }

  app.get('/kiem-tra', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => page(req, reply, {}))
  app.post(
    '/kiem-tra',
    {
      config: { access: 'public' },
      // Up to TEXT_FORM_BODY_LIMIT is read, so an over-long paste comes back in the form; a body
      // larger still cannot be read, and the page says so and how to get the text back. Anything
      // else is rethrown to the app's error handler.
      bodyLimit: TEXT_FORM_BODY_LIMIT,
      errorHandler: (err, req, reply) => {
        if (!pageForTooLarge(err, req)) throw err
        return page(req, reply, { tooLong: 'lost' })
      },
      schema: { hide: true, body: FormBody },
    },
    async (req, reply) => {
      await limiter.take(req.ip)
      const b = req.body
      const tooLong = (b.text?.length ?? 0) > MAX_TEXT ? 'kept' : undefined
      return page(req, reply, { title: b.title, text: b.text, mask: b.mask, tooLong })
    },
  )

  app.post(
    '/api/v1/checks',
    {
      // A stateless public API: no cookie authority, so no CSRF token; rate-limited per IP.
      config: { access: 'public', csrf: false },
      schema: {
        summary: 'Kiểm tra văn bản tiếng Việt (không lưu) / check Vietnamese text (not stored)',
        description:
          'Giật tít, dữ liệu cá nhân, từ ngữ suy đoán có tội, thông tin chưa kiểm chứng. 60 yêu cầu/phút mỗi IP. / Clickbait, personal data, presumption-of-innocence wording, unverified claims. 60 requests/min per IP.',
        tags: ['checks'],
        body: ApiBody,
        response: { 200: ApiReply },
      },
    },
    async (req, reply) => {
      await limiter.take(req.ip)
      const b = req.body
      const r = checkText({ text: b.text, title: b.title, caseStage: b.caseStage })
      reply.header('cache-control', 'no-store')
      const masked = maskedCopy(r, b.mask ?? 'initials').text
      return {
        risk: r.risk,
        encoding: r.encoding,
        clickbait: r.clickbait,
        lines: r.lines,
        findings: r.findings,
        normalized: r.normalized,
        masked,
      }
    },
  )

  // The live panel of the release and verdict editors (htmx posts the form as it changes).
  app.post(
    '/console/checks/panel',
    { config: { access: { action: 'use', subject: 'checks' } }, schema: { hide: true, body: PanelBody } },
    async (req, reply) => {
      authorize(req.actor, 'use', 'checks')
      const b = req.body
      const stage = (CASE_STAGES as readonly string[]).includes(b.caseStage ?? '')
        ? (b.caseStage as (typeof CASE_STAGES)[number])
        : undefined
      const result = checkText({
        title: b.title,
        text: [b.summary, stripMarkdown(b.bodyMd ?? '')].filter(Boolean).join('\n\n'),
        caseStage: stage,
      })
      reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').header('x-robots-tag', 'noindex')
      return reply.send(FindingsPanel({ l: req.locale, result, maskable: true }).value)
    },
  )
}
