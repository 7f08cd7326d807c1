declare module 'async-exit-hook' {
  /** Registers a shutdown hook (unused here: we only unhook the package's events). */
  function exitHook(hook: (done?: () => void) => void): void
  namespace exitHook {
    /** Removes the handler installed for a process event or signal. */
    function unhookEvent(event: string): void
  }
  export default exitHook
}
