import { Foundation1732550000000 } from './1732550000000-foundation';

/** Every migration, oldest first. Listed explicitly so the same list runs from sources and from dist. */
export const MIGRATIONS = [Foundation1732550000000];
