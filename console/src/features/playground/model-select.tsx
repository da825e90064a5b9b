import type { ServableModel } from "./playground-api.js";

export function ModelSelect(props: {
  id: string;
  label: string;
  models: readonly ServableModel[];
  value: string;
  onChange(value: string): void;
  disabled?: boolean;
}) {
  const known = props.models.some((model) => model.id === props.value);
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.value}
        disabled={props.disabled}
        onChange={(event) => props.onChange(event.target.value)}
      >
        <option value="">Choose a model</option>
        {!known && props.value ? <option value={props.value}>{props.value}</option> : null}
        <optgroup label="On demand">
          {props.models
            .filter((model) => model.kind === "catalog")
            .map((model) => (
              <option key={model.id} value={model.id}>
                {model.label}
              </option>
            ))}
        </optgroup>
        <optgroup label="Provisioned throughput">
          {props.models
            .filter((model) => model.kind === "provisioned")
            .map((model) => (
              <option key={model.id} value={model.id}>
                {model.label}
              </option>
            ))}
        </optgroup>
      </select>
    </div>
  );
}
