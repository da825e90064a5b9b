// The trainer's priority structure: which adjacent token pair to merge next. Highest count first; equal
// counts are ordered by the pair's text ("left right", plain code-unit order) so that training is
// deterministic whatever order words were seen in.
//
// Entries are never updated in place. The trainer pushes a fresh entry whenever a pair's count changes and
// checks popped entries against the live count, dropping stale ones (lazy deletion): cheaper than a
// decrease-key heap, and a pair's newest entry always carries its live count.

export interface PairEntry {
  count: number;
  left: number;
  right: number;
}

export class PairPriorityQueue {
  private counts = new Float64Array(1024);
  private lefts = new Int32Array(1024);
  private rights = new Int32Array(1024);
  private size = 0;

  /** tokenTexts is read (not copied) when comparing ties, so it may grow while the queue is in use. */
  constructor(private readonly tokenTexts: readonly string[]) {}

  get length(): number {
    return this.size;
  }

  push(count: number, left: number, right: number): void {
    if (this.size === this.counts.length) this.grow();
    let child = this.size++;
    // Sift up by moving parents down into the hole, then write the new entry once.
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (!this.isBefore(count, left, right, parent)) break;
      this.moveEntry(parent, child);
      child = parent;
    }
    this.writeEntry(child, count, left, right);
  }

  /** Removes and returns the best entry, or undefined when empty. */
  pop(): PairEntry | undefined {
    if (this.size === 0) return undefined;
    const top: PairEntry = {
      count: this.counts[0] ?? 0,
      left: this.lefts[0] ?? 0,
      right: this.rights[0] ?? 0,
    };
    const last = --this.size;
    if (last > 0) {
      const count = this.counts[last] ?? 0;
      const left = this.lefts[last] ?? 0;
      const right = this.rights[last] ?? 0;
      let parent = 0;
      for (;;) {
        const firstChild = parent * 2 + 1;
        if (firstChild >= last) break;
        const secondChild = firstChild + 1;
        const better =
          secondChild < last && this.entryIsBefore(secondChild, firstChild) ? secondChild : firstChild;
        if (this.isBefore(count, left, right, better)) break;
        this.moveEntry(better, parent);
        parent = better;
      }
      this.writeEntry(parent, count, left, right);
    }
    return top;
  }

  /** Whether (count, left, right) goes before the entry stored at index. */
  private isBefore(count: number, left: number, right: number, index: number): boolean {
    const otherCount = this.counts[index] ?? 0;
    if (count !== otherCount) return count > otherCount;
    return this.textIsBefore(left, right, this.lefts[index] ?? 0, this.rights[index] ?? 0);
  }

  private entryIsBefore(index: number, otherIndex: number): boolean {
    return this.isBefore(
      this.counts[index] ?? 0,
      this.lefts[index] ?? 0,
      this.rights[index] ?? 0,
      otherIndex,
    );
  }

  private textIsBefore(left: number, right: number, otherLeft: number, otherRight: number): boolean {
    // Token texts never contain a plain space (the byte alphabet maps it to "Ġ"), so comparing left texts,
    // then right texts, is the same as comparing the "left right" merge strings.
    if (left !== otherLeft) {
      return (this.tokenTexts[left] ?? "") < (this.tokenTexts[otherLeft] ?? "");
    }
    return (this.tokenTexts[right] ?? "") < (this.tokenTexts[otherRight] ?? "");
  }

  private moveEntry(from: number, to: number): void {
    this.writeEntry(to, this.counts[from] ?? 0, this.lefts[from] ?? 0, this.rights[from] ?? 0);
  }

  private writeEntry(index: number, count: number, left: number, right: number): void {
    this.counts[index] = count;
    this.lefts[index] = left;
    this.rights[index] = right;
  }

  private grow(): void {
    const capacity = this.counts.length * 2;
    const counts = new Float64Array(capacity);
    counts.set(this.counts);
    const lefts = new Int32Array(capacity);
    lefts.set(this.lefts);
    const rights = new Int32Array(capacity);
    rights.set(this.rights);
    this.counts = counts;
    this.lefts = lefts;
    this.rights = rights;
  }
}
