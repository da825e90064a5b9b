// How many cores and sequences a reservation takes, and whether the host can still guarantee it: a pure
// function of the host and the reservations already held. On a small host a reservation is whole cores
// (llama.cpp decode slows 10–20× when threads oversubscribe the cores, docs/decisions/0003), and one core
// always stays with on-demand traffic and the server itself.

export interface HostCapacity {
  /** Cores of this host. */
  cores: number;
  /** Cores reservations may take together: at most all but one. */
  reservableCores: number;
  /** Model units one reserved core holds (each unit is one dedicated sequence on it). */
  unitsPerCore: number;
}

export interface ReservationShape {
  units: number;
  cores: number;
  sequences: number;
  threads: number;
}

export type CapacityDecision =
  | { kind: "granted"; shape: ReservationShape }
  | { kind: "refused"; freeUnits: number; freeCores: number; message: string };

export function hostCapacity(cores: number, unitsPerCore: number, reservableCores?: number): HostCapacity {
  const allButOne = Math.max(0, cores - 1);
  return {
    cores,
    reservableCores: Math.min(allButOne, reservableCores ?? allButOne),
    unitsPerCore,
  };
}

export function reservationShape(units: number, host: HostCapacity): ReservationShape {
  const cores = Math.ceil(units / host.unitsPerCore);
  return { units, cores, sequences: units, threads: cores };
}

/**
 * Grants `units` when the cores they need are free. `heldCores` are those of the other reservations (when
 * resizing, the reservation's own cores are not counted: it gives them back as it takes the new ones).
 */
export function planReservation(units: number, heldCores: number, host: HostCapacity): CapacityDecision {
  const shape = reservationShape(units, host);
  const freeCores = Math.max(0, host.reservableCores - heldCores);
  if (shape.cores <= freeCores) return { kind: "granted", shape };
  const freeUnits = freeCores * host.unitsPerCore;
  return {
    kind: "refused",
    freeUnits,
    freeCores,
    message:
      `${units} model units need ${shape.cores} dedicated cores (${host.unitsPerCore} units per core); this host can ` +
      `guarantee ${freeUnits} more model units (${freeCores} free of the ${host.reservableCores} reservable cores of ` +
      `${host.cores}; one core always stays with on-demand traffic). Request at most ${freeUnits} model units, or ` +
      "delete or shrink another provisioned throughput.",
  };
}

/** Cores left to on-demand traffic once reservations hold theirs (never fewer than one). */
export function onDemandCores(host: HostCapacity, heldCores: number): number {
  return Math.max(1, host.cores - heldCores);
}
