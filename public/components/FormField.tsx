import type { ComponentChildren } from "preact";

type Props = {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  children: (describedBy: { "aria-invalid"?: true; "aria-describedby"?: string }) => ComponentChildren;
};

/** A label, the control `children` renders, and its error right under it, read out with it. */
export function FormField({ id, label, error, hint, children }: Props) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div class={error ? "field field-invalid" : "field"}>
      <label for={id}>{label}</label>
      {hint && <p class="field-hint" id={hintId}>{hint}</p>}
      {children({ ...(error ? { "aria-invalid": true as const } : {}), ...(describedBy ? { "aria-describedby": describedBy } : {}) })}
      {error && <p class="field-error" id={errorId}>{error}</p>}
    </div>
  );
}
