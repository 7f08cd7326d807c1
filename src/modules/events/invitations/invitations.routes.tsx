import type { TypedApp } from '../../../platform/modules.ts'

/** Invitations: staff invite lists (/console/su-kien/:id/moi), partners answer at /doi-tac/su-kien. */
export async function registerInvitationRoutes(_app: TypedApp): Promise<void> {}
