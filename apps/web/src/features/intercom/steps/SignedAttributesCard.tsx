import {
  CUSTOM_ATTRIBUTE_LIMITS,
  CUSTOM_ATTRIBUTE_NAME_PATTERN,
  CUSTOM_ATTRIBUTE_TYPES,
  RESERVED_ATTRIBUTE_NAMES,
  SESSION_DURATION_LIMITS,
  type CustomAttributeRule,
  type CustomAttributeType,
  type IntercomSetup,
} from '@messenger-vault/contracts';
import { useState } from 'react';
import {
  ActionIcon,
  Alert,
  Button,
  Card,
  Group,
  NumberInput,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconTrash } from '@tabler/icons-react';
import { errorMessage } from '../../../forms/apiErrors';
import { useUpdateSettings } from '../hooks';
import { useTenantReadOnly } from '../../tenants/editLock';

interface Row {
  name: string;
  type: CustomAttributeType;
  maxLength: number | string;
}

/** What is wrong with one row, in the API's own terms; null when it is fine. */
export function attributeRowError(row: Row, names: string[]): string | null {
  if (row.name === '') return 'Give the attribute a name.';
  if (RESERVED_ATTRIBUTE_NAMES.has(row.name)) return `"${row.name}" is reserved by the token or by Intercom.`;
  if (!CUSTOM_ATTRIBUTE_NAME_PATTERN.test(row.name) || row.name.length > CUSTOM_ATTRIBUTE_LIMITS.nameMaxLength)
    return 'Start with a letter; then letters, digits and underscores only.';
  if (names.filter((n) => n === row.name).length > 1) return 'Listed twice.';
  if (row.type === 'string' && row.maxLength !== '') {
    const n = Number(row.maxLength);
    if (!Number.isInteger(n) || n < 1 || n > CUSTOM_ATTRIBUTE_LIMITS.stringMaxLength)
      return `Longest value: 1–${CUSTOM_ATTRIBUTE_LIMITS.stringMaxLength} characters.`;
  }
  return null;
}

const toRows = (rules: CustomAttributeRule[]): Row[] =>
  rules.map((r) => ({ name: r.name, type: r.type, maxLength: r.maxLength ?? '' }));

/**
 * Step 4, signed data (issue 15 item 5): which custom attributes token requests may sign, and
 * the Messenger's session_duration. Saved apart from the lifetime form above it.
 */
export function SignedAttributesCard({ tenantId, setup }: { tenantId: string; setup: IntercomSetup }) {
  const update = useUpdateSettings(tenantId);
  const readOnly = useTenantReadOnly();
  const [rows, setRows] = useState<Row[]>(() => toRows(setup.customAttributes));
  const [session, setSession] = useState<number | string>(setup.sessionDurationSeconds ?? '');
  const names = rows.map((r) => r.name);
  const errors = rows.map((row) => attributeRowError(row, names));
  const sessionError =
    session === '' ||
    (Number.isInteger(Number(session)) &&
      Number(session) >= SESSION_DURATION_LIMITS.min &&
      Number(session) <= SESSION_DURATION_LIMITS.max)
      ? null
      : `Between ${SESSION_DURATION_LIMITS.min} (5 minutes) and ${SESSION_DURATION_LIMITS.max} (7 days) seconds, or empty for Intercom's default.`;
  const invalid = errors.some((e) => e !== null) || sessionError !== null;

  const setRow = (index: number, change: Partial<Row>) =>
    setRows((current) => current.map((row, i) => (i === index ? { ...row, ...change } : row)));

  const save = () =>
    update.mutate(
      {
        customAttributes: rows.map((r) => ({
          name: r.name,
          type: r.type,
          ...(r.type === 'string' && r.maxLength !== '' ? { maxLength: Number(r.maxLength) } : {}),
        })),
        sessionDurationSeconds: session === '' ? null : Number(session),
      },
      {
        onSuccess: () => notifications.show({ color: 'green', message: 'Signed attributes saved.' }),
        onError: (e) =>
          notifications.show({ color: 'red', title: "Couldn't save the signed attributes", message: errorMessage(e) }),
      },
    );

  return (
    <Card withBorder padding="md" radius="md" component="section" aria-labelledby="signed-attributes-heading">
      <Stack gap="sm">
        <Title order={3} size="h4" id="signed-attributes-heading">
          Signed custom attributes
        </Title>
        <Text size="sm">
          With “Require verified updates” on in Intercom, attributes sent from the browser are ignored unless the token
          signs them. List the ones your backend may send as <code>custom_attributes</code>; any other name, or a value
          of another type, is refused.
        </Text>
        {setup.identityMode === 'hmac' && (
          <Alert color="orange" p="xs">
            Legacy HMAC cannot sign attributes: requests with custom_attributes are refused until you switch to JWT in
            step 5.
          </Alert>
        )}
        {rows.map((row, index) => (
          <Group key={index} align="flex-start" wrap="nowrap" gap="xs">
            <TextInput
              label="Name"
              value={row.name}
              onChange={(e) => setRow(index, { name: e.currentTarget.value.trim() })}
              error={errors[index]}
              maxLength={CUSTOM_ATTRIBUTE_LIMITS.nameMaxLength}
              disabled={readOnly}
              style={{ flex: 2 }}
            />
            <Select
              label="Type"
              data={[...CUSTOM_ATTRIBUTE_TYPES]}
              value={row.type}
              onChange={(v) => v && setRow(index, { type: v as CustomAttributeType })}
              allowDeselect={false}
              disabled={readOnly}
              style={{ flex: 1 }}
            />
            <NumberInput
              label="Longest value"
              placeholder={String(CUSTOM_ATTRIBUTE_LIMITS.stringMaxLength)}
              value={row.maxLength}
              onChange={(v) => setRow(index, { maxLength: v })}
              disabled={readOnly || row.type !== 'string'}
              min={1}
              max={CUSTOM_ATTRIBUTE_LIMITS.stringMaxLength}
              allowDecimal={false}
              clampBehavior="none"
              style={{ flex: 1 }}
            />
            <ActionIcon
              variant="subtle"
              color="red"
              mt={26}
              aria-label={`Remove ${row.name || 'this attribute'}`}
              onClick={() => setRows((current) => current.filter((_, i) => i !== index))}
              disabled={readOnly}
            >
              <IconTrash size={16} aria-hidden />
            </ActionIcon>
          </Group>
        ))}
        <Group>
          <Button
            variant="subtle"
            onClick={() => setRows((current) => [...current, { name: '', type: 'string', maxLength: '' }])}
            disabled={readOnly || rows.length >= CUSTOM_ATTRIBUTE_LIMITS.maxAttributes}
          >
            Add an attribute
          </Button>
        </Group>
        <NumberInput
          label="Messenger session duration (seconds)"
          description="How long a Messenger session lasts before the user is treated as new (Intercom's session_duration). Token responses carry it; pass it to the Messenger's boot settings. Empty: Intercom's default."
          value={session}
          onChange={setSession}
          error={sessionError}
          min={SESSION_DURATION_LIMITS.min}
          max={SESSION_DURATION_LIMITS.max}
          allowDecimal={false}
          clampBehavior="none"
          disabled={readOnly}
        />
        <Group>
          <Button variant="light" onClick={save} disabled={invalid || readOnly} loading={update.isPending}>
            Save signed attributes
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
