import { useState } from 'react';
import { Anchor, SimpleGrid } from '@mantine/core';
import { Link } from 'react-router';
import { tenantSectionPath } from '../../../app/paths';
import { StepFooter, StepFrame, type StepProps } from './StepFrame';
import { TestTokenCard } from '../TestTokenCard';
import { TokenDebuggerCard } from '../TokenDebuggerCard';

/** After the five steps: issue a token for a test user, then check it (or any token) in the debugger. */
export function TestItStep({ tenantId, setup, headingRef, previousPath }: StepProps) {
  // A token issued on the left can be sent to the debugger on the right with one click.
  const [toDebug, setToDebug] = useState<{ token: string; nonce: number } | null>(null);
  return (
    <StepFrame
      title="Test it"
      why="Issue a token the way your backend will, then check it: the debugger decodes any Messenger JWT and explains whatever is wrong with it."
      headingRef={headingRef}
    >
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <TestTokenCard
          tenantId={tenantId}
          setup={setup}
          onDebug={(token) => setToDebug({ token, nonce: Date.now() })}
        />
        <TokenDebuggerCard tenantId={tenantId} incoming={toDebug} />
      </SimpleGrid>
      <StepFooter previousPath={previousPath}>
        <Anchor component={Link} to={tenantSectionPath(tenantId, 'integration')}>
          Next: add the code to your apps
        </Anchor>
      </StepFooter>
    </StepFrame>
  );
}
