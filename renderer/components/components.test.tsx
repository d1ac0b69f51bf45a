import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { RoomTicket } from "../../shared/ticket.ts";
import type { Commands } from "../commands.ts";
import { AppProvider } from "../context.tsx";
import { createAppStore, type AppStore } from "../store/index.ts";
import { ChatPanel } from "./ChatPanel.tsx";
import { Lobby } from "./Lobby.tsx";
import { ParticipantsList } from "./ParticipantsList.tsx";
import { CopyTicketButton } from "./TicketDialog.tsx";

beforeAll(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
});

const mounted: { root: Root; el: HTMLElement }[] = [];
afterEach(() => {
  for (const { root, el } of mounted.splice(0)) {
    act(() => root.unmount());
    el.remove();
  }
});

function fakeCommands() {
  return {
    createRoom: vi.fn<Commands["createRoom"]>(() => Promise.resolve()),
    joinRoom: vi.fn<Commands["joinRoom"]>(() => Promise.resolve()),
    leaveRoom: vi.fn<Commands["leaveRoom"]>(() => Promise.resolve()),
    sendChat: vi.fn<Commands["sendChat"]>(() => Promise.resolve()),
    fetchTicket: vi.fn<Commands["fetchTicket"]>(() => Promise.resolve("roomticket")),
    pickScreenSource: vi.fn<Commands["pickScreenSource"]>(() => Promise.resolve()),
    dismissError: vi.fn<Commands["dismissError"]>(),
    retryMediaAccess: vi.fn<Commands["retryMediaAccess"]>(() => Promise.resolve()),
    resetIdentity: vi.fn<Commands["resetIdentity"]>(() => Promise.resolve()),
    toggleMicrophone: vi.fn<Commands["toggleMicrophone"]>(() => Promise.resolve()),
    toggleCamera: vi.fn<Commands["toggleCamera"]>(() => Promise.resolve()),
    toggleScreen: vi.fn<Commands["toggleScreen"]>(() => Promise.resolve()),
    selectCamera: vi.fn<Commands["selectCamera"]>(() => Promise.resolve()),
    selectMicrophone: vi.fn<Commands["selectMicrophone"]>(() => Promise.resolve()),
    selectSpeaker: vi.fn<Commands["selectSpeaker"]>(() => Promise.resolve()),
    toggleStats: vi.fn<Commands["toggleStats"]>(),
    dismissMediaNotice: vi.fn<Commands["dismissMediaNotice"]>(),
    saveSettings: vi.fn<Commands["saveSettings"]>(() => Promise.resolve(undefined)),
    rename: vi.fn<Commands["rename"]>(() => Promise.resolve(undefined)),
  } satisfies Commands;
}

function render(ui: React.ReactNode, store: AppStore = createAppStore(), commands: Commands = fakeCommands()): HTMLElement {
  const el = document.createElement("div");
  document.body.append(el);
  const root = createRoot(el);
  mounted.push({ root, el });
  act(() => root.render(<AppProvider store={store} commands={commands}>{ui}</AppProvider>));
  return el;
}

/** Type into a React-controlled field the way a user would. */
function type(field: Element | null, value: string): void {
  if (!(field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement)) throw new Error("not a text field");
  act(() => {
    // React tracks the value on the element itself; set it through the prototype's setter so React sees a change.
    Reflect.set(Object.getPrototypeOf(field) as object, "value", value, field);
    field.dispatchEvent(new Event("input", { bubbles: true }));
  });
}

const byLabel = (root: HTMLElement, text: string): HTMLElement => {
  const label = [...root.querySelectorAll("label")].find((l) => l.textContent === text);
  const el = label && document.getElementById(label.htmlFor);
  if (!el) throw new Error(`no field labelled ${text}`);
  return el;
};
const button = (root: HTMLElement, text: string): HTMLButtonElement => {
  const b = [...root.querySelectorAll("button")].find((x) => x.textContent === text);
  if (!b) throw new Error(`no button ${text}`);
  return b;
};
const key = (el: Element, k: string, opts: KeyboardEventInit = {}): void => {
  act(() => void el.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true, ...opts })));
};

