import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from './harness';

/** `name{labels}` → value, for every sample line of a Prometheus text exposition. */
export function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

export async function scrape(client: Client, headers: Record<string, string> = {}) {
  const res = await client.get('/metrics', headers);
  if (res.status !== 200) throw new Error(`/metrics: ${res.status} ${JSON.stringify(res.body)}`);
  return { text: String(res.body), values: samples(String(res.body)), contentType: res.headers.get('content-type') };
}

/**
 * promtool from Debian's `prometheus` package. Absent outside CI: the checks are skipped with a
 * message; under CI=true its absence fails (.ci/run installs it).
 */
export function promtool(): string | null {
  const found = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  if (found.status === 0) return 'promtool';
  if (process.env.CI === 'true') throw new Error('promtool is missing under CI=true: apt-get install prometheus');
  console.warn('promtool not found (apt-get install prometheus): the promtool checks are skipped outside CI');
  return null;
}

/** Runs promtool; throws with its output when it finds a problem. */
export function runPromtool(args: string[], stdin?: string): string {
  try {
    return execFileSync('promtool', args, { input: stdin, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`promtool ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`, { cause: err });
  }
}

export function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'mv-metrics-')), name);
  writeFileSync(path, text);
  return path;
}
