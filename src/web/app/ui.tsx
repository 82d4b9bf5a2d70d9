import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "./api.js";

/** An error as a sentence with its stable code, e.g. "Not enough SOL. (INSUFFICIENT_BALANCE)". */
export function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof ApiError) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: "CLIENT_ERROR", message: error.message };
  return { code: "CLIENT_ERROR", message: String(error) };
}

export function ErrorNote(props: { error: unknown; id?: string | undefined }) {
  if (!props.error) return null;
  const { code, message } = describeError(props.error);
  const sentence = /[.!?]$/.test(message) ? message : `${message}.`;
  return (
    <p class="error" role="alert" id={props.id} data-code={code}>
      {sentence} <code>{code}</code>
    </p>
  );
}

export function Spinner() {
  return <span class="spinner" aria-hidden="true" />;
}

/** A button that shows progress while its action runs and is disabled meanwhile. */
export function BusyButton(props: {
  busy: boolean;
  busyLabel: string;
  children: ComponentChildren;
  type?: "button" | "submit";
  class?: string | undefined;
  disabled?: boolean;
  onClick?: () => void;
  describedBy?: string | undefined;
  id?: string;
}) {
  return (
    <button
      type={props.type ?? "submit"}
      class={props.class}
      id={props.id}
      disabled={props.busy || props.disabled}
      aria-busy={props.busy ? "true" : undefined}
      aria-describedby={props.describedBy}
      onClick={props.onClick}
    >
      {props.busy ? (
        <>
          <Spinner /> {props.busyLabel}
        </>
      ) : (
        props.children
      )}
    </button>
  );
}

/** Runs an async action once at a time, keeping its error until the next run. */
export function useAction<A extends unknown[], R>(action: (...args: A) => Promise<R>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const ref = useRef(action);
  ref.current = action;
  const busyRef = useRef(false);
  const run = useCallback(async (...args: A): Promise<R | undefined> => {
    if (busyRef.current) return undefined;
    busyRef.current = true;
    setBusy(true);
    setError(null);
    try {
      return await ref.current(...args);
    } catch (caught) {
      setError(caught);
      return undefined;
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  }, []);
  return { run, busy, error, setError };
}

/** A button that runs an action (from `useAction`) and shows its progress. */
export function ActionButton(props: {
  action: { run(): unknown; busy: boolean };
  busyLabel: string;
  children: ComponentChildren;
  class?: string;
}) {
  return (
    <BusyButton
      busy={props.action.busy}
      busyLabel={props.busyLabel}
      type="button"
      class={props.class}
      onClick={() => void props.action.run()}
    >
      {props.children}
    </BusyButton>
  );
}

/**
 * A modal dialog on the native <dialog>: the page behind is inert (focus stays inside), Escape
 * closes it, and focus returns to what had it before.
 */
export function Dialog(props: {
  title: string;
  open: boolean;
  onClose(): void;
  children: ComponentChildren;
  class?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const returnTo = useRef<Element | null>(null);
  const titleId = useRef(`dialog-${Math.random().toString(36).slice(2, 9)}`).current;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) {
      returnTo.current = document.activeElement;
      dialog.showModal();
      const first = dialog.querySelector<HTMLElement>(
        "[autofocus], input:not([type=hidden]), select, textarea, button:not(.dialog-close)",
      );
      first?.focus();
    } else if (!props.open && dialog.open) {
      dialog.close();
    }
  }, [props.open]);
  useEffect(
    () => () => {
      const target = returnTo.current;
      if (target instanceof HTMLElement && target.isConnected) target.focus();
    },
    [],
  );
  const onClose = () => {
    const target = returnTo.current;
    props.onClose();
    if (target instanceof HTMLElement && target.isConnected) setTimeout(() => target.focus(), 0);
  };
  return (
    <dialog
      ref={ref}
      class={`dialog ${props.class ?? ""}`}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      {props.open ? (
        <>
          <header class="dialog-head">
            <h2 id={titleId}>{props.title}</h2>
            <button type="button" class="dialog-close ghost" aria-label="Close" onClick={onClose}>
              ×
            </button>
          </header>
          <div class="dialog-body">{props.children}</div>
        </>
      ) : null}
    </dialog>
  );
}

export function Field(props: {
  label: string;
  children: ComponentChildren;
  hint?: string | undefined;
  /** Why the value was refused, shown under the control. */
  error?: string | undefined;
  class?: string;
}) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is passed in as a child
    <label class={`field ${props.class ?? ""}`}>
      <span class="field-label">{props.label}</span>
      {props.children}
      {props.error ? <span class="field-error">{props.error}</span> : null}
      {props.hint ? <span class="hint">{props.hint}</span> : null}
    </label>
  );
}

/** Debounces a changing value: the returned value follows `value` after `ms` of quiet. */
export function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function StatusBadge(props: { status: string }) {
  return <span class={`status status-${props.status.toLowerCase()}`}>{props.status}</span>;
}

export function CopyButton(props: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      class="ghost small"
      onClick={() => {
        void navigator.clipboard?.writeText(props.text).then(
          () => {
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          },
          () => {},
        );
      }}
    >
      {copied ? "Copied" : props.label}
    </button>
  );
}

/**
 * Runs `load` whenever `request` (what it asks for, "" for nothing) changes, aborting the load a
 * newer request replaces: only the latest answer or error is kept; `loading` lasts until then.
 */
export function useLatestLoad<T>(request: string, load: (signal: AbortSignal) => Promise<T>) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    if (!request) {
      setData(null);
      setError(null);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    loadRef
      .current(controller.signal)
      .then((answer) => {
        setData(answer);
        setError(null);
      })
      .catch((caught: unknown) => {
        if (controller.signal.aborted) return;
        setData(null);
        setError(caught);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [request]);
  return { data, error, loading };
}

/** A screen: a region named by its heading (`<id>-title`). */
export function Screen(props: {
  id: string;
  title: string;
  children: ComponentChildren;
  class?: string;
}) {
  return (
    <section aria-labelledby={`${props.id}-title`} class={props.class}>
      <h1 id={`${props.id}-title`}>{props.title}</h1>
      {props.children}
    </section>
  );
}