describe("Lobby", () => {
  it("validates the ticket as you type, in words, and joins only with a valid one", () => {
    const commands = fakeCommands();
    const store = createAppStore();
    store.getState().actions.identityLoaded({ peerId: "me", displayName: "Ada", suggestedName: "Root", dataDir: "/data" });
    const root = render(<Lobby />, store, commands);
    expect((byLabel(root, "Your name") as HTMLInputElement).value).toBe("Ada");
    const ticketField = byLabel(root, "Room ticket");
    const status = root.querySelector('[data-testid="ticket-status"]')!;

    type(ticketField, "roomnot!valid");
    expect(status.textContent).toMatch(/^Not a valid ticket: .*invalid character "!"/);
    expect(ticketField.getAttribute("aria-invalid")).toBe("true");
    expect(ticketField.getAttribute("aria-describedby")).toBe(status.id);
    expect(button(root, "Join room").disabled).toBe(true);
    key(ticketField, "Enter");
    expect(commands.joinRoom).not.toHaveBeenCalled();

    const ticket = RoomTicket.generate().toString();
    type(ticketField, `  liverooms://join/${ticket} `);
    expect(status.textContent).toContain("Valid ticket");
    act(() => button(root, "Join room").click());
    expect(commands.joinRoom).toHaveBeenCalledWith(ticket, "Ada");
  });

  it("needs a name before creating a room", () => {
    const commands = fakeCommands();
    const store = createAppStore();
    store.getState().actions.identityLoaded({ peerId: "me", displayName: undefined, suggestedName: "Root", dataDir: "/data" });
    const root = render(<Lobby />, store, commands);
    type(byLabel(root, "Your name"), "   ");
    act(() => button(root, "Create a room").click());
    expect(commands.createRoom).not.toHaveBeenCalled();
    expect(root.textContent).toContain("Enter the name others will see.");
    type(byLabel(root, "Your name"), "  Bob ");
    key(byLabel(root, "Your name"), "Enter");
    expect(commands.createRoom).toHaveBeenCalledWith("Bob");
  });

  it("on first run offers the suggested name, also when the identity arrives after the lobby mounted", () => {
    const store = createAppStore();
    const root = render(<Lobby />, store, fakeCommands());
    expect((byLabel(root, "Your name") as HTMLInputElement).value).toBe("");
    act(() => store.getState().actions.identityLoaded({ peerId: "me", displayName: undefined, suggestedName: "Ada Lovelace", dataDir: "/data" }));
    expect((byLabel(root, "Your name") as HTMLInputElement).value).toBe("Ada Lovelace");
  });

  it("shows a ticket offered by a link", () => {
    const store = createAppStore();
    store.getState().actions.identityLoaded({ peerId: "me", displayName: "Ada", suggestedName: "Root", dataDir: "/data" });
    const root = render(<Lobby />, store);
    act(() => store.getState().actions.ticketOpened("roomfromlink"));
    expect((byLabel(root, "Room ticket") as HTMLTextAreaElement).value).toBe("roomfromlink");
  });
});

describe("ChatPanel", () => {
  it("renders peer text as text: no markup, no links", () => {
    const store = createAppStore();
    const a = store.getState().actions;
    a.peerJoined({ peerId: "p1", displayName: "<b>Mallory</b>", broadcasts: [] });
    a.chatReceived({ id: "1", from: "p1", text: '<img src=x onerror="alert(1)"> see https://evil.example', at: 0, history: false, self: false });
    const root = render(<ChatPanel />, store);
    const log = root.querySelector('[data-testid="chat-log"]')!;
    expect(log.querySelector("img, a, b")).toBeNull();
    expect(log.textContent).toContain('<img src=x onerror="alert(1)"> see https://evil.example');
    expect(root.querySelector('[data-testid="chat-sender"]')!.textContent).toBe("<b>Mallory</b>");
  });

  it("Enter sends (trimmed) and clears; Shift+Enter does not send", () => {
    const commands = fakeCommands();
    const root = render(<ChatPanel />, createAppStore(), commands);
    const box = byLabel(root, "Message");
    type(box, "  hello  ");
    key(box, "Enter", { shiftKey: true });
    expect(commands.sendChat).not.toHaveBeenCalled();
    key(box, "Enter");
    expect(commands.sendChat).toHaveBeenCalledWith("hello");
    expect((box as HTMLTextAreaElement).value).toBe("");
    key(box, "Enter");
    expect(commands.sendChat).toHaveBeenCalledTimes(1);
  });
});

describe("ParticipantsList", () => {
  it("lists us first and announces joins and leaves", () => {
    const store = createAppStore();
    const a = store.getState().actions;
    a.identityLoaded({ peerId: "me", displayName: "Me", suggestedName: "Guest", dataDir: "/data" });
    a.roomEntered({ me: "me", displayName: "Me" });
    const root = render(<ParticipantsList />, store);
    act(() => a.peerJoined({ peerId: "p1", displayName: "Ada", broadcasts: [] }));
    const names = () => [...root.querySelectorAll(".person-name")].map((n) => n.textContent);
    expect(names()).toEqual(["Me", "Ada"]);
    const live = root.querySelector('[data-testid="presence-announcement"]')!;
    expect(live.getAttribute("aria-live")).toBe("polite");
    expect(live.textContent).toBe("Ada joined");
    act(() => a.peerLeft({ peerId: "p1", reason: "left" }));
    expect(names()).toEqual(["Me"]);
    expect(live.textContent).toBe("Ada left");
  });
});

describe("CopyTicketButton", () => {
  it("shows a fresh ticket in a dialog that Escape closes", async () => {
    const root = render(<CopyTicketButton />);
    await act(async () => {
      button(root, "Copy ticket").click();
      await Promise.resolve();
    });
    const field = root.querySelector<HTMLTextAreaElement>('[data-testid="room-ticket"]');
    expect(field?.value).toBe("roomticket");
    const dialog = root.querySelector("dialog")!;
    expect(dialog.open).toBe(true);
    expect(document.getElementById(dialog.getAttribute("aria-labelledby")!)?.textContent).toMatch(/ticket/i);
    key(field!, "Escape");
    expect(root.querySelector('[data-testid="room-ticket"]')).toBeNull();
    expect(dialog.open).toBe(false);
  });
});
