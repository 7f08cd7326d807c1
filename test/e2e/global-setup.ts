/**
 * The browser of the browser tests, found once per run (vitest's globalSetup of the `browser`
 * project) and handed to the test files with `inject('chromium')`:
 *
 * 1. `CHROMIUM_PATH`, when set (it must exist: a typo is an error, not a silent fallback);
 * 2. a Chromium or Chrome installed on the system (Debian's /usr/bin/chromium, …);
 * 3. the Chromium shipped in the npm package `@sparticuz/chromium` (Linux x64 only), unpacked
 *    once into node_modules/.cache, so `npm install && npm test` needs nothing from the system.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliDecompressSync } from 'node:zlib'
import type { TestProject } from 'vitest/node'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/** The browser to launch and what its process needs in its environment. */
export interface ChromiumChoice {
  executablePath: string
  /** Where it came from, for messages: `CHROMIUM_PATH`, `system` or `@sparticuz/chromium <version>`. */
  source: string
  /** Extra environment for the browser process (fonts for the npm Chromium on a machine without fontconfig). */
  env: Record<string, string>
}

declare module 'vitest' {
  export interface ProvidedContext {
    chromium: ChromiumChoice
  }
}

/** System browsers, most likely first. */
const SYSTEM_CANDIDATES: Partial<Record<NodeJS.Platform, string[]>> = {
  linux: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'],
  darwin: ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'],
}

const SET_CHROMIUM_PATH = 'Set CHROMIUM_PATH to a Chromium or Chrome executable, e.g. CHROMIUM_PATH=/path/to/chromium npm test.'

/**
 * Finds the browser for the browser tests (see the file comment for the order). Throws a
 * message saying what to do (set CHROMIUM_PATH) when there is none.
 */
export async function resolveChromium(env: NodeJS.ProcessEnv = process.env): Promise<ChromiumChoice> {
  const override = env.CHROMIUM_PATH?.trim()
  if (override) {
    if (!existsSync(override)) throw new Error(`CHROMIUM_PATH=${override} does not exist. ${SET_CHROMIUM_PATH}`)
    return { executablePath: override, source: 'CHROMIUM_PATH', env: {} }
  }
  const system = (SYSTEM_CANDIDATES[process.platform] ?? []).find((p) => existsSync(p))
  if (system) return { executablePath: system, source: 'system', env: {} }
  return unpackNpmChromium()
}

/**
 * Unpacks `@sparticuz/chromium` into node_modules/.cache/donghanh-chromium/<version> (about
 * 200 MB, a second or two, once). The package unpacks into `os.tmpdir()` and trusts whatever
 * it finds there, half-written files included, and its graphics libraries land loose in that
 * folder; so it unpacks into a fresh folder of ours (TMPDIR pointed there for the call),
 * which is renamed into place only when complete: a run interrupted midway or two runs at
 * once never leave a broken browser behind.
 */
