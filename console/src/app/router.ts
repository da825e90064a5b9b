// Hash routes (#/playground?models=a,b): the server serves one page for the whole console, and ARNs (with
// their "/" and ":") can be route parameters without any server-side routing.
import { useSyncExternalStore } from "react";

export interface Route {
  /** Decoded path labels: "#/jobs/abc" → ["jobs", "abc"]. */
  labels: string[];
  params: URLSearchParams;
}

function parse(hash: string): Route {
  const text = hash.replace(/^#\/?/, "");
  const queryStart = text.indexOf("?");
  const pathText = queryStart === -1 ? text : text.slice(0, queryStart);
  const labels = pathText
    .split("/")
    .filter((label) => label !== "")
    .map((label) => {
      try {
        return decodeURIComponent(label);
      } catch {
        return label;
      }
    });
  return { labels, params: new URLSearchParams(queryStart === -1 ? "" : text.slice(queryStart + 1)) };
}

function subscribe(listener: () => void): () => void {
  window.addEventListener("hashchange", listener);
  return () => window.removeEventListener("hashchange", listener);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parse(hash);
}

/** "#/custom-models/<escaped arn>" from labels and parameters. */
export function href(labels: readonly string[], params: Record<string, string | undefined> = {}): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    if (value !== undefined && value !== "") query.set(name, value);
  const queryText = query.toString();
  return `#/${labels.map(encodeURIComponent).join("/")}${queryText ? `?${queryText}` : ""}`;
}

export function navigate(to: string): void {
  window.location.hash = to.replace(/^#/, "");
}
