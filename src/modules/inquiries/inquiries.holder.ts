/**
 * What inquiries keep about a partner, registered with the registry (partners.extensions.ts): an
 * erasure replaces the asker's name and contacts on their questions (the questions stay, they are
 * the office's record); the registry page shows the partner's latest questions.
 */
import { and, eq, inArray, sql } from 'drizzle-orm'
import { formatTime } from '../../platform/html/layout.tsx'
import { t } from '../../platform/i18n/index.ts'
import { registerPartnerDataHolder } from '../partners/partners.extensions.ts'
import { listPartnerInquiries } from './inquiries.repository.ts'
import { inquiries } from './inquiries.tables.ts'

registerPartnerDataHolder({
  name: 'inquiries',
  order: 10,
  erase: async ({ tx, partnerIds, erasedName }) => {
    const asked = await tx
      .update(inquiries)
      .set({ askerName: erasedName, askerEmail: null, askerContact: null, askerNamePublic: false })
      .where(inArray(inquiries.partnerId, partnerIds))
      .returning({ id: inquiries.id })
    return { inquiries: asked.length }
  },
  activity: async ({ db, actor, partnerId, limit, locale: l }) => {
    const [latest, [total]] = await Promise.all([
      listPartnerInquiries(db, actor.tenantId, partnerId, limit),
      db
        .select({ n: sql<number>`count(*)::int` })
        .from(inquiries)
        .where(and(eq(inquiries.tenantId, actor.tenantId), eq(inquiries.partnerId, partnerId))),
    ])
    const count = total?.n ?? 0
    return {
      key: 'inquiries',
      title: t(l, 'partners.console.inquiries'),
      count,
      items: latest.map((q) => ({
        href: `/console/hoi-dap/${q.id}`,
        text: `${q.code} · ${q.topic}`,
        meta: `${t(l, `inquiries.status.${q.status}`)} · ${formatTime(q.receivedAt, l)}`,
      })),
      emptyText: t(l, 'partners.console.noInquiries'),
      all: { href: `/console/hoi-dap?partner=${partnerId}`, text: t(l, 'partners.console.allInquiries', { n: count }) },
    }
  },
})
