/**
 * The public pages of warnings: the list (`/canh-bao`, in force first, then those ended in the
 * last 90 days; filters by kind and commune), a warning's page (latest version, English texts,
 * cancellation banner, history, CAP and share-card links, Open Graph and a schema.org
 * `SpecialAnnouncement`), and the neutral notice of a closed warning about a person, which
 * says only that it was closed. Each renders through the reply it is given (the page cache
 * passes a capturing one). Everything shown comes from `warnings.public.ts`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { raw, type SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { Alert, sendPage } from '../../../platform/html/layout.tsx'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import type { Tenant } from '../../../platform/tenancy/index.ts'
import { localFormat } from '../../../platform/time.ts'
import { COMMUNES, type Commune, communeByCode } from '../../reference/communes.ts'
import {
  SELFCHECK_PATH,
  WARNINGS_FEED_PATH,
  WARNINGS_PATH,
  warningCapPath,
  warningCapVersionPath,
  warningCardPath,
  warningPath,
} from '../warnings.paths.ts'
import type { PublicWarning } from '../warnings.public.ts'
import { type CloseReason, PERSON_KINDS, WARNING_KINDS, type WarningKind, type WarningSnapshot } from '../warnings.types.ts'

/** The request and the reply (or capturing sink) a page renders to. */
export interface PageCtx {
  req: FastifyRequest
  reply: FastifyReply
}

/** The `loai` filter's values: a Vietnamese slug per kind (shareable links). */
export const KIND_SLUGS: Record<WarningKind, string> = {
  scam: 'lua-dao',
  traffic: 'giao-thong',
  public_order: 'trat-tu',
  missing_person: 'tim-nguoi',
  wanted: 'truy-na',
}

/** The kind of a `loai` value (its slug, or the kind's own code), or undefined. */
export function kindOfSlug(value: string): WarningKind | undefined {
  const v = value.trim().toLowerCase()
  return WARNING_KINDS.find((k) => KIND_SLUGS[k] === v || k === v)
}

/** True when this public warning is about a person and was cancelled: the public sees only that fact. */
export function isWithdrawnPerson(w: PublicWarning): boolean {
  return w.state === 'cancelled' && PERSON_KINDS.includes(w.snapshot.kind)
}

