// System prompt and inference parameters, shared by chat and compare (Converse's inferenceConfig).
import type { GenerationSettings } from "./playground-api.js";

export const defaultSettings: GenerationSettings = {
  system: "",
  temperature: 0.7,
  topP: 0.9,
  maxTokens: 128,
  stopSequences: [],
};

function NumberField(props: {
  id: string;
  label: string;
  value: number;
  min: number;
  max: number;
  step: number;
  onChange(value: number): void;
}) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="number"
        value={props.value}
        min={props.min}
        max={props.max}
        step={props.step}
        onChange={(event) => {
          const value = event.target.valueAsNumber;
          if (Number.isFinite(value)) props.onChange(Math.min(props.max, Math.max(props.min, value)));
        }}
      />
    </div>
  );
}

export function GenerationSettingsForm(props: {
  settings: GenerationSettings;
  onChange(settings: GenerationSettings): void;
}) {
  const { settings, onChange } = props;
  const set = <K extends keyof GenerationSettings>(key: K, value: GenerationSettings[K]) =>
    onChange({ ...settings, [key]: value });
  return (
    <fieldset className="settings">
      <legend>Settings</legend>
      <div className="field wide">
        <label htmlFor="system-prompt">System prompt</label>
        <textarea
          id="system-prompt"
          rows={2}
          value={settings.system}
          onChange={(event) => set("system", event.target.value)}
        />
      </div>
      <NumberField
        id="temperature"
        label="Temperature"
        value={settings.temperature}
        min={0}
        max={1}
        step={0.05}
        onChange={(value) => set("temperature", value)}
      />
      <NumberField
        id="top-p"
        label="Top-p"
        value={settings.topP}
        min={0}
        max={1}
        step={0.05}
        onChange={(value) => set("topP", value)}
      />
      <NumberField
        id="max-tokens"
        label="Max tokens"
        value={settings.maxTokens}
        min={1}
        max={4096}
        step={1}
        onChange={(value) => set("maxTokens", Math.round(value))}
      />
      <div className="field">
        <label htmlFor="stop-sequences">Stop sequences</label>
        <input
          id="stop-sequences"
          aria-describedby="stop-sequences-help"
          value={settings.stopSequences.join(", ")}
          onChange={(event) =>
            set(
              "stopSequences",
              event.target.value
                .split(",")
                .map((sequence) => sequence.trim())
                .filter((sequence) => sequence !== "")
                .slice(0, 4),
            )
          }
        />
        <small id="stop-sequences-help" className="muted">
          Comma-separated, up to 4.
        </small>
      </div>
    </fieldset>
  );
}
