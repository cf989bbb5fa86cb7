/** Every list that can grow answers in this shape; pass `nextCursor` back as `?cursor=`. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Every error the API answers with. `message` is a list of per-field sentences for validation. */
export interface ApiError {
  statusCode: number;
  error: string;
  code: string;
  message: string | string[];
  fields?: Record<string, string[]>;
}
