/**
 * `npm run bench [suite…]`: runs the benchmark suites and writes bench/results/<suite>.{json,md}.
 * BENCH_REPS scales repetitions (default 5). Run on an idle machine: the numbers are wall-clock.
 */
import { writeReport } from "./report.ts";
import { benchRoomCore } from "./room-core.ts";
import { benchMedia } from "./media.ts";
import { benchNat } from "./nat.ts";
import { appMediaSuite } from "./app-media-report.ts";

const reps = Number(process.env.BENCH_REPS ?? 5);
const suites: Record<string, () => Promise<void>> = {
  "room-core": async () => writeReport("room-core", await benchRoomCore(reps), [
    "Real `rooms` CLI processes on 127.0.0.1, each its own libp2p node; times are taken where the harness reads each peer's stdout.",
    "Crash detection = TCP reset seen by libp2p + the 2 s grace period for reconnection.",
  ]),
  media: async () => writeReport("media", await benchMedia(Number(process.env.BENCH_SECONDS ?? 10)), [
    "Each peer is its own process (bench/media-peer.ts) with the real core: libp2p + MoQ over qmux in one stream per peer pair.",
    "Delay = receiver wall clock − sender wall clock stamped in the frame; both processes share this machine's clock.",
    "CPU = process.cpuUsage() over the window, in % of one core; all processes share 2 cores, so bigger meshes contend.",
  ]),
  nat: async () => writeReport("nat", await benchNat(reps), [
    "Relay on a public namespace, two `rooms` peers each behind its own iptables-masquerade NAT (test/netns.ts); the only path is the relay.",
    "The link cut takes the peer's interface down (routes gone) and brings it back with its default route, like a Wi-Fi drop.",
  ]),
  "app-media": () => appMediaSuite(Number(process.env.BENCH_SECONDS ?? 10)),
};

const wanted = process.argv.slice(2);
for (const name of wanted.length > 0 ? wanted : Object.keys(suites)) {
  const run = suites[name];
  if (run === undefined) {
    process.stderr.write(`unknown suite ${name}; have: ${Object.keys(suites).join(", ")}\n`);
    process.exit(64);
  }
  await run();
}
