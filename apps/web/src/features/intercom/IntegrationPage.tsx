import type { IdentityMode, Region } from '@messenger-vault/contracts';
import { Alert, Anchor, Card, Stack, Tabs, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { Link, useParams } from 'react-router';
import { setupPath, tenantSectionPath } from '../../app/paths';
import { CopyableCode } from '../../components/CopyableCode';
import { ErrorState, LoadingState } from '../../components/PageStates';
import { useIntercomSetup } from './hooks';
import { buildSnippets, snippetValues, type SnippetVariant } from './snippets';

/** `/tenants/:tenantId/integration`: the code for each platform, with this tenant's values in it. */
export function IntegrationPage() {
  const { tenantId = '' } = useParams();
  const setup = useIntercomSetup(tenantId);
  useDocumentTitle('Integration · Messenger Vault');

  return (
    <Stack gap="md">
      <Stack gap={4}>
        <Title order={2}>Integration</Title>
        <Text c="dimmed" maw={720}>
          Add these to your backend and apps. Your APP_ID and Messenger address are already filled in; the API key stays
          on your server and the apps only ever see short-lived tokens.
        </Text>
      </Stack>
      {setup.isPending && <LoadingState label="Loading the Intercom setup…" />}
      {setup.isError && (
        <ErrorState title="Couldn't load the Intercom setup" error={setup.error} onRetry={() => setup.refetch()} />
      )}
      {setup.isSuccess && (
        <Snippets
          tenantId={tenantId}
          appId={setup.data.appId}
          apiBase={setup.data.apiBase}
          identityMode={setup.data.identityMode}
          region={setup.data.region}
        />
      )}
    </Stack>
  );
}

function Snippets({
  tenantId,
  appId,
  apiBase,
  identityMode,
  region,
}: {
  tenantId: string;
  appId: string | null;
  apiBase: string;
  identityMode: IdentityMode;
  region: Region;
}) {
  const snippets = buildSnippets(
    snippetValues({
      appId,
      apiBase,
      tenantId,
      vaultUrl: window.location.origin,
      identityMode,
      region,
    }),
  );
  return (
    <Stack gap="md">
      {!appId && (
        <Alert color="orange" title="No APP_ID yet">
          The code below says YOUR_APP_ID until you{' '}
          <Anchor component={Link} to={setupPath(tenantId, 'app-id')} inherit>
            add the APP_ID in step 1
          </Anchor>
          .
        </Alert>
      )}
      <Text size="sm">
        Your backend needs an API key to ask for tokens:{' '}
        <Anchor component={Link} to={tenantSectionPath(tenantId, 'api-keys')} inherit>
          create one on the API keys page
        </Anchor>
        .
      </Text>
      <Card withBorder padding={0} radius="md">
        <Tabs defaultValue={snippets[0]!.id} keepMounted={false}>
          <Tabs.List style={{ overflowX: 'auto', flexWrap: 'nowrap' }}>
            {snippets.map((snippet) => (
              <Tabs.Tab key={snippet.id} value={snippet.id}>
                {snippet.title}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          {snippets.map((snippet) => (
            <Tabs.Panel key={snippet.id} value={snippet.id} p="md">
              <Stack gap="sm">
                <Text size="sm">{snippet.intro}</Text>
                {snippet.links.map((link) => (
                  <Anchor key={link.url} href={link.url} target="_blank" rel="noopener noreferrer" size="sm">
                    {link.label}
                  </Anchor>
                ))}
                <CopyableCode code={snippet.code} label={`${snippet.title} code`} />
                {snippet.variants && <SnippetVariants title={snippet.title} variants={snippet.variants} />}
              </Stack>
            </Tabs.Panel>
          ))}
        </Tabs>
      </Card>
    </Stack>
  );
}

/** The same call as a runnable program per language: the files under examples/backend/, CI-tested. */
function SnippetVariants({ title, variants }: { title: string; variants: SnippetVariant[] }) {
  return (
    <Stack gap="xs">
      <Text size="sm">
        Or as a program in your server&apos;s language. The API key comes from the MESSENGER_VAULT_API_KEY environment
        variable, and errors show the API&apos;s code and message.
      </Text>
      <Tabs variant="pills" defaultValue={variants[0]!.id} keepMounted={false}>
        <Tabs.List aria-label={`${title} code by language`}>
          {variants.map((variant) => (
            <Tabs.Tab key={variant.id} value={variant.id}>
              {variant.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {variants.map((variant) => (
          <Tabs.Panel key={variant.id} value={variant.id} pt="xs">
            <Stack gap={4}>
              <Text size="xs" c="dimmed">
                {variant.file}
              </Text>
              <CopyableCode code={variant.code} label={`${title} code in ${variant.label}`} />
            </Stack>
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
