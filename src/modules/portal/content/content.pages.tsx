/**
 * The partner portal's pages (phone-first, one column): home with embargoed releases and their
 * countdown, recent releases and verdict kits; the partner's profile and press card; and the
 * staff download log. Every page is `no-store` (the console shell) and never public-cached.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { renderMarkdown } from '../../../platform/markdown/index.ts'
import { Alert, CsrfField, formatTime, raw, sendPage } from '../../../platform/html/layout.tsx'
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import { localFormat } from '../../../platform/time.ts'
import { LABELS } from '../../factcheck/labels.ts'
import type { VerdictLabel } from '../../factcheck/factcheck.tables.ts'
import { verdictPath } from '../../factcheck/public/outputs.ts'
import { ACKNOWLEDGEMENT_TEXTS, CURRENT_ACKNOWLEDGEMENT_VERSION } from '../../partners/partners.acknowledgement.ts'
import type { PartnerRow } from '../../partners/partners.tables.ts'
import { communeByCode } from '../../reference/communes.ts'
import { releasePath } from '../../newsroom/newsroom.paths.ts'
import type { listPublicReleases } from '../../releases/releases.public.ts'
import type { listPublishedVerdicts } from '../../factcheck/factcheck.public.ts'
import type { listDownloads, PortalEmbargoed, PortalFile, partnerProfile } from './content.queries.ts'

interface PageCtx {
  req: FastifyRequest
  reply: FastifyReply
}

/** The address a partner downloads an attachment from (logged, checked on every request). */
export function portalFilePath(id: string): string {
  return `/doi-tac/tep/${id}`
}

/** `src="/tep/<uuid>…"` or `href="/tep/<uuid>…"` in rendered HTML (attribute values only). */
const PUBLIC_FILE_ATTR_RE = /(\s(?:src|href)=")\/tep\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:[/?#][^"]*)?"/gi

/**
 * A release body rendered for the portal: images and links to the release's files point at
 * the partner's logged download (`/doi-tac/tep/<id>`) instead of the public `/tep/<id>/<name>`,
 * which answers 404 until the lift. The public address stays in the stored text (it is right
 * once published); the rewrite is on the rendered HTML, where markdown-it has escaped every `"`
 * of text and code, so only attribute values can match. The download route decides per id.
 */
export function portalBodyHtml(bodyMd: string): string {
  return renderMarkdown(bodyMd).html.replace(
    PUBLIC_FILE_ATTR_RE,
    (_m, attr: string, id: string) => `${attr}${portalFilePath(id.toLowerCase())}"`,
  )
}

/**
 * The embargo label of a lift instant: "CẤM ĐĂNG TRƯỚC 09:00 20/12" (vi) or "EMBARGOED UNTIL
 * 09:00 20/12" (en), local time of the province (HH:mm dd/MM, 24-hour).
 */
