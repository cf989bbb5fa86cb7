import { runCli } from '../src/cli/main';
import { TEST_KEYRING } from './harness';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/**
 * Runs a CLI command in this process, as `npm run cli -- ...` would, capturing what it prints.
 * The command reads its configuration from the environment; `env` is set for the run only
 * (the test keyring by default, as every test app uses).
 */
export async function runCliCaptured(
  argv: string[],
  env: Record<string, string> = { VAULT_KEYRING: TEST_KEYRING },
): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  process.stderr.write = ((chunk: string | Uint8Array) => (
    err.push(String(chunk)),
    true
  )) as typeof process.stderr.write;
  try {
    const code = await runCli(argv, (l) => out.push(l));
    return { code, out: out.join('\n'), err: err.join('') };
  } finally {
    process.stderr.write = write;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
