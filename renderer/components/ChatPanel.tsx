/**
 * Chat: the timeline (messages and join/leave notices) and the composer. Peer text is rendered as text:
 * links stay plain words and are never opened by the app.
 */
import { useEffect, useId, useLayoutEffect, useRef, useState, type ReactNode } from "react";
import { LIMITS } from "../../shared/ipc.ts";
import { useApp, useCommands } from "../context.tsx";
import { selectTimeline, type TimelineItem } from "../store/chat/selectors.ts";

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const utf8Len = (s: string): number => new TextEncoder().encode(s).length;

/** The chat panel. */
export function ChatPanel(): ReactNode {
  const items = useApp(selectTimeline);
  const titleId = useId();
  const listRef = useRef<HTMLOListElement>(null);
  const stickToBottom = useRef(true);

  // Scroll to the newest row when one arrives, unless the reader scrolled up (our own messages always scroll).
  useLayoutEffect(() => {
    const el = listRef.current;
    const last = items.at(-1);
    if (el === null || last === undefined) return;
    if (stickToBottom.current || (last.kind === "chat" && last.self)) el.scrollTop = el.scrollHeight;
  }, [items]);

  return (
    <section className="panel chat" aria-labelledby={titleId}>
      <h2 id={titleId} className="panel-title">
        Chat
      </h2>
      <ol
        ref={listRef}
        className="timeline"
        role="log"
        aria-label="Chat history"
        data-testid="chat-log"
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        {items.length === 0 && <li className="timeline-empty">No messages yet. Say hello!</li>}
        {items.map((item) => (
          <Row key={item.id} item={item} />
        ))}
      </ol>
      <Composer />
    </section>
  );
}

function Row({ item }: { item: TimelineItem }): ReactNode {
  if (item.kind === "notice") {
    return (
      <li className="notice" data-testid="notice">
        {item.text}
      </li>
    );
  }
  const when = new Date(item.at);
  return (
    <li className={`msg ${item.self ? "msg--self" : ""} msg--${item.status}`} data-testid="chat-message">
      <p className="msg-meta">
        <span className="msg-sender" data-testid="chat-sender">
          {item.sender}
        </span>
        <time dateTime={when.toISOString()}>{timeFormat.format(when)}</time>
        {item.history && <span className="msg-history">earlier</span>}
      </p>
      <p className="msg-text" data-testid="chat-text">
        {item.text}
      </p>
      {item.status === "sending" && <p className="msg-status">Sending…</p>}
      {item.status === "failed" && <p className="msg-status msg-status--failed">Not sent: {item.error}</p>}
    </li>
  );
}

function Composer(): ReactNode {
  const commands = useCommands();
  const [text, setText] = useState("");
  const inputId = useId();
  const hintId = useId();
  const tooLong = utf8Len(text) > LIMITS.chatBytes;
  const inputRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => inputRef.current?.focus(), []);

  const send = (): void => {
    const t = text.trim();
    if (t === "" || tooLong) return;
    setText("");
    void commands.sendChat(t);
  };
  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <label htmlFor={inputId} className="sr-only">
        Message
      </label>
      <textarea
        ref={inputRef}
        id={inputId}
        className="composer-input"
        rows={1}
        placeholder="Write a message…"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          // Enter sends; Shift+Enter makes a new line; never while an input method is composing.
          if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            send();
          }
        }}
        aria-invalid={tooLong}
        aria-describedby={hintId}
      />
      <button type="submit" className="button button--primary" disabled={text.trim() === "" || tooLong}>
        Send
      </button>
      <p id={hintId} className={tooLong ? "composer-hint hint--error" : "sr-only"}>
        {tooLong ? "This message is too long." : "Enter sends, Shift+Enter starts a new line."}
      </p>
    </form>
  );
}
