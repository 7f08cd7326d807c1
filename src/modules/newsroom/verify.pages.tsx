/**
 * The public verify page (`/xac-minh`): paste a text, a link or a code; see whether it is an
 * official edition, which one, and what differs. Also explains how to check a signature
 * offline with the published key.
 */
import { raw, type SafeHtml } from '../../platform/html/jsx-runtime.ts'
import { sendPage } from '../../platform/html/layout.tsx'
import { type Locale, t } from '../../platform/i18n/index.ts'
import { type TooLong, TooLongNote } from '../../platform/html/too-long.tsx'
import { releasePath } from './newsroom.paths.ts'
import { NewsNav, type PageCtx, Time } from './newsroom.pages.tsx'
import type { FoundEdition, VerifyOutcome } from './verify.ts'
import { MAX_VERIFY_INPUT_CHARS } from './verify.ts'
import type { VerifiedCode } from '../../platform/verify-codes.ts'
import { ImageField, ImageFailureNote, type ImageText, ImageTextRead, replyForImageFailure } from '../../platform/uploads/image-text.tsx'

/** A document of another module found by its code (a partner certificate …): what it states, or that it was revoked. */
function OtherOutcome({ v, l }: { v: VerifiedCode; l: Locale }): SafeHtml {
  const ok = v.status === 'valid'
  return (
    <div class={`alert ${ok ? 'ok' : 'error'} verdict verdict-${v.kind} verdict-${v.status}`} role="status">
      <p>
        <strong>{t(l, v.titleKey)}</strong>
      </p>
      <dl class="kv">
        <dt>{t(l, 'news.check.code')}</dt>
        <dd class="mono">{v.code}</dd>
        {v.fields.map((f) => (
          <>
            <dt>{t(l, f.labelKey)}</dt>
            {f.value instanceof Date ? (
              <dd>
                <Time at={f.value} l={l} />
              </dd>
            ) : (
              <dd lang="vi">{f.value}</dd>
            )}
          </>
        ))}
      </dl>
      {v.link ? (
        <p>
          <a href={v.link.href}>{t(l, v.link.labelKey)}</a>
        </p>
      ) : null}
    </div>
  )
}

function EditionCard({ f, l }: { f: FoundEdition; l: Locale }): SafeHtml {
  const e = f.edition
  const outdated = e.editionStatus === 'superseded' || (f.current && f.current.number !== e.editionNumber)
  return (
    <div class="card edition-found">
      <dl class="kv">
        <dt>{t(l, 'news.check.release')}</dt>
        <dd lang="vi">
          <a href={releasePath(e.slug)}>{e.title}</a>
        </dd>
        <dt>{t(l, 'news.check.edition')}</dt>
        <dd>
          {t(l, 'news.check.editionNumber', { n: e.editionNumber })} · <Time at={e.publishedAt} l={l} />
        </dd>
        <dt>{t(l, 'news.check.code')}</dt>
        <dd class="mono">{e.verificationCode}</dd>
        <dt>{t(l, 'news.check.signature')}</dt>
        <dd>
          {f.signatureValid ? (
            <span class="badge ok">{t(l, 'news.check.signatureValid')}</span>
          ) : (
            <span class="badge admin">{t(l, 'news.check.signatureInvalid')}</span>
          )}
        </dd>
      </dl>
      {outdated && f.current ? (
        <div class="alert warn" role="status">
          <p>
            <strong>{t(l, 'news.check.outdated')}</strong> {t(l, 'news.check.outdatedText', { n: f.current.number })}{' '}
            <Time at={f.current.publishedAt} l={l} />.
          </p>
          <p>
            <a href={releasePath(e.slug)}>{t(l, 'news.check.readCurrent')}</a>
          </p>
        </div>
      ) : null}
      {e.status === 'withdrawn' ? (
        <div class="alert error" role="status">
          <p>
            <strong>{t(l, 'news.withdrawn.title')}</strong>
          </p>
          <p>
            {t(l, 'news.withdrawn.reason')}: <span lang="vi">{e.withdrawnReason}</span>
          </p>
        </div>
      ) : null}
    </div>
  )
}

