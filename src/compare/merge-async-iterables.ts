// Several async iterables as one: items in the order they arrive, whichever source they come from, until every
// source has ended. When the consumer stops early (or a source fails) the sources still open are closed, so
// their `finally` blocks run — a model run records its invocation there.
export async function* mergeAsyncIterables<Item>(
  sources: readonly AsyncIterable<Item>[],
): AsyncGenerator<Item> {
  const iterators = sources.map((source) => source[Symbol.asyncIterator]());
  const pending = new Map<number, Promise<{ index: number; result: IteratorResult<Item> }>>();
  const pull = (index: number) => {
    const iterator = iterators[index];
    if (!iterator) return;
    // Re-inserting moves the source to the back of the race, so a source that is always ready cannot starve the rest.
    pending.delete(index);
    pending.set(
      index,
      iterator.next().then((result) => ({ index, result })),
    );
  };
  for (const index of iterators.keys()) pull(index);
  try {
    while (pending.size > 0) {
      const { index, result } = await Promise.race(pending.values());
      if (result.done) {
        pending.delete(index);
        continue;
      }
      pull(index);
      yield result.value;
    }
  } finally {
    const open = [...pending.keys()];
    // Results nobody will read; a failure among them must not become an unhandled rejection.
    for (const promise of pending.values()) promise.catch(() => undefined);
    pending.clear();
    await Promise.allSettled(open.map((index) => iterators[index]?.return?.()));
  }
}
