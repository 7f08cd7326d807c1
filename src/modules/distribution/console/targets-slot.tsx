/**
 * Where the item page shows the lists panel of the lists part (`lists/targets.tsx`): kept in
 * one place so the page does not depend on how the panel loads its data.
 */
import type { R } from '../../../platform/html/forms.tsx'
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { loadTargetsPanel } from '../lists/targets.tsx'
import type { ConsoleItem } from './item.queries.ts'

/** The lists panel of an item (which lists it goes to, how many they reach, the save form for managers). */
export async function targetsPanel(r: R, item: ConsoleItem): Promise<SafeHtml | null> {
  return loadTargetsPanel(r, item.type, item.id)
}