function Outcome({ o, l }: { o: VerifyOutcome; l: Locale }): SafeHtml {
  if (o.type === 'empty') return raw('')
  if (o.type === 'code') {
    if (!o.found) {
      return (
        <div class="alert error verdict verdict-none" role="status">
          <p>
            <strong>{t(l, 'news.check.codeNotFound', { code: o.code })}</strong>
          </p>
          <p>{t(l, 'news.check.codeNotFoundText')}</p>
        </div>
      )
    }
    return (
      <>
        <div class="alert ok verdict verdict-code" role="status">
          <p>
            <strong>{t(l, 'news.check.codeFound')}</strong>
          </p>
        </div>
        <EditionCard f={o.found} l={l} />
        <p class="small">
          <a href={`/api/v1/editions/${encodeURIComponent(o.found.edition.verificationCode ?? '')}`}>{t(l, 'news.check.signedData')}</a>
        </p>
      </>
    )
  }
  if (o.type === 'link') {
    if (!o.official) {
      return (
        <div class="alert error verdict verdict-unofficial" role="status">
          <p>
            <strong>{t(l, 'news.check.linkUnofficial')}</strong>
          </p>
          <p>
            <span class="mono">{o.url}</span>
          </p>
          <p>{t(l, 'news.check.linkUnofficialText')}</p>
        </div>
      )
    }
    if (o.found) {
      return (
        <>
          <div class="alert ok verdict verdict-code" role="status">
            <p>
              <strong>{t(l, 'news.check.codeFound')}</strong>
            </p>
          </div>
          <EditionCard f={o.found} l={l} />
        </>
      )
    }
    if (!o.release) {
      return (
        <div class="alert warn verdict verdict-none" role="status">
          <p>
            <strong>{t(l, 'news.check.linkNotRelease')}</strong>
          </p>
        </div>
      )
    }
    return (
      <div class={`alert ${o.release.status === 'withdrawn' ? 'error' : 'ok'} verdict verdict-link`} role="status">
        <p>
          <strong>{t(l, 'news.check.linkOfficial')}</strong>
        </p>
        <p lang="vi">
          <a href={releasePath(o.release.slug)}>{o.release.title}</a>
        </p>
        {o.release.status === 'withdrawn' ? (
          <p>
            {t(l, 'news.withdrawn.title')} — {t(l, 'news.withdrawn.reason')}: <span lang="vi">{o.release.withdrawnReason}</span>
          </p>
        ) : null}
      </div>
    )
  }
  if (o.verdict === 'none') {
    return (
      <div class="alert error verdict verdict-none" role="status">
        <p>
          <strong>{t(l, 'news.check.textNone')}</strong>
        </p>
        <p>{t(l, 'news.check.textNoneText')}</p>
      </div>
    )
  }
  if (!('found' in o)) {
    return (
      <div class="alert warn verdict verdict-short" role="status">
        <p>
          <strong>{t(l, 'news.check.textShort')}</strong>
        </p>
      </div>
    )
  }
  const kind = o.verdict === 'altered' ? 'error' : 'ok'
  const setAside = (o.setAside ?? []).map((k) => t(l, `news.check.setAside.${k}`)).join(', ')
  return (
    <>
      <div class={`alert ${kind} verdict verdict-${o.verdict}`} role="status">
        <p>
          <strong>{t(l, `news.check.text.${o.verdict}`)}</strong>
        </p>
        <p>{t(l, `news.check.text.${o.verdict}Text`)}</p>
        {setAside ? <p class="set-aside small">{t(l, 'news.check.setAside', { list: setAside })}</p> : null}
      </div>
      <EditionCard f={o.found} l={l} />
      {o.diff ? (
        <section class="card" aria-labelledby="h-diff">
          <h2 id="h-diff" class="card-title">
            {t(l, 'news.check.diff')}
          </h2>
          <p class="small muted">
            <ins>{t(l, 'news.check.diffAdded')}</ins> · <del>{t(l, 'news.check.diffRemoved')}</del>
          </p>
          <p class="diff" lang="vi">
            {o.diff.cutStart ? '… ' : ''}
            {o.diff.parts.map((p, i) => (
              <>
                {i === 0 ? '' : p.br ? <br /> : ' '}
                {p.kind === 'added' ? <ins>{p.text}</ins> : p.kind === 'removed' ? <del>{p.text}</del> : p.text}
              </>
            ))}
            {o.diff.cutEnd ? ' …' : ''}
          </p>
        </section>
      ) : null}
    </>
  )
}

