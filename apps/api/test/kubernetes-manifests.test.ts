import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import { Client } from 'pg';
import { parseAllDocuments } from 'yaml';
import { loadConfig, REPO_ROOT } from '../src/config/config';
import { ENV } from '../src/config/env.schema';
import { runCliCaptured } from './cli-runner';

// deploy/kubernetes/ checked the way CI can without a cluster: Kubernetes' own schemas
// (kubernetes-models) plus the rules this project adds on top of them.

const DIR = join(REPO_ROOT, 'deploy/kubernetes');
const SECRET_NAME = 'messenger-vault-secrets';
// The API's own SIGTERM deadline (apps/api/src/main.ts).
const SHUTDOWN_DEADLINE_SECONDS = 8;

interface Manifest {
  file: string;
  doc: Record<string, any>;
}

interface Validatable {
  validate(): void;
}
const MODELS: Record<string, new (data: any) => Validatable> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
};

// kubernetes-models accepts unknown fields; a misspelt `readinesProbe` would pass it silently.
const CONTAINER_FIELDS = new Set([
  ...['name', 'image', 'imagePullPolicy', 'command', 'args', 'workingDir', 'ports', 'env', 'envFrom'],
  ...['resources', 'resizePolicy', 'restartPolicy', 'volumeMounts', 'volumeDevices', 'livenessProbe'],
  ...['readinessProbe', 'startupProbe', 'lifecycle', 'terminationMessagePath', 'terminationMessagePolicy'],
  ...['securityContext', 'stdin', 'stdinOnce', 'tty'],
]);

const KNOWN = new Map(ENV.map((v) => [v.name, v]));

function parse(file: string, text: string): Manifest[] {
  return parseAllDocuments(text).map((d) => {
    if (d.errors.length) throw new Error(`${file}: ${d.errors.map((e) => e.message).join('; ')}`);
    return { file, doc: d.toJS() as Record<string, any> };
  });
}

function readManifests(files: string[]): Manifest[] {
  return files.flatMap((f) => parse(f, readFileSync(join(DIR, f), 'utf8')));
}

function documentedSecretKeys(): Set<string> {
  const [secret] = readManifests(['secret.example.yaml']);
  return new Set(Object.keys(secret!.doc.stringData ?? {}));
}

function podSpec(doc: Record<string, any>): Record<string, any> | undefined {
  return doc.kind === 'Deployment' || doc.kind === 'Job' ? doc.spec?.template?.spec : undefined;
}

