import type { ComponentChildren } from "preact";
import { BusyButton, ErrorNote, Field } from "./ui.js";

/** A form that hands its submit to the page instead of navigating. */
export function Form(props: {
  onSubmit(): unknown;
  children: ComponentChildren;
  class?: string | undefined;
}) {
  return (
    <form
      class={props.class}
      onSubmit={(event) => {
        event.preventDefault();
        void props.onSubmit();
      }}
    >
      {props.children}
    </form>
  );
}

/** A form that runs an action: its fields, then the action's error, then a submit showing progress. */
export function ActionForm(props: {
  action: { run(): unknown; busy: boolean; error: unknown };
  busyLabel: string;
  submit: ComponentChildren;
  buttonClass: string;
  children: ComponentChildren;
  errorId?: string;
  class?: string;
  /** Keeps the submit off (e.g. nothing may be armed); `describedBy` names the reason shown. */
  disabled?: boolean;
  describedBy?: string | undefined;
}) {
  return (
    <Form class={props.class} onSubmit={props.action.run}>
      {props.children}
      <ErrorNote error={props.action.error} id={props.errorId} />
      <BusyButton
        busy={props.action.busy}
        busyLabel={props.busyLabel}
        class={props.buttonClass}
        disabled={props.disabled ?? false}
        describedBy={props.describedBy}
      >
        {props.submit}
      </BusyButton>
    </Form>
  );
}

/** The input attributes the terminal's fields use. */
interface InputProps {
  id?: string;
  name?: string;
  autocomplete?: string;
  required?: boolean;
  autofocus?: boolean;
  maxLength?: number;
  inputMode?: "decimal" | undefined;
  spellcheck?: boolean;
  "aria-invalid"?: "true" | undefined;
}

interface FieldProps {
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  value: string;
  onValue(value: string): void;
}

/** A labelled input whose text the caller keeps: `value` in, `onValue` with each change. */
export function TextField(props: InputProps & FieldProps & { password?: boolean }) {
  const { label, hint, error, onValue, password, ...input } = props;
  const onInput = (event: { currentTarget: HTMLInputElement }) =>
    onValue(event.currentTarget.value);
  return (
    <Field label={label} hint={hint} error={error}>
      {password ? (
        <input {...input} type="password" required onInput={onInput} />
      ) : (
        <input {...input} onInput={onInput} />
      )}
    </Field>
  );
}

/** A required password field; `autocomplete` says whether it is a new password or the current one. */
export function PasswordField(
  props: InputProps & FieldProps & { autocomplete: "new-password" | "current-password" },
) {
  return <TextField {...props} password />;
}

/** A number typed as text (amounts, prices, percents): a decimal keypad, no autofill. */
export function DecimalField(
  props: Omit<InputProps, "inputMode" | "autocomplete" | "aria-invalid"> &
    FieldProps & { invalid?: boolean },
) {
  const { invalid, ...field } = props;
  return (
    <TextField
      {...field}
      inputMode="decimal"
      autocomplete="off"
      aria-invalid={invalid ? "true" : undefined}
    />
  );
}