export function embargoLabel(at: Date, l: Locale): string {
  const parts = Object.fromEntries(
    localFormat('en', { hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  )
  return t(l, 'portal.content.embargoLabel', { time: `${parts.hour}:${parts.minute}`, day: `${parts.day}/${parts.month}` })
}

/** A calendar day `YYYY-MM-DD` as dd/mm/yyyy (both languages: the office's format). */
export function formatDayKey(day: string | null | undefined): string {
  const m = day ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(day) : null
  return m ? `${m[3]}/${m[2]}/${m[1]}` : '—'
}

function sizeLabel(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`
}

/** What the partner's status means for them, shown at the top of every portal home. */
function StatusBanner({ partner, l }: { partner: PartnerRow; l: Locale }): SafeHtml {
  const s = partner.status
  if (s === 'accredited') {
    return (
      <Alert kind="ok">
        <strong>
          {partner.accreditationEndsOn
            ? t(l, 'portal.content.status.accreditedUntil', { date: formatDayKey(partner.accreditationEndsOn) })
            : t(l, 'portal.content.status.accredited')}
        </strong>
      </Alert>
    )
  }
  const waiting = s === 'applied' || s === 'verified' || s === 'more_info_needed'
  return (
    <Alert kind="warn">
      <strong>{t(l, `portal.content.status.${s}`)}</strong>
      <br />
      {t(l, waiting ? 'portal.content.status.waitingMeans' : 'portal.content.status.lostMeans')}
    </Alert>
  )
}

function FileList({ files, l }: { files: PortalFile[]; l: Locale }): SafeHtml {
  if (files.length === 0) return raw('')
  return (
    <div class="portal-files">
      <h4>{t(l, 'portal.content.files')}</h4>
      <ul>
        {files.map((f) => (
          <li>
            <a href={portalFilePath(f.id)} download={f.fileName}>
              {f.alt || f.fileName}
            </a>{' '}
            <span class="small muted">
              {f.fileType.toUpperCase()} · {sizeLabel(f.sizeBytes)}
            </span>
          </li>
        ))}
      </ul>
    </div>
  )
}

/** One embargoed release: label, live countdown, text, files, spokesperson. */
function EmbargoedCard({ r, l }: { r: PortalEmbargoed; l: Locale }): SafeHtml {
  const at = r.publishAt as Date
  return (
    <article class="card embargo portal-embargo" data-release={r.id}>
      <p class="portal-label">
        <span class="badge embargo-badge" data-embargo-label>
          {embargoLabel(at, l)}
        </span>{' '}
        <span class="small muted">{t(l, 'portal.content.localTime')}</span>
      </p>
      {/* Filled and ticked by /assets/countdown.js; without it the label above is enough. */}
      <p
        class="portal-countdown"
        data-countdown={at.toISOString()}
        data-days={t(l, 'portal.content.countdown.days')}
        data-hours={t(l, 'portal.content.countdown.hours')}
        data-minutes={t(l, 'portal.content.countdown.minutes')}
        data-seconds={t(l, 'portal.content.countdown.seconds')}
        data-done={t(l, 'portal.content.countdown.done')}
        aria-live="off"
        hidden
      >
        <span data-countdown-text></span>{' '}
        <a href={releasePath(r.slug)} data-countdown-link hidden>
          {t(l, 'portal.content.countdown.link')}
        </a>
      </p>
      <h3 lang="vi">{r.title}</h3>
      {r.summary ? (
        <p class="lead" lang="vi">
          {r.summary}
        </p>
      ) : null}
      <details>
        <summary>{t(l, 'portal.content.fullText')}</summary>
        <div class="prose" lang="vi">
          {raw(portalBodyHtml(r.bodyMd))}
        </div>
      </details>
      <FileList files={r.files} l={l} />
      {r.spokespersonName ? (
        <p class="small muted">
          {t(l, 'portal.content.spokesperson')}: {r.spokespersonName}
          {r.spokespersonTitle ? `, ${r.spokespersonTitle}` : ''}
          {r.spokespersonPhone ? ` · ${r.spokespersonPhone}` : ''}
          {r.spokespersonEmail ? ` · ${r.spokespersonEmail}` : ''}
        </p>
      ) : null}
    </article>
  )
}

/** The portal home. */
export function homePage(
  { req, reply }: PageCtx,
  o: {
    partner: PartnerRow
    embargoed: PortalEmbargoed[]
    recent: Awaited<ReturnType<typeof listPublicReleases>>
    verdicts: Awaited<ReturnType<typeof listPublishedVerdicts>>
  },
) {
  const l = req.locale
  const accredited = o.partner.status === 'accredited'
  return sendPage(
    req,
    reply,
    {
      title: t(l, 'portal.content.home.title'),
      shell: 'console',
      current: 'portal',
      head: <script src="/assets/countdown.js" defer></script>,
    },
    <div class="portal">
      <h1>{t(l, 'portal.content.home.greeting', { name: o.partner.name })}</h1>
      <StatusBanner partner={o.partner} l={l} />
      <section aria-labelledby="portal-embargo-h" id="portal-embargo">
        <h2 id="portal-embargo-h">{t(l, 'portal.content.embargo.title')}</h2>
        {accredited ? (
          o.embargoed.length === 0 ? (
            <p class="card muted">{t(l, 'portal.content.embargo.empty')}</p>
          ) : (
            <>
              <p class="muted small">{t(l, 'portal.content.embargo.intro')}</p>
              {o.embargoed.map((r) => (
                <EmbargoedCard r={r} l={l} />
              ))}
            </>
          )
        ) : (
          <p class="card muted">{t(l, 'portal.content.embargo.notAccredited')}</p>
        )}
      </section>
      <section aria-labelledby="portal-recent-h" id="portal-recent">
        <h2 id="portal-recent-h">{t(l, 'portal.content.recent.title')}</h2>
        {o.recent.length === 0 ? (
          <p class="card muted">{t(l, 'portal.content.recent.empty')}</p>
        ) : (
          <ul class="portal-list">
            {o.recent.map((r) => (
              <li>
                <a href={releasePath(r.slug)} lang="vi">
                  {r.title}
                </a>
                <br />
                <span class="small muted">
                  {t(l, `news.kind.${r.kind}`)} ·{' '}
                  <time datetime={r.lastPublishedAt?.toISOString()}>{formatTime(r.lastPublishedAt, l)}</time>
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="portal-kits-h" id="portal-kits">
        <h2 id="portal-kits-h">{t(l, 'portal.content.kits.title')}</h2>
        <p class="muted small">{t(l, 'portal.content.kits.intro')}</p>
        {o.verdicts.length === 0 ? (
          <p class="card muted">{t(l, 'portal.content.kits.empty')}</p>
        ) : (
          <ul class="portal-list">
            {o.verdicts.map((v) => (
              <li>
                <span class="badge">{LABELS[v.label as VerdictLabel]?.[l] ?? v.label}</span>{' '}
                <a href={`${verdictPath(v.slug ?? '')}/bo-cong-cu`} lang="vi">
                  {v.headline || v.statement}
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>,
  )
}

/** The partner's profile and press card, with the acknowledgement form for influencers. */
export function profilePage(
  { req, reply }: PageCtx,
  o: Awaited<ReturnType<typeof partnerProfile>> & { signed?: boolean; error?: string; status?: number },
) {
  const l = req.locale
  const p = o.partner
  const ackCurrent = o.acknowledgements.find((a) => a.textVersion === CURRENT_ACKNOWLEDGEMENT_VERSION)
  const row = (label: string, value: unknown) => (
    <>
      <dt>{t(l, label)}</dt>
      <dd>{(value ?? '—') as SafeHtml}</dd>
    </>
  )
  return sendPage(
    req,
    reply,
    { title: t(l, 'portal.content.profile.title'), shell: 'console', current: 'profile', status: o.status },
    <div class="portal">
      <h1>{t(l, 'portal.content.profile.title')}</h1>
      {o.signed ? <Alert kind="ok">{t(l, 'portal.content.ack.done')}</Alert> : null}
      {o.error ? <Alert kind="error">{o.error}</Alert> : null}
      <section class="card" aria-labelledby="profile-card-h">
        <h2 id="profile-card-h">{t(l, p.kind === 'journalist' ? 'portal.content.profile.card' : 'portal.content.profile.identity')}</h2>
        <dl class="portal-dl">
          {row('portal.content.profile.name', p.name)}
          {row('portal.content.profile.kind', t(l, `portal.content.kind.${p.kind}`))}
          {p.kind === 'journalist' ? row('portal.content.profile.outlet', o.outlet) : null}
          {p.kind === 'journalist' ? row('portal.content.profile.pressCard', p.pressCardNumber) : null}
          {p.kind === 'journalist' ? row('portal.content.profile.pressCardExpires', formatDayKey(p.pressCardExpiresOn)) : null}
          {row('portal.content.profile.status', t(l, `partners.status.${p.status}`))}
          {row('portal.content.profile.term', formatDayKey(p.accreditationEndsOn))}
        </dl>
      </section>
      <section class="card" aria-labelledby="profile-contact-h">
        <h2 id="profile-contact-h">{t(l, 'portal.content.profile.contact')}</h2>
        <dl class="portal-dl">
          {row('portal.content.profile.phone', p.phone)}
          {row('portal.content.profile.email', p.email)}
          {row('portal.content.profile.beats', p.beats.length ? p.beats.join(', ') : null)}
          {row(
            'portal.content.profile.communes',
            p.communeCodes.length ? p.communeCodes.map((c) => communeByCode(c)?.name ?? c).join(', ') : null,
          )}
        </dl>
        {p.kind === 'influencer' ? (
          <>
            <h3>{t(l, 'portal.content.profile.channels')}</h3>
            {o.channels.length === 0 ? (
              <p class="muted">{t(l, 'portal.content.profile.noChannels')}</p>
            ) : (
              <ul>
                {o.channels.map((c) => (
                  <li>
                    {t(l, `portal.content.platform.${c.platform}`)}: <span class="mono">{c.url}</span>
                    {c.followers !== null
                      ? ` · ${t(l, 'portal.content.profile.followers', { n: c.followers.toLocaleString('vi-VN') })}`
                      : ''}
                  </li>
                ))}
              </ul>
            )}
          </>
        ) : null}
        <p class="small muted">{t(l, 'portal.content.profile.correct')}</p>
      </section>
      {p.kind === 'influencer' ? (
        <section class="card" aria-labelledby="profile-ack-h" id="acknowledgement">
          <h2 id="profile-ack-h">{t(l, 'portal.content.ack.title')}</h2>
          <blockquote lang="vi">{ACKNOWLEDGEMENT_TEXTS[CURRENT_ACKNOWLEDGEMENT_VERSION]}</blockquote>
          {ackCurrent ? (
            <p>
              {t(l, 'portal.content.ack.signedOn', {
                date: formatTime(ackCurrent.signedAt, l),
                method: t(l, `portal.content.method.${ackCurrent.method}`),
              })}
            </p>
          ) : (
            <form method="post" action="/doi-tac/ho-so/xac-nhan" class="stack">
              <CsrfField req={req} reply={reply} />
              <button type="submit">{t(l, 'portal.content.ack.submit')}</button>
            </form>
          )}
        </section>
      ) : null}
      <section class="card" aria-labelledby="profile-history-h">
        <h2 id="profile-history-h">{t(l, 'portal.content.profile.history')}</h2>
        {o.history.length === 0 ? (
          <p class="muted">{t(l, 'portal.content.profile.noHistory')}</p>
        ) : (
          <ol class="portal-history">
            {o.history.map((h) => (
              <li>
                <strong>{t(l, `partners.status.${h.toStatus}`)}</strong> · <time datetime={h.at.toISOString()}>{formatTime(h.at, l)}</time>
                {h.reason ? (
                  <>
                    <br />
                    <span lang="vi">{h.reason}</span>
                  </>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>,
  )
}

/** The staff download log: who downloaded what, when, from where; filters and paging. */
export function downloadsPage(
  { req, reply }: PageCtx,
  o: Awaited<ReturnType<typeof listDownloads>> & { partnerId?: string; releaseId?: string },
) {
  const l = req.locale
  const link = (page: number) => {
    const q = new URLSearchParams()
    if (o.partnerId) q.set('partner', o.partnerId)
    if (o.releaseId) q.set('release', o.releaseId)
    if (page > 1) q.set('page', String(page))
    const s = q.toString()
    return `/console/doi-tac/tai-xuong${s ? `?${s}` : ''}`
  }
  return sendPage(
    req,
    reply,
    { title: t(l, 'portal.content.downloads.title'), shell: 'console', current: 'partners' },
    <>
      <h1>{t(l, 'portal.content.downloads.title')}</h1>
      <p class="muted">{t(l, 'portal.content.downloads.intro')}</p>
      {o.partnerId || o.releaseId ? (
        <p>
          {t(l, 'portal.content.downloads.filtered')} <a href="/console/doi-tac/tai-xuong">{t(l, 'portal.content.downloads.all')}</a>
        </p>
      ) : null}
      {o.rows.length === 0 ? (
        <p class="card muted">{t(l, 'portal.content.downloads.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t(l, 'portal.content.downloads.at')}</th>
                <th scope="col">{t(l, 'portal.content.downloads.partner')}</th>
                <th scope="col">{t(l, 'portal.content.downloads.file')}</th>
                <th scope="col">{t(l, 'portal.content.downloads.release')}</th>
                <th scope="col">{t(l, 'portal.content.downloads.from')}</th>
              </tr>
            </thead>
            <tbody>
              {o.rows.map((r) => (
                <tr data-download={String(r.id)}>
                  <td>
                    <time datetime={r.at.toISOString()}>{formatTime(r.at, l)}</time>
                  </td>
                  <td>
                    <a href={`/console/doi-tac/${r.partnerId}`}>{r.partnerName}</a>
                    <br />
                    <span class="small muted">{r.userEmail}</span>{' '}
                    <a class="small" href={`/console/doi-tac/tai-xuong?partner=${r.partnerId}`}>
                      {t(l, 'portal.content.downloads.onlyPartner')}
                    </a>
                  </td>
                  <td>{r.hidden ? <span class="muted">{t(l, 'portal.content.downloads.hidden')}</span> : r.fileName}</td>
                  <td>
                    {r.hidden ? (
                      <span class="muted">{t(l, 'portal.content.downloads.hidden')}</span>
                    ) : (
                      <>
                        <a href={`/console/releases/${r.releaseId}`} lang="vi">
                          {r.title}
                        </a>{' '}
                        {r.embargoed ? <span class="badge embargo-badge">{t(l, 'portal.content.downloads.underEmbargo')}</span> : null}{' '}
                        <a class="small" href={`/console/doi-tac/tai-xuong?release=${r.releaseId}`}>
                          {t(l, 'portal.content.downloads.onlyRelease')}
                        </a>
                      </>
                    )}
                  </td>
                  <td class="small">
                    <span class="mono">{r.ip ?? '—'}</span>
                    <br />
                    <span class="muted">{r.userAgent ?? ''}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav class="pager" aria-label={t(l, 'portal.content.downloads.pages')}>
        {o.page > 1 ? <a href={link(o.page - 1)}>{t(l, 'portal.content.downloads.newer')}</a> : null}{' '}
        {o.hasMore ? <a href={link(o.page + 1)}>{t(l, 'portal.content.downloads.older')}</a> : null}
      </nav>
    </>,
  )
}
