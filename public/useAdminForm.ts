import { useRef, useState } from "preact/hooks";
import type { ApiError } from "./api.ts";

type Errors<F extends string> = Partial<Record<F, string>>;

/**
 * What an operations form does on submit: its own checks first, then the request; the API's
 * refusals land on their fields like the form's, the first field in error (in `order`) takes the
 * focus, and a 401 signs the admin out. Fields are the elements with the ids `<prefix>-<field>`.
 */
export function useAdminForm<F extends string>({ prefix, order, onSaved, onDenied }: {
  prefix: string; order: readonly F[]; onSaved: (message: string) => void; onDenied: () => void;
}) {
  const [errors, setErrors] = useState<Errors<F>>({});
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  const focusFirst = (found: Errors<F>) => {
    const first = order.find((field) => found[field]);
    if (first) form.current?.querySelector<HTMLElement>(`#${prefix}-${first}`)?.focus();
  };

  /** Sends with `send` (which answers the message to show) unless `found` holds an error; `fromApi` maps the API's refusal onto fields. */
  async function submit(found: Errors<F>, send: () => Promise<string>, fromApi: (error: ApiError) => Errors<F> | undefined) {
    if (busy) return;
    setErrors(found);
    setFailure(undefined);
    if (Object.keys(found).length > 0) return focusFirst(found);
    setBusy(true);
    try {
      onSaved(await send());
    } catch (error) {
      const failed = error as ApiError;
      if (failed.status === 401) return onDenied();
      const onFields = fromApi(failed);
      if (onFields) {
        setErrors(onFields);
        focusFirst(onFields);
      } else setFailure(failed.message);
    } finally {
      setBusy(false);
    }
  }

  /** Forgets `field`'s error once it is edited. */
  const clear = (...fields: F[]) => setErrors((e) => ({ ...e, ...Object.fromEntries(fields.map((f) => [f, undefined])) }));

  return { form, errors, failure, busy, submit, clear };
}
