/**
 * Adaptive Card inputs as the cards built in code use them. Every input has a label (a screen
 * reader reads it, and a required one is marked with a star), and every input with a constraint
 * (required, a first or last date) says what is wrong under it: `errorMessage` is part of the type,
 * so no button is left silent when the client refuses to send (the card guards check it too).
 */

type Common = { id: string; label: string; value?: string };
type Choice = { title: string; value: string };

export function textInput(
  o: Common & { maxLength: number; multiline?: boolean; placeholder?: string } & ({ required: true; error: string } | { required?: false }),
): object {
  return {
    type: 'Input.Text',
    id: o.id,
    label: o.label,
    maxLength: o.maxLength,
    ...(o.multiline ? { isMultiline: true } : {}),
    ...(o.placeholder ? { placeholder: o.placeholder } : {}),
    ...(o.required ? { isRequired: true, errorMessage: o.error } : {}),
    ...(o.value !== undefined ? { value: o.value } : {}),
  };
}

/** A date; with `min`/`max` or `required` it must say what is wrong (`error`). */
export function dateInput(o: Common & { required?: boolean; min?: string; max?: string; error: string }): object {
  return {
    type: 'Input.Date',
    id: o.id,
    label: o.label,
    errorMessage: o.error,
    ...(o.required ? { isRequired: true } : {}),
    ...(o.min ? { min: o.min } : {}),
    ...(o.max ? { max: o.max } : {}),
    ...(o.value !== undefined ? { value: o.value } : {}),
  };
}

export function choiceInput(
  o: Common & { choices: readonly Choice[]; multi?: boolean; expanded?: boolean } & (
      { required: true; error: string } | { required?: false }
    ),
): object {
  return {
    type: 'Input.ChoiceSet',
    id: o.id,
    label: o.label,
    choices: o.choices,
    ...(o.multi ? { isMultiSelect: true } : {}),
    ...(o.expanded || o.multi ? { style: 'expanded' } : {}),
    ...(o.required ? { isRequired: true, errorMessage: o.error } : {}),
    ...(o.value !== undefined ? { value: o.value } : {}),
  };
}

export function toggleInput(o: Common & { title: string } & ({ required: true; error: string } | { required?: false })): object {
  return {
    type: 'Input.Toggle',
    id: o.id,
    label: o.label,
    title: o.title,
    valueOn: 'true',
    valueOff: 'false',
    value: o.value ?? 'false',
    ...(o.required ? { isRequired: true, errorMessage: o.error } : {}),
  };
}

/** A short heading between groups of inputs. */
export function heading(text: string): object {
  return { type: 'TextBlock', text, weight: 'Bolder', wrap: true, spacing: 'Medium' };
}
