/**
 * Every test process installs the module list, as every product process does (runtime.ts):
 * a command under test may raise a module's error code or record its audit action without
 * building the app.
 */
import '../../src/modules.ts'
