import { ActionIcon, Box, Code, CopyButton, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import classes from './CopyableCode.module.css';

/** A block of code or a token with a button that copies it; `label` names it for the button. */
export function CopyableCode({ code, label, wrap = false }: { code: string; label: string; wrap?: boolean }) {
  return (
    <Box className={classes.root}>
      <Code
        block
        className={wrap ? classes.wrap : classes.scroll}
        // A block that scrolls sideways must be reachable by keyboard to be scrolled.
        {...(wrap ? {} : { tabIndex: 0, role: 'region', 'aria-label': label })}
      >
        {code}
      </Code>
      <CopyButton value={code} timeout={2000}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? 'Copied' : 'Copy'} withArrow position="left">
            <ActionIcon
              className={classes.copy}
              variant={copied ? 'filled' : 'default'}
              color={copied ? 'teal' : undefined}
              onClick={copy}
              aria-label={copied ? `Copied ${label}` : `Copy ${label}`}
            >
              {copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Box>
  );
}
