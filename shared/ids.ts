/** Branded identifiers: the compiler keeps peer ids, broadcast names and room topics apart. */

/** A libp2p peer id in its string form ("12D3KooW…"). */
export type PeerIdStr = string & { readonly __brand: "PeerIdStr" };

/** Brand a string already known to be a peer id (parse untrusted input with @libp2p/peer-id first). */
export function asPeerIdStr(s: string): PeerIdStr {
  return s as PeerIdStr;
}

/** A short, human-sized form of a peer id for logs and placeholders (last 8 characters). */
export function shortPeerId(id: string): string {
  return id.length <= 8 ? id : id.slice(-8);
}
