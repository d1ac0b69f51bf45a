/**
 * The room as the UI sees it: room events folded into a participant list, and translated into the
 * contract's events. Pure, so the mapping is tested without a network.
 */
import type { EventMessage, ParticipantInfo } from "../../shared/ipc.ts";
import type { RoomEvent } from "../room/events.ts";

/** Present participants by peer id, in join order. */
export class Participants {
  readonly #byId = new Map<string, ParticipantInfo>();

  /** Apply one room event; returns the UI events it produces (none for a no-op). */
  apply(ev: RoomEvent): EventMessage[] {
    switch (ev.type) {
      case "PeerJoined": {
        const p: ParticipantInfo = { peerId: ev.remote, displayName: ev.displayName, broadcasts: [] };
        this.#byId.set(ev.remote, p);
        return [{ event: "peerJoined", payload: { ...p } }];
      }
      case "RemoteAnnounced":
        return this.#update(ev.remote, (p) => ({ ...p, broadcasts: [...ev.broadcasts] }));
      case "PeerUpdated":
        return this.#update(ev.remote, (p) => ({ ...p, displayName: ev.displayName, broadcasts: [...ev.broadcasts] }));
      case "PeerLeft":
        if (!this.#byId.delete(ev.remote)) return [];
        return [{ event: "peerLeft", payload: { peerId: ev.remote, reason: ev.reason } }];
      // Media and chat are not about who is present (the session maps chat itself).
      case "BroadcastSubscribed":
      case "BroadcastEnded":
      case "ChatReceived":
        return [];
      default: {
        const never: never = ev;
        throw new Error(`unhandled room event ${JSON.stringify(never)}`);
      }
    }
  }

  /** The current list (copies). */
  list(): ParticipantInfo[] {
    return [...this.#byId.values()].map((p) => ({ ...p, broadcasts: [...p.broadcasts] }));
  }

  /** Ids of present participants. */
  ids(): string[] {
    return [...this.#byId.keys()];
  }

  /** Display name of a present participant. */
  nameOf(peerId: string): string | undefined {
    return this.#byId.get(peerId)?.displayName;
  }

  #update(id: string, f: (p: ParticipantInfo) => ParticipantInfo): EventMessage[] {
    const before = this.#byId.get(id);
    if (before === undefined) return [];
    const after = f(before);
    if (after.displayName === before.displayName && sameList(after.broadcasts, before.broadcasts)) return [];
    this.#byId.set(id, after);
    return [{ event: "peerUpdated", payload: { ...after, broadcasts: [...after.broadcasts] } }];
  }
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
