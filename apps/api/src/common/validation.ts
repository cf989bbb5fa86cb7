import { ValidationError, ValidationPipe } from '@nestjs/common';
import { validationError } from './errors';
import { FieldProblems } from './field-problems';

// Field names come from the client (an unknown `toString` key is one): keep them in a Map.
function collect(errors: ValidationError[], prefix = '', out = new FieldProblems()): FieldProblems {
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {}))
      out.add(
        field,
        message.startsWith('property ') ? `${field} is not a field this endpoint accepts; remove it.` : message,
      );
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
    exceptionFactory: (errors) => validationError(collect(errors).toRecord()),
  });
}
