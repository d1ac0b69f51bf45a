/** Media problems in words (a device fell back, capture failed), and the "enable sound" button when the autoplay policy holds audio back. */
import { useEffect, useState, type ReactNode } from "react";
import { useApp, useCommands, useMedia } from "../context.tsx";
import type { AudioOutputState } from "../media/watch/index.ts";

/** The last media notice, dismissible. */
export function MediaNotice(): ReactNode {
  const notice = useApp((s) => s.mediaNotice);
  const commands = useCommands();
  if (notice === undefined) return null;
  return (
    <div className="alert alert--bar" role="status" data-testid="media-notice">
      <p>{notice}</p>
      <button type="button" className="button button--quiet" onClick={commands.dismissMediaNotice}>
        Dismiss
      </button>
    </div>
  );
}

/** Shown only while the browser keeps remote audio suspended until a click. */
export function AudioUnblock(): ReactNode {
  const media = useMedia();
  const inCall = useApp((s) => s.liveBroadcasts.length > 0);
  const [state, setState] = useState<AudioOutputState>("running");
  useEffect(() => (media === null || !inCall ? undefined : media.onAudioState(setState)), [media, inCall]);
  if (media === null || state !== "blocked") return null;
  return (
    <button type="button" className="control control--active" onClick={() => void media.resumeAudio()} data-testid="enable-sound">
      Enable sound
    </button>
  );
}
