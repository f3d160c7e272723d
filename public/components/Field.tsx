import type { Ref } from "preact";

type FieldProps = {
  id: string;
  label: string;
  type?: "text" | "email";
  autocomplete: string;
  value: string;
  error?: string;
  optional?: boolean;
  inputRef?: Ref<HTMLInputElement>;
  onValue: (value: string) => void;
  onBlur?: () => void;
};

/** A labelled input, required unless `optional`, whose error message sits right under it and is read out with it. */
export function Field({ id, label, type = "text", autocomplete, value, error, optional = false, inputRef, onValue, onBlur }: FieldProps) {
  const errorId = `${id}-error`;
  return (
    <div class={error ? "field field-invalid" : "field"}>
      <label for={id}>{label}</label>
      <input
        id={id}
        ref={inputRef}
        // Preact's types tell inputs apart by a literal `type`, so a union has to be spread in.
        {...(type === "email" ? { type: "email" } as const : { type: "text" } as const)}
        autocomplete={autocomplete}
        spellcheck={false}
        required={!optional}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        onInput={(event) => onValue(event.currentTarget.value)}
        onBlur={onBlur}
      />
      {error && <p class="field-error" id={errorId}>{error}</p>}
    </div>
  );
}