/** A local date and time (Asia/Ho_Chi_Minh), e.g. "03/12/2025, 14:30". */
export function localDateTime(at: Date, l: Locale): string {
  return localFormat(l, { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    at,
  )
}

function Time({ at, l }: { at: Date | null | undefined; l: Locale }): SafeHtml {
  if (!at) return raw('')
  return <time datetime={at.toISOString()}>{localDateTime(at, l)}</time>
}

/** The area of a snapshot in words: the communes' names, or "Toàn tỉnh". */
export function areaText(s: Pick<WarningSnapshot, 'wholeProvince' | 'communes'>, l: Locale): string {
  if (s.wholeProvince) return t(l, 'wpub.wholeProvince')
  return s.communes.map((c) => communeByCode(c)?.name ?? c).join(', ')
}

/** The validity of a snapshot in words (local time). */
function validityText(s: WarningSnapshot, l: Locale): string {
  const from = localDateTime(new Date(s.validFrom), l)
  return s.validUntil
    ? t(l, 'wpub.validFromUntil', { from, until: localDateTime(new Date(s.validUntil), l) })
    : t(l, 'wpub.validFromOnly', { from })
}

/** The level badge (Alert red, Advisory amber, Community blue; see the CSS block "warnings"). */
export function LevelBadge({ level, l }: { level: string; l: Locale }): SafeHtml {
  return <span class={`badge wlevel wlevel-${level}`}>{t(l, `wpub.level.${level}`)}</span>
}

const LEVEL_RANK: Record<string, number> = { alert: 0, advisory: 1, community: 2 }

/** The list's sections: in force (and upcoming) first — in force, then Alert first, then newest — then ended. */
export function listSections(rows: readonly PublicWarning[], at: Date): { current: PublicWarning[]; ended: PublicWarning[] } {
  const isEnded = (w: PublicWarning) => w.state === 'cancelled' || (w.snapshot.validUntil !== null && new Date(w.snapshot.validUntil) <= at)
  const current = rows
    .filter((w) => !isEnded(w))
    .sort(
      (a, b) =>
        Number(b.inForce) - Number(a.inForce) ||
        (LEVEL_RANK[a.snapshot.level] ?? 9) - (LEVEL_RANK[b.snapshot.level] ?? 9) ||
        b.sentAt.getTime() - a.sentAt.getTime(),
    )
  // A cancelled warning about a person is not listed (only its neutral notice remains).
  const ended = rows.filter((w) => isEnded(w) && !isWithdrawnPerson(w)).sort((a, b) => endOf(b) - endOf(a))
  return { current, ended }
}

function endOf(w: PublicWarning): number {
  return (w.cancelledAt ?? (w.snapshot.validUntil ? new Date(w.snapshot.validUntil) : w.sentAt)).getTime()
}

/** One warning in the list. */
function WarningItem({ w, l, at }: { w: PublicWarning; l: Locale; at: Date }): SafeHtml {
  const s = w.snapshot
  const state =
    w.state === 'cancelled' ? 'cancelled' : s.validUntil && new Date(s.validUntil) <= at ? 'expired' : !w.inForce ? 'upcoming' : null
  return (
    <article class={`card warning-item wlevel-edge-${s.level}`} data-warning={w.slug}>
      <p class="news-meta small">
        <LevelBadge level={s.level} l={l} /> <span class="badge">{t(l, `wpub.kind.${s.kind}`)}</span>
        {w.state === 'active' && w.version >= 2 ? (
          <>
            {' '}
            <span class="badge warn wupdated">{t(l, 'wpub.updatedTag')}</span>
          </>
        ) : null}
        {state ? (
          <>
            {' '}
            <span class={`badge wstate wstate-${state}`}>{t(l, `wpub.state.${state}`)}</span>
          </>
        ) : null}
      </p>
      <h3 lang="vi">
        <a href={warningPath(w.slug)}>{s.titleVi}</a>
      </h3>
      <p class="small">
        {t(l, 'wpub.area')}: <span lang="vi">{areaText(s, l)}</span>
      </p>
      <p class="small muted">
        {t(l, 'wpub.validity')}: {validityText(s, l)}
      </p>
    </article>
  )
}

/** What the list page shows. */
export interface ListPageData {
  rows: PublicWarning[]
  at: Date
  /** The filters as asked (echoed in the form). */
  kindInput: string
  communeInput: string
  kind: WarningKind | undefined
  /** The communes the commune filter matched (undefined: no commune filter). */
  communes: Commune[] | undefined
}

/** The public list of warnings. */
export function listPage({ req, reply }: PageCtx, d: ListPageData) {
  const l = req.locale
  const { current, ended } = listSections(d.rows, d.at)
  const filtered = !!d.kind || d.communes !== undefined
  const head = (
    <>
      <link rel="alternate" type="application/atom+xml" href={WARNINGS_FEED_PATH} title={t(l, 'wpub.feedLink')} />
      <meta name="description" content={t(l, 'wpub.intro')} />
    </>
  )
  return sendPage(
    req,
    reply,
    { title: t(l, 'wpub.title'), shell: 'public', current: 'warnings', head },
    <>
      <h1>{t(l, 'wpub.title')}</h1>
      <p class="muted">{t(l, 'wpub.intro')}</p>
      <p class="wpub-links">
        <a class="button" href={SELFCHECK_PATH}>
          {t(l, 'wpub.selfcheckLink')}
        </a>{' '}
        <a href={WARNINGS_FEED_PATH} type="application/atom+xml">
          {t(l, 'wpub.feedLink')}
        </a>
      </p>
      <form method="get" action={WARNINGS_PATH} class="filters card row" aria-label={t(l, 'wpub.filter.label')}>
        <label>
          {t(l, 'wpub.filter.kind')}
          <select name="loai">
            <option value="">{t(l, 'wpub.filter.kindAny')}</option>
            {WARNING_KINDS.map((k) => (
              <option value={KIND_SLUGS[k]} selected={d.kind === k}>
                {t(l, `wpub.kind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t(l, 'wpub.filter.commune')}
          <span class="hint" id="xa-hint">
            {t(l, 'wpub.filter.communeHint')}
          </span>
          <input
            type="search"
            name="xa"
            value={d.communes?.length === 1 ? (d.communes[0] as Commune).name : d.communeInput}
            list="wpub-communes"
            maxlength="100"
            autocomplete="off"
            aria-describedby="xa-hint"
          />
          <datalist id="wpub-communes">
            {COMMUNES.map((c) => (
              <option value={c.name} />
            ))}
          </datalist>
        </label>
        <button type="submit">{t(l, 'wpub.filter.apply')}</button>
        {filtered ? (
          <a class="button secondary" href={WARNINGS_PATH}>
            {t(l, 'wpub.filter.clear')}
          </a>
        ) : null}
      </form>
      {d.kindInput && !d.kind ? <Alert kind="warn">{t(l, 'wpub.filter.kindUnknown', { q: d.kindInput })}</Alert> : null}
      {d.communes && d.communes.length === 0 ? (
        <Alert kind="warn">{t(l, 'wpub.filter.communeUnknown', { q: d.communeInput })}</Alert>
      ) : d.communes ? (
        <p class="small" role="status">
          {t(l, 'wpub.filter.showing', { names: d.communes.map((c) => c.name).join(', ') })}
        </p>
      ) : null}
      <section aria-labelledby="h-in-force" id="in-force">
        <h2 id="h-in-force">{t(l, 'wpub.inForce')}</h2>
        {current.length ? (
          <div class="warning-list">
            {current.map((w) => (
              <WarningItem w={w} l={l} at={d.at} />
            ))}
          </div>
        ) : (
          <p class="muted">{t(l, 'wpub.inForceNone')}</p>
        )}
      </section>
      {ended.length ? (
        <section aria-labelledby="h-ended" id="ended">
          <h2 id="h-ended">{t(l, 'wpub.ended')}</h2>
          <div class="warning-list ended">
            {ended.map((w) => (
              <WarningItem w={w} l={l} at={d.at} />
            ))}
          </div>
        </section>
      ) : null}
    </>,
  )
}

/** JSON for a `<script type="application/ld+json">`: `<` escaped so no `</script>` can close it. */
export function jsonLdScript(value: unknown): SafeHtml {
  const json = JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
  return raw(`<script type="application/ld+json">${json}</script>`)
}

/** The schema.org `SpecialAnnouncement` of a warning (search engines show it as an alert). */
export function specialAnnouncement(w: PublicWarning, o: { url: string; tenant: Tenant; publicUrl: string; image: string }): object {
  const s = w.snapshot
  const areas = s.wholeProvince
    ? [{ '@type': 'AdministrativeArea', name: o.tenant.province || t('vi', 'wpub.wholeProvince') }]
    : s.communes.map((c) => ({ '@type': 'AdministrativeArea', name: communeByCode(c)?.name ?? c, identifier: c }))
  const expires = w.cancelledAt ?? (s.validUntil ? new Date(s.validUntil) : null)
  return {
    '@context': 'https://schema.org',
    '@type': 'SpecialAnnouncement',
    name: s.titleVi,
    text: [s.descriptionVi, s.instructionVi].filter(Boolean).join('\n\n'),
    datePosted: w.firstPublishedAt.toISOString(),
    dateModified: w.sentAt.toISOString(),
    expires: expires?.toISOString(),
    category: t('vi', `wpub.kind.${s.kind}`),
    inLanguage: 'vi',
    url: o.url,
    image: o.image,
    spatialCoverage: areas,
    announcementLocation: areas,
    publisher: { '@type': 'GovernmentOrganization', name: o.tenant.name, url: o.tenant.website || `${o.publicUrl}/` },
  }
}

/** One version in the history of a warning. */
export interface HistoryEntry {
  version: number
  msgType: string
  sentAt: Date
  changeNote: string | null
}

/** What a warning's page shows. */
export interface WarningPageData {
  w: PublicWarning
  history: HistoryEntry[]
  tenant: Tenant
  publicUrl: string
  /** The clock (expired / not yet in force). */
  at: Date
}

/** The public page of a visible warning (active, or cancelled with its banner). */
export function warningPage({ req, reply }: PageCtx, d: WarningPageData) {
  const l = req.locale
  const { w, tenant } = d
  const s = w.snapshot
  const url = `${d.publicUrl}${warningPath(w.slug)}`
  const card = `${d.publicUrl}${warningCardPath(w.slug, 'wide')}`
  const cancelled = w.state === 'cancelled'
  const description = s.descriptionVi.length > 200 ? `${s.descriptionVi.slice(0, 197)}…` : s.descriptionVi
  const cardAlt = t('vi', 'wpub.cardAlt', { level: t('vi', `wpub.level.${s.level}`), title: s.titleVi })
  const head = (
    <>
      <link rel="canonical" href={url} />
      <link rel="alternate" type="application/atom+xml" href={WARNINGS_FEED_PATH} title={t(l, 'wpub.feedLink')} />
      <link rel="alternate" type="application/cap+xml" href={warningCapPath(w.slug)} title={t(l, 'wpub.capLink')} />
      <meta name="description" content={description} />
      <meta property="og:type" content="article" />
      <meta property="og:site_name" content={tenant.name} />
      <meta property="og:locale" content="vi_VN" />
      <meta property="og:title" content={s.titleVi} />
      <meta property="og:description" content={description} />
      <meta property="og:url" content={url} />
      <meta property="og:image" content={card} />
      <meta property="og:image:alt" content={cardAlt} />
      <meta property="og:image:width" content="1200" />
      <meta property="og:image:height" content="630" />
      <meta name="twitter:card" content="summary_large_image" />
      <meta name="twitter:title" content={s.titleVi} />
      <meta name="twitter:description" content={description} />
      <meta name="twitter:image" content={card} />
      {jsonLdScript(specialAnnouncement(w, { url, tenant, publicUrl: d.publicUrl, image: card }))}
    </>
  )
  const en = s.titleEn && s.descriptionEn
  // An active warning outside its validity says so (a cancelled one has its own banner).
  const until = s.validUntil ? new Date(s.validUntil) : null
  const timeState = cancelled ? null : until && until <= d.at ? 'expired' : new Date(s.validFrom) > d.at ? 'upcoming' : null
  return sendPage(
    req,
    reply,
    { title: s.titleVi, shell: 'public', current: 'warnings', head },
    <article class={`warning-page wlevel-edge-${s.level}`}>
      {cancelled ? (
        <div class="alert error" role="alert" lang={l}>
          <p>
            <strong>{t(l, 'wpub.cancelled.title')}</strong> · {t(l, 'wpub.cancelled.at')}: <Time at={w.cancelledAt} l={l} />
          </p>
          {w.cancelReason ? (
            <p>
              {t(l, 'wpub.cancelled.reason')}: <span lang="vi">{w.cancelReason}</span>
            </p>
          ) : null}
        </div>
      ) : null}
      {timeState ? (
        <div class="alert warn" role="status" lang={l}>
          <p>
            <strong>{t(l, `wpub.state.${timeState}`)}</strong> · {validityText(s, l)}
          </p>
        </div>
      ) : null}
      <p class="news-meta">
        <LevelBadge level={s.level} l={l} /> <span class="badge">{t(l, `wpub.kind.${s.kind}`)}</span>
        {w.state === 'active' && w.version >= 2 ? (
          <>
            {' '}
            <span class="badge warn wupdated">{t(l, 'wpub.updatedTag')}</span>
          </>
        ) : null}
      </p>
      <h1 lang="vi">{s.titleVi}</h1>
      <dl class="kv" lang={l}>
        <dt>{t(l, 'wpub.area')}</dt>
        <dd lang="vi">{areaText(s, l)}</dd>
        <dt>{t(l, 'wpub.validity')}</dt>
        <dd>
          {validityText(s, l)} <span class="small muted">{t(l, 'wpub.timeZone')}</span>
        </dd>
        <dt>{t(l, 'wpub.code')}</dt>
        <dd class="mono">{w.code}</dd>
      </dl>
      <section aria-labelledby="h-description" lang="vi">
        <h2 id="h-description" lang={l}>
          {t(l, 'wpub.description')}
        </h2>
        <p class="wpub-text">{s.descriptionVi}</p>
      </section>
      {s.instructionVi ? (
        <section class="card wpub-instruction" aria-labelledby="h-instruction" lang="vi">
          <h2 id="h-instruction" class="card-title" lang={l}>
            {t(l, 'wpub.instruction')}
          </h2>
          <p class="wpub-text">{s.instructionVi}</p>
        </section>
      ) : null}
      {s.kind === 'wanted' && s.legalBasis ? (
        <p>
          <strong lang={l}>{t(l, 'wpub.legalBasis')}:</strong> <span lang="vi">{s.legalBasis}</span>
        </p>
      ) : null}
      <section class="card" aria-labelledby="h-source" lang={l}>
        <h2 id="h-source" class="card-title">
          {t(l, 'wpub.source')}
        </h2>
        <dl class="kv">
          <dt>{t(l, 'wpub.source')}</dt>
          <dd lang="vi">{tenant.website ? <a href={tenant.website}>{tenant.name}</a> : tenant.name}</dd>
          {tenant.hotline ? (
            <>
              <dt>{t(l, 'wpub.hotline')}</dt>
              <dd>
                <a class="hotline" href={`tel:${tenant.hotline.replace(/[^0-9+]/g, '')}`}>
                  {tenant.hotline}
                </a>
              </dd>
            </>
          ) : null}
        </dl>
      </section>
      {en ? (
        <section class="card" aria-labelledby="h-english" lang="en">
          <h2 id="h-english" class="card-title">
            {t(l, 'wpub.english')}
          </h2>
          <p>
            <strong>{s.titleEn}</strong>
          </p>
          <p class="wpub-text">{s.descriptionEn}</p>
          {s.instructionEn ? <p class="wpub-text">{s.instructionEn}</p> : null}
        </section>
      ) : null}
      <section class="card history" aria-labelledby="h-history" lang={l}>
        <h2 id="h-history" class="card-title">
          {t(l, 'wpub.history')}
        </h2>
        <ol class="history-list">
          {d.history.map((h) => (
            <li data-version={String(h.version)}>
              <Time at={h.sentAt} l={l} /> — {t(l, `wpub.msgType.${h.msgType}`)}
              {h.changeNote ? (
                <>
                  {': '}
                  <span lang="vi">{h.changeNote}</span>
                </>
              ) : null}{' '}
              <a class="small" href={warningCapVersionPath(w.slug, h.version)}>
                CAP
              </a>
            </li>
          ))}
        </ol>
      </section>
      <p class="wpub-links small" lang={l}>
        <a href={warningCapPath(w.slug)} type="application/cap+xml">
          {t(l, 'wpub.capLink')}
        </a>
        {' · '}
        {t(l, 'wpub.cards')}: <a href={warningCardPath(w.slug, 'wide')}>{t(l, 'wpub.cardWide')}</a>
        {' · '}
        <a href={warningCardPath(w.slug, 'story')}>{t(l, 'wpub.cardStory')}</a>
      </p>
      <p>
        <a href={SELFCHECK_PATH}>{t(l, 'wpub.selfcheckLink')}</a> · <a href={WARNINGS_PATH}>{t(l, 'wpub.back')}</a>
      </p>
    </article>,
  )
}

/**
 * The notice of a warning taken down: a closed warning about a person (why, in words, and the
 * date) or a cancelled one about a person. Nothing else: no title, name, text or image; not
 * indexed.
 */
export function takenDownPage(
  { req, reply }: PageCtx,
  d: { kind: 'closed'; closeReason: CloseReason | string | null; at: Date } | { kind: 'cancelled'; at: Date | null },
) {
  const l = req.locale
  reply.header('x-robots-tag', 'noindex')
  const reason =
    d.kind === 'closed'
      ? t(l, `wpub.closed.reason.${d.closeReason === 'found' || d.closeReason === 'arrested' ? d.closeReason : 'other'}`)
      : t(l, 'wpub.cancelledPerson.text')
  return sendPage(
    req,
    reply,
    {
      title: t(l, 'wpub.closed.pageTitle'),
      shell: 'public',
      current: 'warnings',
      narrow: true,
      head: <meta name="robots" content="noindex" />,
    },
    <>
      <h1>{t(l, 'wpub.closed.pageTitle')}</h1>
      <div class="alert ok" role="status">
        <p>
          <strong>{reason}</strong>
        </p>
        {d.at ? (
          <p>
            {t(l, d.kind === 'closed' ? 'wpub.closed.at' : 'wpub.cancelled.at')}: <Time at={d.at} l={l} />
          </p>
        ) : null}
      </div>
      {d.kind === 'closed' ? <p>{t(l, 'wpub.closed.text')}</p> : null}
      <p>
        <a href={WARNINGS_PATH}>{t(l, 'wpub.back')}</a>
      </p>
    </>,
  )
}
