/**
 * `Authorization: Bearer dhp_…`: a partner's personal API token, accepted only on routes that
 * declare `config.tokenScope` (platform/http/context.ts). Called from the app's `onRequest` hook
 * after the session cookie and before the route's access check, so a valid token makes the
 * partner's account the request's actor for this one request: no session, no cookie.
 *
 * Every use asks the live state: the token (not revoked, not expired), its scope, the owner's
 * account (active), and the owner's partner record (partners.actor.ts). A suspended, expired or
 * revoked partner's `embargo:read` tokens stop at once. `inquiries` tokens grant exactly what the
 * partner's own session would: a live partner record of any status (a suspended journalist is
 * still owed answers to questions already asked); the inquiries routes apply their own rules.
 */
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import { eq } from 'drizzle-orm'
import { tokenHash } from '../../../platform/auth/secrets.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import type { PartnerTokenScope } from '../../../platform/http/context.ts'
import { createRateLimiter } from '../../../platform/http/rate-limit.ts'
import type { Actor } from '../../../platform/policy/index.ts'
import { hasEmbargoAccess, requirePartner } from '../../partners/partners.actor.ts'
import { TOKEN_PREFIX, TOKEN_REQUESTS_PER_MINUTE, MAX_ACTIVE_TOKENS, unsafeFindTokenByHash } from './tokens.repository.ts'
import { partnerTokens } from './tokens.tables.ts'

const SESSION_COOKIE = 'dh_sid'
const INVALID_TOKEN = { 'www-authenticate': 'Bearer error="invalid_token"' }

// Buckets per token id (in the supervisor under `serve` with several web processes).
const perToken = createRateLimiter({
  name: 'partner-token',
  capacity: TOKEN_REQUESTS_PER_MINUTE,
  perMinute: TOKEN_REQUESTS_PER_MINUTE,
})

// Requests authenticated by a partner token (not by a cookie): CSRF does not apply to them.
const bearerRequests = new WeakSet<FastifyRequest>()

/** The token of an `Authorization: Bearer …` header, or null. */
function bearerOf(header: string | undefined): string | null {
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '')
  return m?.[1] ?? null
}

/**
 * Authenticates a partner bearer token for this request (see the file comment). Does nothing
 * without a bearer header, or for a bearer that is not a partner token on a route without
 * `tokenScope` (other bearer schemes, such as `/metrics`'s METRICS_TOKEN, are the route's own).
 * Throws 401 PARTNER_TOKEN_NOT_ACCEPTED (route without `tokenScope`), 400
 * PARTNER_TOKEN_WITH_SESSION (a session cookie too: one authority per request), 401
 * PARTNER_TOKEN_INVALID with `WWW-Authenticate: Bearer error="invalid_token"` (unknown,
 * revoked, expired, owner inactive), 429 RATE_LIMITED, 403 PARTNER_TOKEN_SCOPE_MISSING, 403
 * PARTNER_REQUIRED (no live partner record) and 403 PARTNER_TOKEN_NO_EMBARGO_ACCESS.
 */
export async function authenticatePartnerBearer(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const token = bearerOf(req.headers.authorization)
  if (token === null || req.is404) return
  const scope = req.routeOptions.config?.tokenScope
  if (!scope) {
    if (!token.startsWith(TOKEN_PREFIX)) return
    throw new AppError('PARTNER_TOKEN_NOT_ACCEPTED', {}, { 'www-authenticate': 'Bearer error="invalid_request"' })
  }
  if (req.cookies[SESSION_COOKIE] !== undefined) throw new AppError('PARTNER_TOKEN_WITH_SESSION')
  // A token's answers are for its holder only: never stored by a shared cache.
  reply.header('cache-control', 'no-store')
  const { database, tenant } = req.server.ctx
  const found = token.startsWith(TOKEN_PREFIX) && token.length <= 100 ? await unsafeFindTokenByHash(database.db, tokenHash(token)) : null
  const at = now()
  if (
    !found ||
    found.token.tenantId !== tenant.id ||
    found.user.tenantId !== tenant.id ||
    found.token.revokedAt !== null ||
    found.token.expiresAt.getTime() <= at.getTime() ||
    found.user.status !== 'active'
  )
    throw new AppError('PARTNER_TOKEN_INVALID', {}, INVALID_TOKEN)
  // Counted on the clock tests move, so the limit is checked without waiting.
  await perToken.take(found.token.id, at.getTime())
  if (!found.token.scopes.includes(scope))
    throw new AppError(
      'PARTNER_TOKEN_SCOPE_MISSING',
      { scope },
      { 'www-authenticate': `Bearer error="insufficient_scope", scope="${scope}"` },
    )
  const actor: Actor = { id: found.user.id, tenantId: found.user.tenantId, role: found.user.role, email: found.user.email }
  // Staff accounts and accounts without a live partner record: 403 PARTNER_REQUIRED.
  const partner = await requirePartner(database.db, actor)
  if (scope === 'embargo:read' && !hasEmbargoAccess(partner)) throw new AppError('PARTNER_TOKEN_NO_EMBARGO_ACCESS')
  // At most one write a minute per token, not one per request.
  if (!found.token.lastUsedAt || at.getTime() - found.token.lastUsedAt.getTime() >= 60_000) {
    await database.db.update(partnerTokens).set({ lastUsedAt: at }).where(eq(partnerTokens.id, found.token.id))
  }
  req.actor = actor
  bearerRequests.add(req)
}

