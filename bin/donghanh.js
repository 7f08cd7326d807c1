#!/usr/bin/env node
// `npx donghanh …`: runs src/main.ts through tsx's loader.
import { register } from 'tsx/esm/api'

register()
await import('../src/main.ts')
