/**
 * Canonical links for the claim matcher and the desk: the same post shared from different
 * apps (tracking parameters, mobile hosts, `youtu.be`) compares equal.
 */

/** Query parameters that only track where a click came from. */
const TRACKING_PARAMS = new Set([
  'fbclid',
  'gclid',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'igshid',
  'igsh',
  'si',
  'zarsi',
  'mibextid',
  'ref',
  'ref_src',
  'ref_url',
  'refsrc',
  'rdid',
  'share_url',
  'is_from_webapp',
  'sender_device',
  'sender_web_id',
  'is_copy_url',
  'feature',
  '_rdr',
  '_rdc',
  'hc_ref',
  'hc_location',
  'fref',
  'sfnsn',
  'extid',
  'paipv',
  'eav',
  'app',
  'utm',
  'mc_cid',
  'mc_eid',
  'spm',
  'share_id',
  'sharer',
  'tt_from',
  'u_code',
  'tt_medium',
  'tt_content',
  'checksum',
  'sec_user_id',
  'share_app_id',
  'share_item_id',
  'share_link_id',
  'social_sharing',
  'timestamp',
  'web_id',
  'embed_source',
  'source',
  'from',
  'zl_r',
])
/** Tracking parameter prefixes (utm_source, __cft__[0], __tn__ …). */
const TRACKING_PREFIXES = ['utm_', '__cft__', '__tn__', '__xts__', 'pk_', 'mtm_', 'hsa_', 'vero_', 'oly_']

/** Social hosts whose mobile / www variants serve the same page. */
const SOCIAL_HOSTS = new Set([
  'facebook.com',
  'fb.com',
  'tiktok.com',
  'youtube.com',
  'zalo.me',
  'twitter.com',
  'x.com',
  'instagram.com',
  'threads.net',
  'reddit.com',
  'linkedin.com',
  'vimeo.com',
])
const MOBILE_PREFIXES = ['www.', 'm.', 'mobile.', 'mbasic.', 'web.', 'touch.', 'vt.', 'vm.']

/**
 * Canonical form of a link, so that the same post shared from different apps compares equal:
 * lower-case scheme and host, `http` → `https`, no `www.` (and no `m.`/`mobile.`… for known
 * social hosts), default port, fragment, tracking parameters (utm_*, fbclid, gclid, igshid, si,
 * zarsi, …) and trailing slash removed, remaining parameters sorted; `youtu.be/ID` becomes
 * `youtube.com/watch?v=ID` and `fb.com` becomes `facebook.com`.
 * @param url an absolute URL, or a bare `host/path` (assumed https)
 * @returns the canonical URL, or `null` when it is not an http(s) link (e.g. `javascript:`,
 *   `data:`, garbage)
 */
export function canonicalUrl(url: string): string | null {
  let s = url.trim()
  if (s.length === 0 || s.length > 4096) return null
  if (!/^[a-z][a-z0-9+.-]*:/i.test(s)) {
    if (!/^[\w-]+(\.[\w-]+)+([/?#:]|$)/.test(s)) return null
    s = `https://${s}`
  }
  let u: URL
  try {
    u = new URL(s)
  } catch {
    return null
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null
  let host = u.hostname.toLowerCase().replace(/\.$/, '')
  if (host.length === 0) return null
  if (host.startsWith('www.')) host = host.slice(4)
  for (const p of MOBILE_PREFIXES) {
    if (host.startsWith(p) && SOCIAL_HOSTS.has(host.slice(p.length))) {
      host = host.slice(p.length)
      break
    }
  }
  if (host === 'fb.com') host = 'facebook.com'
  let path = u.pathname
  const params: [string, string][] = []
  for (const [k, v] of u.searchParams) {
    const key = k.toLowerCase()
    if (TRACKING_PARAMS.has(key) || TRACKING_PREFIXES.some((p) => key.startsWith(p))) continue
    params.push([k, v])
  }
  if (host === 'youtu.be' && path.length > 1) {
    params.push(['v', path.slice(1).split('/')[0]])
    host = 'youtube.com'
    path = '/watch'
  }
  if (path.length > 1) path = path.replace(/\/+$/, '')
  if (path === '/') path = ''
  params.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
  const port = u.port && u.port !== '80' && u.port !== '443' ? `:${u.port}` : ''
  const query = params.length > 0 ? `?${new URLSearchParams(params).toString()}` : ''
  return `https://${host}${port}${path}${query}`
}

/** Links in running text: with a scheme or `www.`, or a bare host under a common top-level domain. */
export const URL_RE =
  /\b(?:https?:\/\/|www\.)[^\s<>"'`]+|\b(?:[a-z0-9-]+\.)+(?:com|vn|net|me|be|org|info|xyz|top|io|link|site|online|shop|cc|ly|gl)(?:\/[^\s<>"'`]*)?/gi

/** Canonical URLs found in a text (http(s) only, de-duplicated, in order). */
export function extractUrls(text: string): string[] {
  const out: string[] = []
  for (const m of text.matchAll(URL_RE)) {
    const c = canonicalUrl(m[0].replace(/[),.;!?\]]+$/, ''))
    if (c && !out.includes(c)) out.push(c)
    if (out.length >= 20) break
  }
  return out
}
