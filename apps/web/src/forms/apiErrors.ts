import { isApiRequestError } from '../api/client';

export interface ApiErrorsForForm {
  /** The API's per-field messages for fields this form shows, ready for `form.setErrors`. */
  fieldErrors: Record<string, string>;
  /** Everything else, shown above the submit button. */
  formMessages: string[];
}

/** Splits an API error between the form's own fields and a message for the whole form. */
export function apiErrorsForForm(error: unknown, formFields: readonly string[]): ApiErrorsForForm {
  if (!isApiRequestError(error)) {
    return { fieldErrors: {}, formMessages: [errorMessage(error)] };
  }
  const fieldErrors: Record<string, string> = {};
  const otherFieldMessages: string[] = [];
  for (const [field, messages] of Object.entries(error.fields)) {
    if (formFields.includes(field)) fieldErrors[field] = messages.join(' ');
    else otherFieldMessages.push(...messages);
  }
  const answeredPerField = Object.keys(fieldErrors).length > 0 || otherFieldMessages.length > 0;
  return { fieldErrors, formMessages: answeredPerField ? otherFieldMessages : error.messages };
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong. Try again.';
}
