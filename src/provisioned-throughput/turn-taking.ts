// Async changes that must not interleave (check-then-store of capacity, pinning processes to cores) run one after
// another in call order; one that fails does not stop the next.
export class TurnTaking {
  private last: Promise<unknown> = Promise.resolve();

  run<T>(change: () => Promise<T>): Promise<T> {
    const turn = this.last.then(change, change);
    this.last = turn.catch(() => undefined);
    return turn;
  }
}