/** Every problem found, each naming its file and object; empty when all is well. */
function lint(manifests: Manifest[], secretKeys: Set<string>): string[] {
  const problems: string[] = [];
  const configMaps = new Map<string, Record<string, string>>();
  for (const { doc } of manifests) if (doc.kind === 'ConfigMap') configMaps.set(doc.metadata?.name, doc.data ?? {});

  for (const { file, doc } of manifests) {
    const where = `${file} ${doc.kind}/${doc.metadata?.name}`;
    const Model = MODELS[`${doc.apiVersion}/${doc.kind}`];
    if (!Model) {
      problems.push(`${where}: ${doc.apiVersion} ${doc.kind} is not a kind this check knows`);
      continue;
    }
    try {
      new Model(doc).validate();
    } catch (err) {
      problems.push(`${where}: ${(err as Error).message}`);
    }

    if (doc.kind === 'Secret' && (Object.keys(doc.data ?? {}).length || Object.keys(doc.stringData ?? {}).length))
      problems.push(`${where}: a Secret with values in the repository`);
    if (doc.kind === 'ConfigMap')
      for (const key of Object.keys(doc.data ?? {})) {
        const decl = KNOWN.get(key);
        if (!decl) problems.push(`${where}: ${key} is no variable of env.schema.ts`);
        else if (decl.secret) problems.push(`${where}: ${key} is secret; it belongs in ${SECRET_NAME}`);
      }

    const spec = podSpec(doc);
    if (!spec) continue;
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      const at = `${where} container ${c.name}`;
      for (const field of Object.keys(c))
        if (!CONTAINER_FIELDS.has(field)) problems.push(`${at}: unknown field ${field}`);
      const image = String(c.image ?? '');
      const tag = /^[^@]+:([^:/@]+)$/.exec(image)?.[1];
      if (!image.includes('@') && (!tag || tag === 'latest'))
        problems.push(`${at}: image ${image} has no pinned tag (latest or none)`);
      if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory)
        problems.push(`${at}: no cpu and memory requests`);
      if (!c.resources?.limits?.memory) problems.push(`${at}: no memory limit`);
      if (c.securityContext?.allowPrivilegeEscalation !== false) problems.push(`${at}: may escalate privileges`);
      if (spec.securityContext?.runAsNonRoot !== true && c.securityContext?.runAsNonRoot !== true)
        problems.push(`${at}: may run as root`);

      for (const e of c.env ?? []) {
        const decl = KNOWN.get(e.name);
        if (!decl) {
          problems.push(`${at}: ${e.name} is no variable of env.schema.ts`);
          continue;
        }
        if (e.value !== undefined && decl.secret) problems.push(`${at}: secret ${e.name} set inline`);
        const ref = e.valueFrom?.secretKeyRef;
        if (ref && (ref.name !== SECRET_NAME || !secretKeys.has(ref.key)))
          problems.push(`${at}: ${e.name} reads ${ref.name}/${ref.key}, not a key of the documented Secret`);
      }
      for (const from of c.envFrom ?? []) {
        if (from.secretRef) problems.push(`${at}: envFrom a whole Secret; name each key with secretKeyRef`);
        if (from.configMapRef && !configMaps.has(from.configMapRef.name))
          problems.push(`${at}: ConfigMap ${from.configMapRef.name} is not among the manifests`);
      }

      if (doc.kind !== 'Deployment') continue;
      const probe = (p: any) => (p?.httpGet ? p.httpGet.path : undefined);
      if (probe(c.readinessProbe) !== '/readyz') problems.push(`${at}: readinessProbe is not GET /readyz`);
      if (probe(c.livenessProbe) !== '/healthz') problems.push(`${at}: livenessProbe is not GET /healthz`);
      if (!probe(c.startupProbe)) problems.push(`${at}: no startupProbe`);
      const sleep = Number(c.lifecycle?.preStop?.exec?.command?.[1] ?? c.lifecycle?.preStop?.sleep?.seconds ?? 0);
      if (!sleep) problems.push(`${at}: no preStop sleep; the Service would still route to a stopping pod`);
      if (!(Number(spec.terminationGracePeriodSeconds ?? 30) > sleep + SHUTDOWN_DEADLINE_SECONDS))
        problems.push(`${at}: terminationGracePeriodSeconds leaves no time to shut down after the preStop sleep`);
    }
  }
  return problems;
}

function kustomization(): { resources: string[]; images: { name: string; newTag?: string }[] } {
  return parse('kustomization.yaml', readFileSync(join(DIR, 'kustomization.yaml'), 'utf8'))[0]!.doc as any;
}

function applied(): Manifest[] {
  return readManifests(kustomization().resources);
}

function byKind(manifests: Manifest[], kind: string): Record<string, any> {
  const found = manifests.find((m) => m.doc.kind === kind);
  if (!found) throw new Error(`no ${kind}`);
  return found.doc;
}

