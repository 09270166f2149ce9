// Labelled form fields. The label names its control, and the help text, where there is one, is
// tied to the control (aria-describedby) as `<id>-help`, so that a screen reader reads both.
// A field that names its place in the request body (`path`) shows, under it, the errors a
// failed request gave for that place, in the console's language (the server answers in it),
// tied to the control as `<id>-error`.
import type { ComponentChildren } from 'preact';
import { CODE_PATTERN, NAME_MAX } from '../../../shared/rules.ts';
import { ApiError } from '../api.ts';
import { useI18n } from '../i18n.ts';

interface FieldProps {
  id: string;
  label: ComponentChildren;
  help?: ComponentChildren;
  value: string;
  onValue: (value: string) => void;
  required?: boolean;
  disabled?: boolean;
  /** The field's name in the request body, as the API's field errors give it. */
  path?: string;
  /** The last failure of the form's request: its field errors for `path` show here. */
  failure?: unknown;
  /** A refusal the page picked out itself (fieldError), when one control stands for several paths. */
  error?: string | undefined;
}

type Described = Pick<FieldProps, 'id' | 'help' | 'path' | 'failure' | 'error'>;

/** The messages of the failure's field errors for the field's path, and the page's own. */
const errorsOf = ({ path, failure, error }: Described): string[] => [
  ...(path !== undefined && failure instanceof ApiError
    ? failure.errors.filter((e) => e.path === path).map((e) => e.message)
    : []),
  ...(error ? [error] : []),
];

/** The control's aria attributes: what describes it, and whether it was refused. */
function describedBy(props: Described) {
  const ids = [
    props.help ? `${props.id}-help` : undefined,
    errorsOf(props).length > 0 ? `${props.id}-error` : undefined,
  ].filter((id) => id !== undefined);
  return {
    'aria-describedby': ids.length > 0 ? ids.join(' ') : undefined,
    'aria-invalid': errorsOf(props).length > 0 ? true : undefined,
  };
}

function Field(props: Described & Pick<FieldProps, 'label'> & { children: ComponentChildren }) {
  const errors = errorsOf(props);
  return (
    <div class={errors.length > 0 ? 'field field-invalid' : 'field'}>
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.help ? (
        <p id={`${props.id}-help`} class="help">
          {props.help}
        </p>
      ) : null}
      {errors.length > 0 ? (
        <p id={`${props.id}-error`} class="field-error">
          {errors.join('; ')}
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
  const { label, help, onValue, path, failure, error, ...input } = props;
  return (
    <Field id={props.id} label={label} help={help} path={path} failure={failure} error={error}>
      <input {...input} {...describedBy(props)} onInput={(e) => onValue(e.currentTarget.value)} />
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

type AccountFieldProps = Omit<FieldProps, 'label' | 'help' | 'required' | 'path'>;

/** A staff account's login: for signing in (`username`) or for a new account (`off`). */
export function LoginField(
  props: AccountFieldProps & { name?: string; autoComplete: 'username' | 'off' },
) {
  const { t } = useI18n();
  return <TextField {...props} label={t.loginLabel} path="login" spellcheck={false} required />;
}

/** A staff account's display name: a person's full name. */
export function PersonNameField(props: AccountFieldProps) {
  const { t } = useI18n();
  return <NameField {...props} label={t.nameLabel} path="name" required />;
}

/** The password one signs in with, or gives to prove it is them. */
export function PasswordField(
  props: AccountFieldProps & Pick<FieldProps, 'label'> & { name?: string; path: string },
) {
  return <TextField {...props} type="password" autoComplete="current-password" required />;
}

/** A password chosen now, with its rule; required unless said otherwise. */
export function NewPasswordField(
  props: AccountFieldProps & Pick<FieldProps, 'label' | 'help' | 'required'>,
) {
  const { t } = useI18n();
  return (
    <TextField
      help={t.passwordHelp}
      required
      {...props}
      path="password"
      type="password"
      autoComplete="new-password"
    />
  );
}

/** Free text of several lines: an explanation, a reason, a comment. */
export function TextAreaField(props: FieldProps & { rows?: number; maxLength?: number }) {
  const { label, help, onValue, path, failure, error, ...area } = props;
  return (
    <Field id={props.id} label={label} help={help} path={path} failure={failure} error={error}>
      <textarea
        rows={3}
        {...area}
        {...describedBy(props)}
        onInput={(e) => onValue(e.currentTarget.value)}
      />
    </Field>
  );
}

export function SelectField(props: FieldProps & { children: ComponentChildren }) {
  const { label, help, onValue, children, path, failure, error, ...select } = props;
  return (
    <Field id={props.id} label={label} help={help} path={path} failure={failure} error={error}>
      <select {...select} {...describedBy(props)} onChange={(e) => onValue(e.currentTarget.value)}>
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
  const { label, help, onFile, path, failure, error, ...input } = props;
  return (
    <Field id={props.id} label={label} help={help} path={path} failure={failure} error={error}>
      <input
        {...input}
        type="file"
        {...describedBy(props)}
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