/**
 * True when this request was authenticated by a partner token on a `tokenScope` route and
 * carries no session cookie: the only requests the CSRF check lets through without a token
 * (nothing in them rides on a cookie a browser would attach by itself).
 */
export function isPartnerBearerRequest(req: FastifyRequest): boolean {
  return bearerRequests.has(req) && !!req.routeOptions.config?.tokenScope && req.cookies[SESSION_COOKIE] === undefined
}

/**
 * For the OpenAPI document: a route that declares `tokenScope` accepts the session cookie or a
 * partner token (`security: [{ session: [] }, { partnerToken: [] }]`), and its description says
 * which scope. Call from an `onRoute` hook registered before @fastify/swagger.
 */
export function documentTokenRoute(route: RouteOptions): void {
  const scope = (route.config as { tokenScope?: PartnerTokenScope } | undefined)?.tokenScope
  if (!scope) return
  const schema = (route.schema ?? {}) as Record<string, unknown>
  schema.security = [{ session: [] }, { partnerToken: [] }]
  const note = `Khoá API đối tác với quyền \`${scope}\` / partner API token with scope \`${scope}\` (Authorization: Bearer dhp_…).`
  schema.description = typeof schema.description === 'string' && schema.description ? `${schema.description}\n\n${note}` : note
  route.schema = schema
}

/** The "Partner API tokens" section of the OpenAPI description (/docs). */
export const PARTNER_TOKEN_API_DOC = [
  '## Khoá API đối tác / Partner API tokens',
  '',
  `Đối tác (nhà báo, người có ảnh hưởng) tạo khoá cá nhân tại \`/doi-tac/token\`: đặt tên, chọn quyền (\`embargo:read\`: đọc thông cáo cấm đăng trước; \`inquiries\`: câu hỏi của mình) và thời hạn (30, 90 hoặc 365 ngày). Khoá (\`dhp_…\`) chỉ hiện một lần; hệ thống chỉ lưu bản băm. Gửi trong tiêu đề \`Authorization: Bearer dhp_…\`, không kèm cookie; không cần mã CSRF. Tối đa ${MAX_ACTIVE_TOKENS} khoá đang dùng, ${TOKEN_REQUESTS_PER_MINUTE} yêu cầu/phút mỗi khoá (quá thì 429 với Retry-After). Khoá sai, đã thu hồi hoặc hết hạn: 401; thiếu quyền: 403; đối tác bị đình chỉ, hết hạn hoặc thu hồi công nhận mất quyền \`embargo:read\` ngay lập tức. Chỉ các API ghi "partnerToken" dưới đây nhận khoá.`,
  '',
  `Partners (journalists, influencers) create personal tokens at \`/doi-tac/token\`: a name, scopes (\`embargo:read\`: read embargoed releases; \`inquiries\`: their own questions) and a lifetime (30, 90 or 365 days). The token (\`dhp_…\`) is shown once; only its hash is stored. Send it as \`Authorization: Bearer dhp_…\` without cookies; no CSRF token is needed. At most ${MAX_ACTIVE_TOKENS} active tokens, ${TOKEN_REQUESTS_PER_MINUTE} requests a minute per token (then 429 with Retry-After). Unknown, revoked or expired: 401; missing scope: 403; a suspended, expired or revoked partner loses \`embargo:read\` at once. Only the operations marked "partnerToken" below accept tokens.`,
].join('\n')