async function unpackNpmChromium(): Promise<ChromiumChoice> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      'No Chromium found for the browser tests: none installed at the usual places, and the npm Chromium ' +
        `(@sparticuz/chromium) runs on Linux x64 only (this is ${process.platform} ${process.arch}). ${SET_CHROMIUM_PATH}`,
    )
  }
  const pkgDir = path.join(ROOT, 'node_modules/@sparticuz/chromium')
  let version: string
  try {
    version = (JSON.parse(await readFile(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version
  } catch {
    throw new Error(
      `No Chromium found: neither a system one nor the npm package @sparticuz/chromium (run npm install). ${SET_CHROMIUM_PATH}`,
    )
  }
  const source = `@sparticuz/chromium ${version}`
  const cache = path.join(ROOT, 'node_modules/.cache/donghanh-chromium')
  const dir = path.join(cache, version)
  const executablePath = path.join(dir, 'chromium')
  if (!existsSync(executablePath)) {
    const partial = path.join(cache, `${version}.partial-${process.pid}`)
    await rm(partial, { recursive: true, force: true })
    await mkdir(partial, { recursive: true })
    const savedTmp = process.env.TMPDIR
    try {
      process.env.TMPDIR = partial
      const { default: Chromium } = await import('@sparticuz/chromium')
      const unpacked = await Chromium.executablePath()
      if (unpacked !== path.join(partial, 'chromium')) throw new Error(`it unpacked to ${unpacked}, not into ${partial}`)
      // The NSS and expat libraries the browser links to, from the package's Amazon Linux
      // layer (3 MB): used only where the system has none (a slim container).
      execFileSync('tar', ['-x', '-C', partial, '-f', '-'], {
        input: brotliDecompressSync(await readFile(path.join(pkgDir, 'bin/al2023.tar.br'))),
      })
    } catch (e) {
      await rm(partial, { recursive: true, force: true })
      throw new Error(`Could not unpack the npm Chromium (${source}): ${(e as Error).message}. ${SET_CHROMIUM_PATH}`)
    } finally {
      if (savedTmp === undefined) delete process.env.TMPDIR
      else process.env.TMPDIR = savedTmp
    }
    await rename(partial, dir).catch(async (e: NodeJS.ErrnoException) => {
      // Another run finished first: use its copy.
      await rm(partial, { recursive: true, force: true })
      if (!existsSync(executablePath)) throw e
    })
  }
  const env = { ...(await fontEnv(dir)), ...libraryEnv(executablePath, path.join(dir, 'lib'), source) }
  return { executablePath, source, env }
}

/**
 * The browser must start: `chromium --version` as is (the system's NSS and expat), else with
 * the package's copies on LD_LIBRARY_PATH; if neither works, the error names what is missing.
 */
function libraryEnv(executablePath: string, libDir: string, source: string): Record<string, string> {
  const tryRun = (env: Record<string, string>): string | undefined => {
    try {
      execFileSync(executablePath, ['--version'], { env: { ...process.env, ...env }, stdio: 'pipe', timeout: 30_000 })
      return undefined
    } catch (e) {
      const { stderr, message } = e as { stderr?: Buffer; message: string }
      return stderr?.toString().trim() || message
    }
  }
  const asIs = tryRun({})
  if (asIs === undefined) return {}
  const withOurs = { LD_LIBRARY_PATH: [libDir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') }
  const bundled = tryRun(withOurs)
  if (bundled === undefined) return withOurs
  throw new Error(
    `The npm Chromium (${source}) does not start on this machine: ${asIs}\n` +
      `On Debian or Ubuntu, apt-get install -y libnss3 libexpat1 usually fixes it. ${SET_CHROMIUM_PATH}`,
  )
}

/**
 * Fonts for the npm Chromium. With a system fontconfig (/etc/fonts) it uses the system fonts
 * like any browser. Without one (a bare container) it would have no font at all for text the
 * page does not style with its web font, so it gets a fontconfig of its own: the package's
 * Open Sans and the Be Vietnam Pro TTFs the app already depends on (they cover Vietnamese).
 */
async function fontEnv(dir: string): Promise<Record<string, string>> {
  if (existsSync('/etc/fonts/fonts.conf')) return {}
  const file = path.join(dir, 'fonts.conf')
  const dirs = [path.join(dir, 'fonts'), path.join(ROOT, 'node_modules/@expo-google-fonts/be-vietnam-pro')]
  const xml = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;')
  await writeFile(
    file,
    [
      '<?xml version="1.0"?>',
      '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
      '<fontconfig>',
      ...dirs.map((d) => `  <dir>${xml(d)}</dir>`),
      `  <cachedir>${xml(path.join(dir, 'fonts-cache'))}</cachedir>`,
      '</fontconfig>',
      '',
    ].join('\n'),
  )
  return { FONTCONFIG_FILE: file }
}

/** vitest globalSetup: finds the browser once and gives it to the test files. */
export async function setup(project: TestProject): Promise<void> {
  const choice = await resolveChromium()
  console.log(`browser tests: ${choice.executablePath} (${choice.source})`)
  project.provide('chromium', choice)
}
