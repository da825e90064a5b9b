// The work queue of BpeTokenizer's merge loop: adjacent symbol pairs that have a merge rule, lowest rank
// first and, for equal ranks, leftmost first. That order is llama.cpp's (llm_bigram_bpe::comparator), and it
// decides the result when the same merge could apply at overlapping places ("a a a").

export interface SymbolPair {
  rank: number;
  left: number;
  right: number;
  /** The merged text, to recognise pairs made stale by an earlier merge. */
  text: string;
}

export class SymbolPairQueue {
  private readonly heap: SymbolPair[] = [];

  push(rank: number, left: number, right: number, text: string): void {
    const heap = this.heap;
    heap.push({ rank, left, right, text });
    let child = heap.length - 1;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (!comesFirst(heap[child] as SymbolPair, heap[parent] as SymbolPair)) break;
      swap(heap, child, parent);
      child = parent;
    }
  }

  pop(): SymbolPair | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    heap[0] = last;
    let parent = 0;
    for (;;) {
      const left = parent * 2 + 1;
      const right = left + 1;
      let first = parent;
      if (left < heap.length && comesFirst(heap[left] as SymbolPair, heap[first] as SymbolPair)) first = left;
      if (right < heap.length && comesFirst(heap[right] as SymbolPair, heap[first] as SymbolPair))
        first = right;
      if (first === parent) return top;
      swap(heap, parent, first);
      parent = first;
    }
  }
}

function comesFirst(a: SymbolPair, b: SymbolPair): boolean {
  return a.rank < b.rank || (a.rank === b.rank && a.left < b.left);
}

function swap(heap: SymbolPair[], a: number, b: number): void {
  const held = heap[a] as SymbolPair;
  heap[a] = heap[b] as SymbolPair;
  heap[b] = held;
}
