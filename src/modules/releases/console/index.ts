/**
 * The release console (issue 3, item 10): lists, editor with live preview, uploads, workflow
 * steps, diffs, approval queue and calendar. One registration for `app.ts`.
 */
import type { TypedApp } from '../../../platform/modules.ts'
import { registerReleaseDiffRoutes } from './release-diff.routes.tsx'
import { registerReleaseEditorRoutes } from './release-editor.routes.tsx'
import { registerReleaseFileRoutes } from './release-files.routes.tsx'
import { registerReleaseWorkflowRoutes } from './release-workflow.routes.tsx'
import { registerReleaseListRoutes } from './releases-list.routes.tsx'

/** Registers every route of the release console. */
export async function registerReleaseConsoleRoutes(app: TypedApp): Promise<void> {
  await registerReleaseListRoutes(app)
  await registerReleaseEditorRoutes(app)
  await registerReleaseWorkflowRoutes(app)
  await registerReleaseFileRoutes(app)
  await registerReleaseDiffRoutes(app)
}
