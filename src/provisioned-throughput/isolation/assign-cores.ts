// Which cores each reservation's inference process runs on, and which stay with everything else (the server,
// on-demand inference, training): a pure function of the cores this server may use and the threads each
// process's reservations hold. Reservations take cores from the top of the list, so the first core always
// stays shared; admission (capacity-plan.ts) never grants more than all cores but one, but while a resized
// reservation's old context drains its process briefly holds both sizes — then processes share the reserved
// cores rather than take the last shared one.

export interface CoreAssignment {
  /** Cores of each dedicated process, by its key. */
  dedicated: Map<string, number[]>;
  /** Cores left to the server and on-demand traffic: never empty. */
  shared: number[];
}

export function assignCores(
  cores: readonly number[],
  demands: readonly { key: string; threads: number }[],
): CoreAssignment {
  const ordered = [...cores].sort((a, b) => a - b);
  const reservable = ordered.slice(1).reverse(); // highest first; the lowest core is never reserved
  const dedicated = new Map<string, number[]>();
  let next = 0;
  for (const { key, threads } of demands) {
    if (reservable.length === 0) {
      dedicated.set(key, ordered.slice(0, 1));
      continue;
    }
    const taken: number[] = [];
    for (let index = 0; index < Math.min(Math.max(1, threads), reservable.length); index++)
      taken.push(reservable[(next + index) % reservable.length] as number);
    next += taken.length;
    dedicated.set(
      key,
      taken.sort((a, b) => a - b),
    );
  }
  const used = new Set([...dedicated.values()].flat());
  const shared = ordered.filter((cpu) => !used.has(cpu));
  return { dedicated, shared: shared.length > 0 ? shared : ordered.slice(0, 1) };
}
