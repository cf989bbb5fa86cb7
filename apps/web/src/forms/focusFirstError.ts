import type { FormErrors } from '@mantine/form';

interface FormWithInputNodes {
  getInputNode: (path: string) => HTMLElement | null;
}

/** Moves focus to the first field with an error, so keyboard and screen reader users land on it. */
export function focusFirstError(form: FormWithInputNodes, errors: FormErrors): void {
  const firstField = Object.keys(errors).find((field) => errors[field]);
  if (firstField) form.getInputNode(firstField)?.focus();
}
