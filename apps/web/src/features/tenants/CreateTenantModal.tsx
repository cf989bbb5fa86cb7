import type { Tenant } from '@messenger-vault/contracts';
import { Alert, Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { apiErrorsForForm } from '../../forms/apiErrors';
import { focusFirstError } from '../../forms/focusFirstError';
import { TENANT_NAME_MAX_LENGTH, tenantNameError } from '../../forms/rules';
import { useCreateTenant } from './hooks';

const FIELDS = ['name'] as const;

/** Staff only: creates a tenant from its name. */
export function CreateTenantModal({
  opened,
  onClose,
  onCreated,
}: {
  opened: boolean;
  onClose: () => void;
  onCreated: (tenant: Tenant) => void;
}) {
  const create = useCreateTenant();
  const form = useForm({
    name: 'create-tenant',
    mode: 'uncontrolled',
    initialValues: { name: '' },
    validate: { name: tenantNameError },
  });

  const close = () => {
    form.reset();
    create.reset();
    onClose();
  };

  const handleSubmit = form.onSubmit(
    ({ name }) =>
      create.mutate(
        { name: name.trim() },
        {
          onSuccess: (tenant) => {
            close();
            onCreated(tenant);
          },
          onError: (error) => {
            const { fieldErrors } = apiErrorsForForm(error, FIELDS);
            form.setErrors(fieldErrors);
            focusFirstError(form, fieldErrors);
          },
        },
      ),
    (errors) => focusFirstError(form, errors),
  );

  const formMessages = create.error ? apiErrorsForForm(create.error, FIELDS).formMessages : [];

  return (
    <Modal opened={opened} onClose={close} title="Create a tenant">
      <form onSubmit={handleSubmit} noValidate>
        <Stack>
          <TextInput
            label="Name"
            description={`The white-label app's name, up to ${TENANT_NAME_MAX_LENGTH} characters.`}
            withAsterisk
            data-autofocus
            key={form.key('name')}
            {...form.getInputProps('name')}
          />
          {formMessages.length > 0 && (
            <Alert color="red" title="Couldn't create the tenant">
              {formMessages.join(' ')}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create tenant
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
