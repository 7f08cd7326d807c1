/**
 * The console's settings page: the office's identity (name, province, contacts, website) and
 * its logo. The same identity fields open the setup wizard.
 */
import type { AppError } from '../../platform/errors.ts'
import { FormError, type R } from '../../platform/html/forms.tsx'
import type { SafeHtml } from '../../platform/html/jsx-runtime.ts'
import { Alert, CsrfField, sendPage } from '../../platform/html/layout.tsx'
import { type Locale, t } from '../../platform/i18n/index.ts'
import type { Tenant, TenantIdentity } from '../../platform/tenancy/index.ts'

/** Typed values of the identity form (re-shown after a refusal). */
export type IdentityValues = { [K in keyof TenantIdentity]?: string }

/** The identity as the form pre-fills it: nothing of a fresh install's placeholder. */
export function identityValues(tenant: Tenant): IdentityValues {
  if (!tenant.identitySetAt) return {}
  const { name, shortName, province, hotline, email, address, website } = tenant
  return { name, shortName, province, hotline, email, address, website }
}

/** The fields of the office's identity (settings page and setup wizard). */
export function IdentityFields({ l, v }: { l: Locale; v: IdentityValues }): SafeHtml {
  return (
    <>
      <label>
        {t(l, 'settings.field.name')}
        <span class="hint" id="id-name-hint">
          {t(l, 'settings.hint.name')}
        </span>
        <input name="identityName" required minlength="3" maxlength="200" value={v.name ?? ''} aria-describedby="id-name-hint" />
      </label>
      <div class="row">
        <label>
          {t(l, 'settings.field.shortName')}
          <input name="shortName" maxlength="60" value={v.shortName ?? ''} />
        </label>
        <label>
          {t(l, 'settings.field.province')}
          <input name="province" required maxlength="100" value={v.province ?? ''} />
        </label>
      </div>
      <div class="row">
        <label>
          {t(l, 'settings.field.hotline')}
          <input name="hotline" type="tel" required maxlength="40" value={v.hotline ?? ''} />
        </label>
        <label>
          {t(l, 'settings.field.email')}
          <input name="identityEmail" type="email" required maxlength="254" value={v.email ?? ''} />
        </label>
      </div>
      <label>
        {t(l, 'settings.field.address')}
        <input name="address" required maxlength="300" value={v.address ?? ''} />
      </label>
      <label>
        {t(l, 'settings.field.website')}
        <input name="website" type="url" maxlength="200" placeholder="https://" value={v.website ?? ''} />
      </label>
    </>
  )
}

/** The settings page (admins). */
export function settingsPage(
  { req, reply }: R,
  o: { tenant: Tenant; values?: IdentityValues; error?: AppError; logoError?: AppError; notice?: string },
) {
  const l = req.locale
  const tenant = o.tenant
  return sendPage(
    req,
    reply,
    { title: t(l, 'settings.title'), shell: 'console', current: 'settings', status: (o.error ?? o.logoError)?.status },
    <>
      <h1>{t(l, 'settings.title')}</h1>
      {o.notice ? <Alert kind="ok">{t(l, o.notice)}</Alert> : null}
      {tenant.identitySetAt ? null : <Alert kind="warn">{t(l, 'settings.placeholder')}</Alert>}
      <section class="card" aria-labelledby="h-identity">
        <h2 id="h-identity" style="margin-top:0">
          {t(l, 'settings.identity')}
        </h2>
        <p class="muted">{t(l, 'settings.identityIntro')}</p>
        <FormError l={l} error={o.error} />
        <form method="post" action="/console/settings/identity" class="stack">
          <CsrfField req={req} reply={reply} />
          <IdentityFields l={l} v={o.values ?? identityValues(tenant)} />
          <div class="row">
            <button type="submit">{t(l, 'settings.save')}</button>
          </div>
        </form>
      </section>
      <section class="card" aria-labelledby="h-logo">
        <h2 id="h-logo" style="margin-top:0">
          {t(l, 'settings.logo')}
        </h2>
        {tenant.logoSha256 ? (
          <p>
            <img class="logo-preview" src={logoHref(tenant)} alt={t(l, 'settings.logoAlt', { unit: tenant.name })} height="64" />
          </p>
        ) : (
          <p class="muted">{t(l, 'settings.noLogo')}</p>
        )}
        <FormError l={l} error={o.logoError} />
        <form method="post" action="/console/settings/logo" enctype="multipart/form-data" class="stack">
          <CsrfField req={req} reply={reply} />
          <label>
            {t(l, 'settings.field.logo')}
            <span class="hint" id="logo-hint">
              {t(l, 'settings.hint.logo')}
            </span>
            <input type="file" name="logo" required accept="image/png,image/jpeg,image/webp" aria-describedby="logo-hint" />
          </label>
          <div class="row">
            <button type="submit" class="secondary">
              {t(l, 'settings.uploadLogo')}
            </button>
          </div>
        </form>
      </section>
    </>,
  )
}

/** Where the tenant's logo is served (its hash in the name, so it may be cached for good). */
export function logoHref(tenant: Pick<Tenant, 'logoSha256' | 'logoExt'>): string {
  return `/logo/${tenant.logoSha256}.${tenant.logoExt}`
}
