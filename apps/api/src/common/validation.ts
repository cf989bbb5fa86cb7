import { ValidationError, ValidationPipe } from '@nestjs/common';
import { validationError } from './errors';

function collect(errors: ValidationError[], prefix = '', out: Record<string, string[]> = {}): Record<string, string[]> {
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const messages = Object.values(error.constraints ?? {});
    if (messages.length) out[field] = [...(out[field] ?? []), ...messages];
    if (error.children?.length) collect(error.children, field, out);
  }
  return out;
}

/** Every body, query and param is whitelisted: unknown fields are refused with their name. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fields = collect(errors);
      for (const [field, messages] of Object.entries(fields)) {
        fields[field] = messages.map((m) =>
          m.startsWith('property ') ? `${field} is not a field this endpoint accepts; remove it.` : m,
        );
      }
      return validationError(fields);
    },
  });
}
