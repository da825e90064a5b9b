// Loading state for one API read: data, error, a reload function, and optional polling while a condition
// holds (a job in progress, a reservation being created). Results of a superseded load are dropped.
import { type DependencyList, useCallback, useEffect, useRef, useState } from "react";
import { messageOf } from "../lib/api-client.js";

export interface ApiState<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload(): void;
}

export function useApi<T>(
  load: (signal: AbortSignal) => Promise<T>,
  dependencies: DependencyList,
  options: { pollMs?: number; pollWhile?: (data: T) => boolean } = {},
): ApiState<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  const optionsRef = useRef(options);
  optionsRef.current = options;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller lists what `load` depends on.
  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      try {
        const result = await load(controller.signal);
        if (controller.signal.aborted) return;
        setData(result);
        setError(undefined);
        const { pollMs, pollWhile } = optionsRef.current;
        if (pollMs !== undefined && (pollWhile?.(result) ?? true)) timer = setTimeout(run, pollMs);
      } catch (caught) {
        if (controller.signal.aborted) return;
        setError(messageOf(caught));
      } finally {
        if (!controller.signal.aborted) setLoading(false);
      }
    };
    setLoading(true);
    void run();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [...dependencies, generation]);

  return { data, error, loading, reload };
}