/**
 * The verify page, with the outcome of a check when there was one. An input refused as too
 * long (`tooLong`) is answered 413 with the limit in both languages, the input kept in the form.
 * A screenshot given with the form shows the text read from it (with its confidence) beside the
 * outcome, or why it could not be read, with the image's status (400/413/422/429/503).
 */
export function verifyPage(
  { req, reply }: PageCtx,
  o: {
    input: string
    outcome: VerifyOutcome | null
    other?: VerifiedCode | null
    publicUrl: string
    tooLong?: TooLong
    /** The screenshot given with the form: its text, or why it gave none. */
    image?: ImageText | null
  },
) {
  const l = req.locale
  reply.header('cache-control', 'no-store')
  const failed = o.image && !o.image.ok ? o.image : null
  if (failed) replyForImageFailure(reply, failed)
  const status = o.tooLong ? 413 : failed?.status
  return sendPage(
    req,
    reply,
    { title: t(l, 'news.check.title'), shell: 'public', current: 'verify', ...(status ? { status } : {}) },
    <>
      <NewsNav l={l} current="verify" />
      <h1>{t(l, 'news.check.title')}</h1>
      <p>{t(l, 'news.check.intro')}</p>
      {o.image?.ok ? <ImageTextRead l={l} messages="news.check.image" image={o.image} /> : null}
      {o.outcome ? (
        <section aria-labelledby="h-outcome" class="verify-outcome">
          <h2 id="h-outcome">{t(l, 'news.check.outcome')}</h2>
          {o.other ? <OtherOutcome v={o.other} l={l} /> : <Outcome o={o.outcome} l={l} />}
        </section>
      ) : null}
      {o.tooLong ? (
        <TooLongNote l={l} messages="news.check.tooLong" how={o.tooLong} chars={o.input.length} max={MAX_VERIFY_INPUT_CHARS} />
      ) : null}
      {failed ? <ImageFailureNote l={l} messages="news.check.image" image={failed} /> : null}
      <form class="stack card" method="post" action="/xac-minh" enctype="multipart/form-data">
        <label>
          {t(l, 'news.check.inputLabel')}
          <span class="hint">{t(l, 'news.check.inputHint')}</span>
          {/* Not required: a screenshot alone may be checked. */}
          <textarea name="input" rows="8" maxlength={String(MAX_VERIFY_INPUT_CHARS)}>
            {o.input}
          </textarea>
        </label>
        <ImageField l={l} messages="news.check.image" />
        <div>
          <button type="submit">{t(l, 'news.check.submit')}</button>
        </div>
      </form>
      <section class="card" aria-labelledby="h-offline">
        <h2 id="h-offline" class="card-title">
          {t(l, 'news.check.offline.title')}
        </h2>
        <p>{t(l, 'news.check.offline.intro')}</p>
        <p class="small">
          <a href="/.well-known/donghanh-signing-key.pem">donghanh-signing-key.pem</a> ·{' '}
          <a href="/.well-known/donghanh-signing-key.json">donghanh-signing-key.json (JWK)</a>
        </p>
        <ol class="small">
          <li>{t(l, 'news.check.offline.step1')}</li>
          <li>{t(l, 'news.check.offline.step2')}</li>
          <li>{t(l, 'news.check.offline.step3')}</li>
        </ol>
        <pre class="mail">
          {[
            `curl -s ${o.publicUrl}/.well-known/donghanh-signing-key.pem > key.pem`,
            `curl -s ${o.publicUrl}/api/v1/editions/XXXX-XXXX-XXXX > edition.json`,
            `node -e "const j=require('./edition.json');require('fs').writeFileSync('signed.txt',j.canonical);require('fs').writeFileSync('sig.bin',Buffer.from(j.signature,'base64url'))"`,
            'openssl pkeyutl -verify -pubin -inkey key.pem -rawin -in signed.txt -sigfile sig.bin',
          ].join('\n')}
        </pre>
        <p class="small">
          {t(l, 'news.check.offline.checkpoints')}{' '}
          <a href="/.well-known/donghanh-audit-checkpoints.json">donghanh-audit-checkpoints.json</a>
        </p>
      </section>
    </>,
  )
}
