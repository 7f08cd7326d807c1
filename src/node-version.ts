/**
 * Imported first by src/main.ts, so it runs before any dependency loads: Đồng Hành needs a
 * Node.js that can `require()` an ES module (20.19+, 22.12+), because @fastify/cookie
 * requires `cookie@2`, which is ESM only. On an older Node that fails deep in the imports
 * with ERR_REQUIRE_ESM; here it stops with a message that says what to install.
 */
if (!process.features.require_module) {
  process.stderr.write(
    `Đồng Hành cần Node.js 20.19 trở lên (hoặc 22.12 trở lên); máy này đang chạy ${process.version}.\n` +
      `Đồng Hành needs Node.js 20.19 or later (22.12 or later on Node 22); this is ${process.version}.\n` +
      '(cookie@2 is an ES module loaded with require(), which older versions refuse.)\n',
  )
  process.exit(1)
}

export {}
