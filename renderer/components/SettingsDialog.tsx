/**
 * Settings reachable from the lobby: your name, the devices a call starts with, how to reach people beyond
 * this network (relays, STUN, mDNS), who you are on the network, where your data lives, and a way to start
 * over. Everything here is remembered by the core (settings.json in the data folder).
 */
import { useEffect, useId, useState, type ReactNode } from "react";
import type { AppSettings } from "../../shared/ipc.ts";
import { useApp, useCommands } from "../context.tsx";
import { listDevices, type DeviceLists } from "../media/call-media.ts";
import { Dialog } from "./Dialog.tsx";

const lines = (text: string): string[] =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");

/** One device select; "" is the system default. */
function DeviceField(props: { label: string; options: DeviceLists[keyof DeviceLists]; value: string | undefined; onChange: (id: string) => void }): ReactNode {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} value={props.value ?? ""} onChange={(e) => props.onChange(e.currentTarget.value)}>
        <option value="">System default</option>
        {props.options.map((d) => (
          <option key={d.deviceId} value={d.deviceId}>
            {d.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function SettingsForm({ settings, onDone }: { settings: AppSettings; onDone: () => void }): ReactNode {
  const commands = useCommands();
  const identity = useApp((s) => s.identity);
  const [name, setName] = useState(identity?.displayName ?? identity?.suggestedName ?? "");
  const [devices, setDevices] = useState<DeviceLists>({ cameras: [], microphones: [], speakers: [] });
  const [chosen, setChosen] = useState(settings.devices);
  const [relays, setRelays] = useState(settings.relays.join("\n"));
  const [stun, setStun] = useState(settings.stun.join("\n"));
  const [mdns, setMdns] = useState(settings.mdns);
  const [error, setError] = useState<string | undefined>(undefined);
  const [confirming, setConfirming] = useState(false);
  const ids = { name: useId(), relays: useId(), stun: useId(), mdns: useId(), error: useId() };

  useEffect(() => {
    // Labels show once the page has been allowed a camera or microphone (after a first call).
    listDevices().then(setDevices, () => undefined);
  }, []);

  const save = async (): Promise<void> => {
    setError(undefined);
    const renamed = name.trim() !== "" && name.trim() !== identity?.displayName ? await commands.rename(name) : undefined;
    const failed =
      renamed ??
      (await commands.saveSettings({
        devices: { camera: chosen.camera ?? "", microphone: chosen.microphone ?? "", speaker: chosen.speaker ?? "" },
        relays: lines(relays),
        stun: lines(stun),
        mdns,
      }));
    if (failed === undefined) onDone();
    else setError(failed);
  };

  return (
    <form
      className="settings-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <fieldset>
        <legend>You</legend>
        <div className="field">
          <label htmlFor={ids.name}>Display name</label>
          <input id={ids.name} type="text" value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={64} />
        </div>
      </fieldset>
      <fieldset>
        <legend>Devices a call starts with</legend>
        <DeviceField label="Camera" options={devices.cameras} value={chosen.camera || undefined} onChange={(v) => setChosen({ ...chosen, camera: v })} />
        <DeviceField label="Microphone" options={devices.microphones} value={chosen.microphone || undefined} onChange={(v) => setChosen({ ...chosen, microphone: v })} />
        <DeviceField label="Speaker" options={devices.speakers} value={chosen.speaker || undefined} onChange={(v) => setChosen({ ...chosen, speaker: v })} />
      </fieldset>
      <fieldset>
        <legend>Reaching people on other networks</legend>
        <div className="field">
          <label htmlFor={ids.relays}>Relays, one per line</label>
          <textarea id={ids.relays} rows={2} value={relays} onChange={(e) => setRelays(e.currentTarget.value)} placeholder="/dns4/relay.example.org/tcp/4001/p2p/12D3KooW…" spellCheck={false} aria-describedby={ids.error} />
        </div>
        <div className="field">
          <label htmlFor={ids.stun}>STUN servers (host:port), one per line</label>
          <textarea id={ids.stun} rows={1} value={stun} onChange={(e) => setStun(e.currentTarget.value)} placeholder="stun.example.org:3478" spellCheck={false} />
        </div>
        <label className="check" htmlFor={ids.mdns}>
          <input id={ids.mdns} type="checkbox" checked={mdns} onChange={(e) => setMdns(e.currentTarget.checked)} /> Find people on this local network (mDNS)
        </label>
        <p className="hint">Network changes apply from the next room you join.</p>
      </fieldset>
      <dl className="settings">
        <dt>Your peer id</dt>
        <dd data-testid="peer-id">{identity?.peerId}</dd>
        <dt>Data folder</dt>
        <dd data-testid="data-dir">{identity?.dataDir}</dd>
      </dl>
      <p className="hint">Resetting your identity gives this device a new peer id: people will see you as someone new. Your name is kept.</p>
      <p id={ids.error} className="hint hint--error" role="alert" data-testid="settings-error">
        {error ?? ""}
      </p>
      <div className="dialog-actions">
        {confirming ? (
          <button type="button" className="button button--danger" onClick={() => void commands.resetIdentity().then(() => setConfirming(false))}>
            Yes, reset my identity
          </button>
        ) : (
          <button type="button" className="button" onClick={() => setConfirming(true)}>
            Reset identity…
          </button>
        )}
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button button--primary">
          Save
        </button>
      </div>
    </form>
  );
}

/** The "Settings" button and its dialog. */
export function SettingsButton(): ReactNode {
  const settings = useApp((s) => s.settings);
  const identity = useApp((s) => s.identity);
  const [open, setOpen] = useState(false);
  const titleId = useId();
  return (
    <>
      <button type="button" className="button button--quiet" onClick={() => setOpen(true)}>
        Settings
      </button>
      <Dialog open={open} onClose={() => setOpen(false)} labelledBy={titleId}>
        {open && identity !== undefined && settings !== undefined && (
          <div className="dialog-body">
            <h2 id={titleId}>Settings</h2>
            <SettingsForm settings={settings} onDone={() => setOpen(false)} />
          </div>
        )}
      </Dialog>
    </>
  );
}
