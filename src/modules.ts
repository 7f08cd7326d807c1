/**
 * The product's modules, in the order their routes are registered. This list drives the app,
 * the runtime (jobs, services, migrations), the test app and the console menu: adding a module
 * is its folder (with an `index.ts` manifest) and one line here. See ARCHITECTURE.md.
 */
import { accountsModule } from './modules/accounts/index.ts'
import { approvalsModule } from './modules/approvals/index.ts'
import { casesModule } from './modules/cases/index.ts'
import { checksModule } from './modules/checks/index.ts'
import { consoleModule } from './modules/console/index.ts'
import { distributionModule } from './modules/distribution/index.ts'
import { demoModule } from './modules/demo/index.ts'
import { eventsModule } from './modules/events/index.ts'
import { factcheckModule } from './modules/factcheck/index.ts'
import { inquiriesModule } from './modules/inquiries/index.ts'
import { newsroomModule } from './modules/newsroom/index.ts'
import { partnersModule } from './modules/partners/index.ts'
import { portalModule } from './modules/portal/index.ts'
import { publicModule } from './modules/public/index.ts'
import { releasesModule } from './modules/releases/index.ts'
import { settingsModule } from './modules/settings/index.ts'
import { spokespersonsModule } from './modules/spokespersons/index.ts'
import { warningsModule } from './modules/warnings/index.ts'
import { installModules, type ModuleManifest } from './platform/modules.ts'

/** Every module of the product. */
export const MODULES: readonly ModuleManifest[] = [
  publicModule,
  accountsModule,
  consoleModule,
  checksModule,
  releasesModule,
  casesModule,
  spokespersonsModule,
  settingsModule,
  newsroomModule,
  factcheckModule,
  demoModule,
  approvalsModule,
  partnersModule,
  portalModule,
  inquiriesModule,
  distributionModule,
  eventsModule,
  warningsModule,
]

installModules(MODULES)
