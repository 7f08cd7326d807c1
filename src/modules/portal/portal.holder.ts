/**
 * What the portal keeps about a partner, registered with the registry (partners.extensions.ts):
 * revocation ends the account's sessions and tokens in the revoking transaction; an erasure also
 * drops sign-in links, passkeys and the IP and browser of downloads; the registry page shows the
 * partner's downloads (releases of sealed cases masked for the reader, as the full log does).
 */
import { inArray } from 'drizzle-orm'
import { t } from '../../platform/i18n/index.ts'
import { formatTime } from '../../platform/html/layout.tsx'
import { registerPartnerDataHolder } from '../partners/partners.extensions.ts'
import { passkeys, signInLinks } from './auth/auth.tables.ts'
import { endRevokedPartnerAccess } from './commands/end-revoked-partner-access.ts'
import { countDownloads, listDownloads } from './content/content.queries.ts'
import { partnerDownloads } from './content/content.tables.ts'

registerPartnerDataHolder({
  name: 'portal',
  order: 20,
  endAccess: async (o) => ({ ...(await endRevokedPartnerAccess(o)) }),
  erase: async ({ tx, partnerIds, userIds }) => {
    const links = await tx.delete(signInLinks).where(inArray(signInLinks.partnerId, partnerIds)).returning({ id: signInLinks.id })
    const downloads = await tx
      .update(partnerDownloads)
      .set({ ip: null, userAgent: null })
      .where(inArray(partnerDownloads.partnerId, partnerIds))
      .returning({ id: partnerDownloads.id })
    const keys = userIds.length ? await tx.delete(passkeys).where(inArray(passkeys.userId, userIds)).returning({ id: passkeys.id }) : []
    return { signInLinks: links.length, downloads: downloads.length, passkeys: keys.length }
  },
  activity: async ({ db, actor, partnerId, limit, locale: l }) => {
    const [page, count] = await Promise.all([listDownloads(db, actor, { partnerId }), countDownloads(db, actor.tenantId, partnerId)])
    return {
      key: 'downloads',
      title: t(l, 'partners.console.downloads'),
      count,
      items: page.rows.slice(0, limit).map((d) => ({
        text: d.hidden ? t(l, 'partners.console.sealedRelease') : `${d.fileName} · ${d.title}`,
        masked: d.hidden,
        meta: `${formatTime(d.at, l)}${d.embargoed ? ` · ${t(l, 'partners.console.embargoed')}` : ''}`,
      })),
      emptyText: t(l, 'partners.console.noDownloads'),
      all: { href: `/console/doi-tac/tai-xuong?partner=${partnerId}`, text: t(l, 'partners.console.allDownloads', { n: count }) },
    }
  },
})
