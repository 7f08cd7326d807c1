/** The public newsroom: release pages, lists, search, feeds, sitemap, /xac-minh, the embargo list. */
import type { ModuleManifest } from '../../platform/modules.ts'
import { registerNewsroomRoutes } from './newsroom.routes.tsx'

export const newsroomModule: ModuleManifest = {
  name: 'newsroom',
  routes: registerNewsroomRoutes,
}
