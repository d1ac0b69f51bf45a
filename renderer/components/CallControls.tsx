/**
 * The call's controls under the stage: microphone, camera and screen toggles (each a pressed/unpressed
 * button with a label saying what it does), device pickers, and the statistics overlay switch (also the
 * `s` key anywhere but a text field).
 */
import { useEffect, type ReactNode } from "react";
import { useApp, useCommands } from "../context.tsx";
import type { DeviceChoice } from "../media/call-media.ts";
import { Icon } from "./Icon.tsx";

/** Whether a key press is someone typing (and so no shortcut). */
function typing(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

function DevicePicker(props: { label: string; devices: DeviceChoice[]; value: string | undefined; onChange: (id: string) => void }): ReactNode {
  if (props.devices.length === 0) return null;
  return (
    <label className="device-picker">
      <span className="visually-hidden">{props.label}</span>
      <select aria-label={props.label} value={props.value ?? ""} onChange={(e) => props.onChange(e.currentTarget.value)}>
        {props.value === undefined && <option value="">Default</option>}
        {props.devices.map((d) => (
          <option key={d.deviceId} value={d.deviceId}>
            {d.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The control bar. */
export function CallControls(): ReactNode {
  const commands = useCommands();
  const local = useApp((s) => s.local);
  const devices = useApp((s) => s.devices);
  const speakerId = useApp((s) => s.speakerId);
  const statsVisible = useApp((s) => s.statsVisible);
  const ready = local !== undefined && !local.closed;
  const mic = local?.microphone.on ?? false;
  const cam = local?.camera.on ?? false;
  const screen = local?.screen.on ?? false;

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key !== "s" || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      commands.toggleStats();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [commands]);

  return (
    <div className="controls" role="toolbar" aria-label="Call controls">
      <button
        type="button"
        className={`control ${mic ? "" : "control--off"}`}
        aria-pressed={!mic}
        aria-label={mic ? "Mute microphone" : "Unmute microphone"}
        data-testid="toggle-microphone"
        disabled={!ready}
        onClick={() => void commands.toggleMicrophone()}
      >
        <Icon name={mic ? "mic" : "micOff"} /> {mic ? "Mute" : "Unmute"}
      </button>
      <button
        type="button"
        className={`control ${cam ? "" : "control--off"}`}
        aria-pressed={!cam}
        aria-label={cam ? "Turn camera off" : "Turn camera on"}
        data-testid="toggle-camera"
        disabled={!ready}
        onClick={() => void commands.toggleCamera()}
      >
        <Icon name={cam ? "camera" : "cameraOff"} /> {cam ? "Stop video" : "Start video"}
      </button>
      <button
        type="button"
        className={`control ${screen ? "control--active" : ""}`}
        aria-pressed={screen}
        aria-label={screen ? "Stop sharing your screen" : "Share your screen"}
        data-testid="toggle-screen"
        disabled={!ready}
        onClick={() => void commands.toggleScreen()}
      >
        <Icon name="screen" /> {screen ? "Stop sharing" : "Share screen"}
      </button>
      <div className="device-pickers">
        <DevicePicker label="Camera" devices={devices.cameras} value={local?.camera.deviceId} onChange={(id) => void commands.selectCamera(id)} />
        <DevicePicker label="Microphone" devices={devices.microphones} value={local?.microphone.deviceId} onChange={(id) => void commands.selectMicrophone(id)} />
        <DevicePicker label="Speaker" devices={devices.speakers} value={speakerId} onChange={(id) => void commands.selectSpeaker(id)} />
      </div>
      <button type="button" className="control control--quiet" aria-pressed={statsVisible} aria-keyshortcuts="s" onClick={commands.toggleStats} data-testid="toggle-stats">
        Stats
      </button>
    </div>
  );
}
