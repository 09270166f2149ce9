// Labelled form fields. The label names its control, and the help text, where there is one, is
// tied to the control (aria-describedby) as `<id>-help`, so that a screen reader reads both.
import type { ComponentChildren } from 'preact';
import { CODE_PATTERN, NAME_MAX } from '../../../shared/rules.ts';
import { useI18n } from '../i18n.ts';

interface FieldProps {
  id: string;
  label: ComponentChildren;
  help?: ComponentChildren;
  value: string;
  onValue: (value: string) => void;
  required?: boolean;
  disabled?: boolean;
  /** The server's refusal of this field's value, in the console's language (fieldError). */
  error?: string | undefined;
}

/** The help and the error, which the control is described by. */
const describedBy = (props: Pick<FieldProps, 'id' | 'help' | 'error'>) =>
  [props.help ? `${props.id}-help` : '', props.error ? `${props.id}-error` : '']
    .filter(Boolean)
    .join(' ') || undefined;

function Field(
  props: Pick<FieldProps, 'id' | 'label' | 'help' | 'error'> & { children: ComponentChildren },
) {
  return (
    <div class={props.error ? 'field field-invalid' : 'field'}>
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.help ? (
        <p id={`${props.id}-help`} class="help">
          {props.help}
        </p>
      ) : null}
      {props.error ? (
        <p id={`${props.id}-error`} class="field-error">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** The input types the console uses: each its own member, as Preact types them one by one. */
type InputType = { type?: 'text' } | { type: 'password' } | { type: 'date' } | { type: 'number' };

export function TextField(
  props: FieldProps &
    InputType & {
      name?: string;
      class?: string;
      pattern?: string;
      maxLength?: number;
      min?: string | number;
      max?: string;
      step?: number;
      inputMode?: 'numeric';
      autoComplete?: 'off' | 'username' | 'current-password' | 'new-password' | 'name';
      spellcheck?: boolean;
    },
) {
  const { label, help, error, onValue, ...input } = props;
  return (
    <Field id={props.id} label={label} help={help} error={error}>
      <input
        {...input}
        aria-describedby={describedBy(props)}
        aria-invalid={error ? true : undefined}
        onInput={(e) => onValue(e.currentTarget.value)}
      />
    </Field>
  );
}

/** A code as the API accepts it, with the rule in words beside it. */
export function CodeField(props: Omit<FieldProps, 'help'>) {
  const { t } = useI18n();
  return <TextField {...props} required pattern={CODE_PATTERN} help={t.codeHelp} />;
}

export function NameField(props: FieldProps) {
  return <TextField {...props} maxLength={NAME_MAX} />;
}

export function SelectField(props: FieldProps & { children: ComponentChildren }) {
  const { label, help, error, onValue, children, ...select } = props;
  return (
    <Field id={props.id} label={label} help={help} error={error}>
      <select
        {...select}
        aria-describedby={describedBy(props)}
        aria-invalid={error ? true : undefined}
        onChange={(e) => onValue(e.currentTarget.value)}
      >
        {children}
      </select>
    </Field>
  );
}

/** A file to send: `onFile` has the file chosen, or null once the choice is cleared. */
export function FileField(
  props: Omit<FieldProps, 'value' | 'onValue'> & {
    accept: string;
    onFile: (file: File | null) => void;
  },
) {
  const { label, help, error, onFile, ...input } = props;
  return (
    <Field id={props.id} label={label} help={help} error={error}>
      <input
        {...input}
        type="file"
        aria-describedby={describedBy(props)}
        onChange={(e) => onFile(e.currentTarget.files?.[0] ?? null)}
      />
    </Field>
  );
}

/** The options of a choice among units, counters or campaigns: each by its code and name. */
export function CodeOptions(props: { items: readonly { code: string; name: string }[] }) {
  return (
    <>
      {props.items.map((item) => (
        <option key={item.code} value={item.code}>
          {item.code} — {item.name}
        </option>
      ))}
    </>
  );
}
