/**
 * What the user can do, as verbs over the core API and the store: components call these, never the API.
 * Each one records what happened in the store (started, succeeded, failed).
 */
import type { AppApi, SettingsPatch } from "../shared/ipc.ts";
import type { AppStore } from "./store/index.ts";
import { requestCallMedia } from "./media-access.ts";
import type { CallMedia } from "./media/call-media.ts";

/** The UI's verbs. */
export interface Commands {
  createRoom: (displayName: string) => Promise<void>;
  joinRoom: (ticket: string, displayName: string) => Promise<void>;
  leaveRoom: () => Promise<void>;
  sendChat: (text: string) => Promise<void>;
  /** A fresh ticket for inviting others, or undefined (the failure is recorded). */
  fetchTicket: () => Promise<string | undefined>;
  pickScreenSource: (requestId: string, sourceId: string | null) => Promise<void>;
  dismissError: () => void;
  /** Forget this device's identity and use a new one (lobby only). */
  resetIdentity: () => Promise<void>;
  /** Ask for camera and microphone again (after the user changed the permission). */
  retryMediaAccess: () => Promise<void>;
  toggleMicrophone: () => Promise<void>;
  toggleCamera: () => Promise<void>;
  /** Start sharing (the platform asks which screen or window) or stop. */
  toggleScreen: () => Promise<void>;
  selectCamera: (deviceId: string) => Promise<void>;
  selectMicrophone: (deviceId: string) => Promise<void>;
  selectSpeaker: (deviceId: string) => Promise<void>;
  toggleStats: () => void;
  dismissMediaNotice: () => void;
  /** Change remembered settings; resolves with an error message to show, or undefined when saved. */
  saveSettings: (patch: SettingsPatch) => Promise<string | undefined>;
  /** Change the name others see (remembered; applies in the room at once). */
  rename: (displayName: string) => Promise<string | undefined>;
}

let localSeq = 0;

/** Build the verbs for one store. */
export function createCommands(api: AppApi, store: AppStore, media: CallMedia): Commands {
  const actions = (): ReturnType<AppStore["getState"]>["actions"] => store.getState().actions;
  const saveSettings = async (patch: SettingsPatch): Promise<string | undefined> => {
    const r = await api.updateSettings(patch);
    if (!r.ok) return r.error.message;
    actions().settingsLoaded(r.value);
    return undefined;
  };
  const enter = async (displayName: string, run: () => ReturnType<AppApi["createRoom"]>): Promise<void> => {
    // Still inside the click: let remote audio play without a second click (autoplay policy).
    void media.resumeAudio();
    actions().enterStarted();
    // Camera and microphone are asked for when joining a call, not at startup; a refusal still joins.
    const access = await requestCallMedia();
    actions().mediaAccessSettled(access);
    const r = await run();
    if (!r.ok) return actions().enterFailed(r.error.message);
    actions().roomEntered({ me: r.value.me, displayName: displayName.trim() });
    const granted = access.state === "granted";
    // The devices chosen last time (a missing one falls back to the default, and the user is told).
    const devices = store.getState().settings?.devices ?? {};
    await media.enterCall({ camera: granted, microphone: granted, ...(devices.camera !== undefined && { cameraId: devices.camera }), ...(devices.microphone !== undefined && { microphoneId: devices.microphone }) });
    if (devices.speaker !== undefined) {
      await media.setSpeaker(devices.speaker).then(
        () => actions().speakerChosen(devices.speaker),
        () => undefined,
      );
    }
  };
  const local = (): NonNullable<ReturnType<AppStore["getState"]>["local"]> | undefined => store.getState().local;
  return {
    createRoom: (displayName) => enter(displayName, () => api.createRoom({ displayName })),
    joinRoom: (ticket, displayName) => enter(displayName, () => api.joinRoom({ ticket, displayName })),
    async leaveRoom() {
      // Our broadcasts end first, so peers see them end rather than time out with the room.
      await media.leaveCall();
      const r = await api.leaveRoom();
      if (!r.ok) actions().commandFailed(r.error.message);
    },
    async sendChat(text) {
      const s = store.getState();
      const localId = `local-${++localSeq}`;
      s.actions.chatSendStarted({ localId, from: s.me ?? "", text, at: Date.now() });
      const r = await api.sendChat({ text });
      if (r.ok) actions().chatSendSucceeded(localId, r.value);
      else actions().chatSendFailed(localId, r.error.message);
    },
    async fetchTicket() {
      const r = await api.getTicket();
      if (r.ok) return r.value;
      actions().commandFailed(r.error.message);
      return undefined;
    },
    async pickScreenSource(requestId, sourceId) {
      actions().screenRequestSettled(requestId);
      const r = await api.pickScreenSource({ requestId, sourceId });
      if (!r.ok) actions().commandFailed(r.error.message);
    },
    dismissError: () => actions().errorDismissed(),
    async resetIdentity() {
      const r = await api.resetIdentity();
      if (r.ok) actions().identityLoaded(r.value);
      else actions().commandFailed(r.error.message);
    },
    async retryMediaAccess() {
      const access = await requestCallMedia();
      actions().mediaAccessSettled(access);
      if (access.state !== "granted") return;
      await media.setMicrophone(true);
      await media.setCamera(true);
      await media.refreshDevices();
    },
    toggleMicrophone: () => media.setMicrophone(!(local()?.microphone.on ?? false)),
    toggleCamera: () => media.setCamera(!(local()?.camera.on ?? false)),
    async toggleScreen() {
      if (local()?.screen.on === true) return media.stopScreen();
      let stream: MediaStream;
      try {
        stream = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 30, max: 30 } }, audio: true });
      } catch (err) {
        // Cancelling the picker is a choice, not an error.
        if (err instanceof DOMException && err.name === "NotAllowedError") return;
        actions().mediaNotice(`Screen sharing could not start: ${(err as Error).message}`);
        return;
      }
      await media.startScreen(stream);
    },
    async selectCamera(deviceId) {
      await media.selectCamera(deviceId);
      await saveSettings({ devices: { camera: deviceId } });
    },
    async selectMicrophone(deviceId) {
      await media.selectMicrophone(deviceId);
      await saveSettings({ devices: { microphone: deviceId } });
    },
    async selectSpeaker(deviceId) {
      try {
        await media.setSpeaker(deviceId);
        actions().speakerChosen(deviceId === "" ? undefined : deviceId);
        await saveSettings({ devices: { speaker: deviceId } });
      } catch (err) {
        actions().mediaNotice(`The speaker could not be changed: ${(err as Error).message}`);
      }
    },
    toggleStats: () => actions().statsToggled(),
    dismissMediaNotice: () => actions().mediaNoticeDismissed(),
    saveSettings,
    async rename(displayName) {
      const r = await api.setDisplayName({ displayName });
      if (!r.ok) return r.error.message;
      actions().displayNameChanged(displayName.trim());
      return undefined;
    },
  };
}
