import { Button, type ButtonProps, createPolymorphicComponent } from '@mantine/core';
import { IconChevronDown, IconLogout } from '@tabler/icons-react';
import { forwardRef, type ComponentPropsWithoutRef } from 'react';

/** The header's "Sign out ▾" button: the account menu's target, and its stand-in while it loads. */
export const AccountButton = createPolymorphicComponent<'button', ButtonProps>(
  forwardRef<HTMLButtonElement, ButtonProps & ComponentPropsWithoutRef<'button'>>(function AccountButton(props, ref) {
    return (
      <Button
        ref={ref}
        variant="default"
        size="xs"
        leftSection={<IconLogout size={16} aria-hidden />}
        rightSection={<IconChevronDown size={14} aria-hidden />}
        {...props}
      >
        Sign out
      </Button>
    );
  }),
);
