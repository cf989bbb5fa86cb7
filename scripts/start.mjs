// `npm start`: build what is stale, then run the API (which serves the web app) in this process,
// so SIGTERM reaches it directly and it can stop the embedded PostgreSQL cleanly.
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from './build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
build();
await import(pathToFileURL(join(root, 'apps/api/dist/apps/api/src/main.js')).href);
