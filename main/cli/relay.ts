/** `rooms relay`: run a circuit relay v2 node and print the addresses peers pass as `--relay`. */
import { join } from "node:path";
import { stderrLog } from "../log.ts";
import { loadOrCreateIdentity } from "../net/identity.ts";
import { createRelayNode } from "../net/relay-server.ts";
import { defaultDataDir } from "../paths.ts";
import type { RelayOpts } from "./args.ts";

/** Run the relay until SIGINT/SIGTERM. Its identity lives in `<data dir>/relay`, so its address survives restarts. */
export async function runRelay(opts: RelayOpts): Promise<void> {
  const log = stderrLog("relay", opts.logLevel);
  const privateKey = await loadOrCreateIdentity(join(opts.dataDir ?? defaultDataDir(), "relay"));
  const node = await createRelayNode({
    privateKey,
    ...(opts.listen.length > 0 && { listen: opts.listen }),
    ...(opts.maxReservations !== undefined && { maxReservations: opts.maxReservations }),
  });
  const addrs = node.getMultiaddrs().map(String);
  const ready = { type: "relay-ready", peerId: node.peerId.toString(), addrs };
  process.stdout.write((opts.json ? JSON.stringify(ready) : `relay ${ready.peerId}\n${addrs.map((a) => `  --relay ${a}`).join("\n")}`) + "\n");
  // Periodic count, so an operator sees load (and a full relay) without a metrics stack.
  const timer = setInterval(() => log.info("reservations", { count: node.services.relay.reservations.size, connections: node.getConnections().length }), 60_000);
  timer.unref();
  await new Promise<void>((done) => {
    const stop = (): void => void Promise.resolve(node.stop()).finally(done);
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