describe('deploy/kubernetes', () => {
  test('every manifest kustomization.yaml applies passes the Kubernetes schemas and the project rules', () => {
    const manifests = applied();
    expect(manifests.map((m) => m.doc.kind).sort()).toEqual(
      [
        'ConfigMap',
        'Deployment',
        'HorizontalPodAutoscaler',
        'Job',
        'Namespace',
        'NetworkPolicy',
        'PodDisruptionBudget',
        'Service',
      ].sort(),
    );
    expect(lint(manifests, documentedSecretKeys())).toEqual([]);
  });

  test('every YAML file is applied by kustomization.yaml or is an *.example.yaml kept out of it', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    const { resources, images } = kustomization();
    expect(resources.sort()).toEqual(files.filter((f) => !f.endsWith('.example.yaml')).sort());
    for (const image of images) expect(image.newTag ?? '').toMatch(/^(?!latest$)[\w.-]+$/);
  });

  test('the documented Secret holds every secret variable the pods read, and no value', () => {
    const keys = documentedSecretKeys();
    const [secret] = readManifests(['secret.example.yaml']);
    expect(Object.values(secret!.doc.stringData)).toEqual([...keys].map(() => ''));
    for (const key of keys) expect({ key, secret: KNOWN.get(key)?.secret }).toEqual({ key, secret: true });
    const deployment = byKind(applied(), 'Deployment');
    const read = deployment.spec.template.spec.containers[0].env.map((e: any) => e.valueFrom.secretKeyRef.key);
    expect(read.sort()).toEqual([...keys].sort());
    // Also schema-valid as a Secret once filled in.
    expect(lint([{ file: 'secret.example.yaml', doc: { ...secret!.doc, stringData: {} } }], keys)).toEqual([]);
  });

  test('the ConfigMap with the Secret filled in is a production configuration the API accepts', () => {
    const data = byKind(applied(), 'ConfigMap').data as Record<string, string>;
    const key = randomBytes(32).toString('base64');
    const config = loadConfig({
      ...data,
      DATABASE_URL: 'postgres://vault:pw@db.example.internal:5432/vault',
      VAULT_KEYRING: `k1:${key}`,
      METRICS_TOKEN: randomBytes(24).toString('hex'),
    });
    expect(config.nodeEnv).toBe('production');
    expect(data.TRUST_PROXY).toMatch(/^(\d+|[\d./,a-z]+)$/);
    expect(data.REMINDER_CRON).toBeDefined();
  });

  test('Service, PodDisruptionBudget, HorizontalPodAutoscaler and NetworkPolicy point at the API pods', () => {
    const manifests = applied();
    const deployment = byKind(manifests, 'Deployment');
    const labels = deployment.spec.template.metadata.labels;
    const ports = deployment.spec.template.spec.containers[0].ports.map((p: any) => p.name);
    const matches = (selector: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);
    const service = byKind(manifests, 'Service');
    expect(matches(service.spec.selector)).toBe(true);
    expect(ports).toContain(service.spec.ports[0].targetPort);
    expect(matches(byKind(manifests, 'PodDisruptionBudget').spec.selector.matchLabels)).toBe(true);
    expect(matches(byKind(manifests, 'NetworkPolicy').spec.podSelector.matchLabels)).toBe(true);
    const hpa = byKind(manifests, 'HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'messenger-vault' });
    expect(hpa.spec.minReplicas).toBeGreaterThan(byKind(manifests, 'PodDisruptionBudget').spec.minAvailable);
    // The pool budget the ConfigMap and the CloudNativePG example document.
    const pool = Number(byKind(manifests, 'ConfigMap').data.DATABASE_POOL_SIZE);
    const [cluster] = readManifests(['cnpg-cluster.example.yaml']);
    expect(hpa.spec.maxReplicas * pool + 1).toBeLessThan(
      Number(cluster!.doc.spec.postgresql.parameters.max_connections),
    );
  });

  test('the migration Job runs the CLI the image contains', () => {
    const job = byKind(applied(), 'Job');
    const [container] = job.spec.template.spec.containers;
    expect(container.command).toEqual(['node', 'apps/api/dist/apps/api/src/cli/main.js', 'migrate']);
    const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('COPY --from=build /app/apps/api/dist ./apps/api/dist');
    expect(dockerfile).toMatch(/CMD \["node", "apps\/api\/dist\/apps\/api\/src\/main\.js"\]/);
  });

  test("the migration Job's command, with the ConfigMap and a filled-in Secret, migrates an empty database", async () => {
    const job = byKind(applied(), 'Job');
    const [container] = job.spec.template.spec.containers;
    const server = process.env.MV_TEST_SERVER_URL!;
    const name = `mv_k8s_${process.pid}_${randomBytes(4).toString('hex')}`;
    const onServer = async (sql: string) => {
      const admin = new Client({ connectionString: server });
      await admin.connect();
      await admin.query(sql).finally(() => admin.end());
    };
    await onServer(`CREATE DATABASE "${name}"`);
    try {
      const url = new URL(server);
      url.pathname = `/${name}`;
      const run = await runCliCaptured(container.command.slice(2), {
        ...byKind(applied(), 'ConfigMap').data,
        DATABASE_URL: url.toString(),
        VAULT_KEYRING: `k1:${randomBytes(32).toString('base64')}`,
      });
      expect(run).toMatchObject({ code: 0, err: '' });
      const db = new Client({ connectionString: url.toString() });
      await db.connect();
      const { rows } = await db.query('SELECT count(*)::int AS n FROM schema_migrations').finally(() => db.end());
      expect(rows[0].n).toBeGreaterThan(0);
    } finally {
      await onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  });

  test('the ServiceMonitor example scrapes like deploy/prometheus/prometheus.yml', () => {
    const [monitor] = readManifests(['servicemonitor.example.yaml']);
    const service = byKind(applied(), 'Service');
    const [endpoint] = monitor!.doc.spec.endpoints;
    expect(endpoint.port).toBe(service.spec.ports[0].name);
    expect(endpoint.path).toBe('/metrics');
    expect(endpoint.authorization).toEqual({
      type: 'Bearer',
      credentials: { name: SECRET_NAME, key: 'METRICS_TOKEN' },
    });
    expect(documentedSecretKeys()).toContain('METRICS_TOKEN');
    const prometheus = readFileSync(join(REPO_ROOT, 'deploy/prometheus/prometheus.yml'), 'utf8');
    expect(prometheus).toContain('job_name: messenger-vault');
    expect(prometheus).toContain('metrics_path: /metrics');
  });

  describe('the check fails on a broken manifest', () => {
    const keys = documentedSecretKeys();
    const deployment = () => structuredClone(byKind(applied(), 'Deployment'));
    const container = (d: Record<string, any>) => d.spec.template.spec.containers[0];
    const problems = (doc: Record<string, any>) =>
      lint([...applied().filter((m) => m.doc.kind === 'ConfigMap'), { file: 'broken.yaml', doc }], keys);

    test('the intact Deployment passes', () => {
      expect(problems(deployment())).toEqual([]);
    });

    test.each<[string, (d: Record<string, any>) => void, RegExp]>([
      ['a field of the wrong type', (d) => (d.spec.replicas = 'two'), /spec\/replicas must be integer/],
      ['a missing required field', (d) => delete d.spec.selector, /spec must have required property selector/],
      [
        'a misspelt field',
        (d) => (container(d).readinesProbe = container(d).readinessProbe),
        /unknown field readinesProbe/,
      ],
      [
        'readiness on /healthz',
        (d) => (container(d).readinessProbe.httpGet.path = '/healthz'),
        /readinessProbe is not GET \/readyz/,
      ],
      ['no liveness probe', (d) => delete container(d).livenessProbe, /livenessProbe is not GET \/healthz/],
      ['no resource requests', (d) => delete container(d).resources.requests, /no cpu and memory requests/],
      ['the latest tag', (d) => (container(d).image = 'registry.example.com/messenger-vault:latest'), /no pinned tag/],
      ['no tag', (d) => (container(d).image = 'registry.example.com/messenger-vault'), /no pinned tag/],
      [
        'an unknown variable',
        (d) => container(d).env.push({ name: 'VAULT_KEYS', value: 'x' }),
        /VAULT_KEYS is no variable/,
      ],
      [
        'the keyring inline',
        (d) => (container(d).env[1] = { name: 'VAULT_KEYRING', value: 'k1:AAAA' }),
        /secret VAULT_KEYRING set inline/,
      ],
      [
        'a key the documented Secret lacks',
        (d) => (container(d).env[0].valueFrom.secretKeyRef.key = 'DB_URL'),
        /messenger-vault-secrets\/DB_URL, not a key of the documented Secret/,
      ],
      ['no preStop sleep', (d) => delete container(d).lifecycle, /no preStop sleep/],
      [
        'too short a grace period',
        (d) => (d.spec.template.spec.terminationGracePeriodSeconds = 12),
        /terminationGracePeriodSeconds/,
      ],
    ])('%s', (_name, breakIt, expected) => {
      const d = deployment();
      breakIt(d);
      expect(problems(d).join('\n')).toMatch(expected);
    });

    test('a Secret with a value, and a secret in the ConfigMap', () => {
      expect(
        lint(
          [
            {
              file: 's.yaml',
              doc: {
                apiVersion: 'v1',
                kind: 'Secret',
                metadata: { name: SECRET_NAME },
                stringData: { VAULT_KEYRING: 'k1:AAAA' },
              },
            },
          ],
          keys,
        ),
      ).toEqual([`s.yaml Secret/${SECRET_NAME}: a Secret with values in the repository`]);
      const configMap = structuredClone(byKind(applied(), 'ConfigMap'));
      configMap.data.METRICS_TOKEN = 'x'.repeat(40);
      configMap.data.NODE_OPTIONS = '--max-old-space-size=400';
      expect(lint([{ file: 'c.yaml', doc: configMap }], keys)).toEqual([
        'c.yaml ConfigMap/messenger-vault-config: METRICS_TOKEN is secret; it belongs in messenger-vault-secrets',
        'c.yaml ConfigMap/messenger-vault-config: NODE_OPTIONS is no variable of env.schema.ts',
      ]);
    });

    test('a YAML syntax error and a kind the check does not know', () => {
      expect(() => parse('bad.yaml', 'kind: Service\n  metadata: [\n')).toThrow(/bad\.yaml/);
      expect(
        lint(
          [{ file: 'i.yaml', doc: { apiVersion: 'extensions/v1beta1', kind: 'Ingress', metadata: { name: 'x' } } }],
          keys,
        ),
      ).toEqual(['i.yaml Ingress/x: extensions/v1beta1 Ingress is not a kind this check knows']);
    });
  });
});
