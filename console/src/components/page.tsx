// The frame of every page: its heading (focused when the page opens, so keyboard and screen-reader users land
// on it), optional actions, and the page's content.
import { type ReactNode, useEffect, useRef } from "react";

export function Page(props: { title: string; actions?: ReactNode; children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${props.title} · Strata console`;
  }, [props.title]);
  // Once per page (pages mount per route), not when a title fills in after loading: focus stays where it is.
  useEffect(() => {
    heading.current?.focus();
  }, []);
  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title" tabIndex={-1} ref={heading}>
          {props.title}
        </h1>
        {props.actions ? <div className="page-actions">{props.actions}</div> : null}
      </header>
      {props.children}
    </section>
  );
}

export function ErrorMessage(props: { error: string | undefined }) {
  if (!props.error) return null;
  return (
    <p className="error" role="alert">
      {props.error}
    </p>
  );
}

export function Loading(props: { loading: boolean; what: string }) {
  return props.loading ? (
    <p className="muted" aria-live="polite">
      Loading {props.what}…
    </p>
  ) : null;
}

const statusClass: Record<string, string> = {
  InService: "ok",
  Completed: "ok",
  Active: "ok",
  InProgress: "busy",
  Creating: "busy",
  Updating: "busy",
  Stopping: "busy",
  Queued: "busy",
  Failed: "bad",
  Stopped: "muted",
  Deleting: "muted",
};

export function StatusBadge(props: { status: string }) {
  return <span className={`badge status-${statusClass[props.status] ?? "muted"}`}>{props.status}</span>;
}
