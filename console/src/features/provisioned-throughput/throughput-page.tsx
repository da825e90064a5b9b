// Provisioned throughput: this host's free capacity, reservations with their status (polled while one is being
// made ready), and create / update / delete.
import { type FormEvent, useState } from "react";
import { formatTime } from "../../components/format.js";
import { ErrorMessage, Loading, Page, StatusBadge } from "../../components/page.js";
import { useApi } from "../../components/use-api.js";
import { messageOf } from "../../lib/api-client.js";
import {
  createReservation,
  deleteReservation,
  getHostCapacity,
  listReservableModels,
  listReservations,
  type ReservableModel,
  type Reservation,
  updateReservation,
} from "./throughput-api.js";

const settling = (status: string) => status === "Creating" || status === "Updating";

function ModelField(props: {
  id: string;
  models: readonly ReservableModel[];
  value: string;
  onChange(value: string): void;
}) {
  return (
    <div className="field">
      <label htmlFor={props.id}>Model</label>
      <select
        id={props.id}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        required
      >
        <option value="">Choose a model</option>
        {props.models.map((model) => (
          <option key={model.id} value={model.id}>
            {model.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function EditRow(props: { reservation: Reservation; models: readonly ReservableModel[]; onDone(): void }) {
  const { reservation } = props;
  const [name, setName] = useState(reservation.provisionedModelName);
  const [modelId, setModelId] = useState(reservation.desiredModelArn);
  const [units, setUnits] = useState(reservation.desiredModelUnits);
  const [error, setError] = useState<string>();
  const save = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await updateReservation(reservation, { name, modelId, modelUnits: units });
      props.onDone();
    } catch (caught) {
      setError(messageOf(caught));
    }
  };
  const idPrefix = `edit-${reservation.provisionedModelArn.split("/").pop()}`;
  return (
    <form className="card row" onSubmit={save} aria-label={`Update ${reservation.provisionedModelName}`}>
      <div className="field">
        <label htmlFor={`${idPrefix}-name`}>Name</label>
        <input
          id={`${idPrefix}-name`}
          value={name}
          onChange={(event) => setName(event.target.value)}
          required
        />
      </div>
      <ModelField id={`${idPrefix}-model`} models={props.models} value={modelId} onChange={setModelId} />
      <div className="field">
        <label htmlFor={`${idPrefix}-units`}>Model units</label>
        <input
          id={`${idPrefix}-units`}
          type="number"
          min={1}
          value={units}
          onChange={(event) => setUnits(event.target.valueAsNumber || 1)}
        />
      </div>
      <button type="submit" className="primary">
        Save
      </button>
      <button type="button" onClick={props.onDone}>
        Cancel
      </button>
      <ErrorMessage error={error} />
    </form>
  );
}

export function ThroughputPage(props: { params: URLSearchParams }) {
  const capacity = useApi((signal) => getHostCapacity(signal), []);
  const models = useApi((signal) => listReservableModels(signal), []);
  const reservations = useApi((signal) => listReservations(signal), [], {
    pollMs: 1500,
    pollWhile: (list) => list.some((reservation) => settling(reservation.status)),
  });
  const [name, setName] = useState("");
  const [modelId, setModelId] = useState(props.params.get("model") ?? "");
  const [units, setUnits] = useState(1);
  const [commitment, setCommitment] = useState("");
  const [editing, setEditing] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const refresh = () => {
    reservations.reload();
    capacity.reload();
  };

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await createReservation({
        name,
        modelId,
        modelUnits: units,
        ...(commitment ? { commitmentDuration: commitment } : {}),
      });
      setName("");
      refresh();
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (reservation: Reservation) => {
    if (!window.confirm(`Delete the reservation ${reservation.provisionedModelName}?`)) return;
    setError(undefined);
    try {
      await deleteReservation(reservation.provisionedModelArn);
      refresh();
    } catch (caught) {
      setError(messageOf(caught));
    }
  };

  const host = capacity.data;
  return (
    <Page title="Provisioned throughput">
      <section className="card" aria-labelledby="capacity-title">
        <h2 id="capacity-title">This host</h2>
        <ErrorMessage error={capacity.error} />
        {host ? (
          <dl className="facts" data-testid="host-capacity">
            <dt>Free model units</dt>
            <dd data-testid="free-units">{host.freeModelUnits}</dd>
            <dt>Cores held by reservations</dt>
            <dd>
              {host.heldCores} of {host.reservableCores} reservable ({host.cores} in all)
            </dd>
            <dt>Model units per core</dt>
            <dd>{host.unitsPerCore}</dd>
          </dl>
        ) : null}
      </section>
      <form className="card" onSubmit={create} aria-labelledby="create-title">
        <h2 id="create-title">Create a reservation</h2>
        <div className="row">
          <div className="field">
            <label htmlFor="pt-name">Name</label>
            <input id="pt-name" value={name} onChange={(event) => setName(event.target.value)} required />
          </div>
          <ModelField id="pt-model" models={models.data ?? []} value={modelId} onChange={setModelId} />
          <div className="field">
            <label htmlFor="pt-units">Model units</label>
            <input
              id="pt-units"
              type="number"
              min={1}
              max={host?.freeModelUnits || undefined}
              value={units}
              onChange={(event) => setUnits(event.target.valueAsNumber || 1)}
            />
          </div>
          <div className="field">
            <label htmlFor="pt-commitment">Commitment</label>
            <select
              id="pt-commitment"
              value={commitment}
              onChange={(event) => setCommitment(event.target.value)}
            >
              <option value="">None (hourly)</option>
              <option value="OneMonth">One month</option>
              <option value="SixMonths">Six months</option>
            </select>
          </div>
          <button type="submit" className="primary" disabled={busy || !modelId || !name}>
            {busy ? "Creating…" : "Create"}
          </button>
        </div>
      </form>
      <ErrorMessage error={error ?? reservations.error} />
      <Loading loading={reservations.loading && !reservations.data} what="reservations" />
      {reservations.data && reservations.data.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Model</th>
              <th scope="col">Units</th>
              <th scope="col">Commitment</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {reservations.data.map((reservation) => (
              <tr key={reservation.provisionedModelArn} data-reservation={reservation.provisionedModelName}>
                <td>{reservation.provisionedModelName}</td>
                <td>
                  <StatusBadge status={reservation.status} />
                </td>
                <td>
                  <code>{reservation.modelArn.split("/").slice(1).join("/")}</code>
                </td>
                <td>
                  {reservation.modelUnits}
                  {reservation.desiredModelUnits !== reservation.modelUnits
                    ? ` → ${reservation.desiredModelUnits}`
                    : ""}
                </td>
                <td>
                  {reservation.commitmentDuration ?? "none"}
                  {reservation.commitmentExpirationTime
                    ? ` until ${formatTime(reservation.commitmentExpirationTime)}`
                    : ""}
                </td>
                <td className="actions">
                  {reservation.status === "InService" ? (
                    <a
                      className="button"
                      href={`#/playground?models=${encodeURIComponent(reservation.provisionedModelArn)}`}
                    >
                      Chat <span className="visually-hidden">with {reservation.provisionedModelName}</span>
                    </a>
                  ) : null}
                  <button type="button" onClick={() => setEditing(reservation.provisionedModelArn)}>
                    Update <span className="visually-hidden">{reservation.provisionedModelName}</span>
                  </button>
                  <button type="button" className="danger" onClick={() => void remove(reservation)}>
                    Delete <span className="visually-hidden">{reservation.provisionedModelName}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {editing && reservations.data
        ? reservations.data
            .filter((reservation) => reservation.provisionedModelArn === editing)
            .map((reservation) => (
              <EditRow
                key={reservation.provisionedModelArn}
                reservation={reservation}
                models={models.data ?? []}
                onDone={() => {
                  setEditing(undefined);
                  refresh();
                }}
              />
            ))
        : null}
    </Page>
  );
}
