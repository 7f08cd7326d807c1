// Preloaded (`node --import`) where a test must prove a command uses no network and the machine
// cannot give it an empty network namespace (`unshare -rn`): every socket connect and fetch throws.
import net from 'node:net'

const refuse = () => {
  throw new Error('network access refused (test/support/no-network.mjs)')
}
net.Socket.prototype.connect = refuse
globalThis.fetch = async () => refuse()
