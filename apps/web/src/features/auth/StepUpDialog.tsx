import { lazy, type ReactNode, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { setStepUpHandler } from '../../api/client';

// The dialog (a Mantine Modal, its focus trap and scroll lock, the passkey code) loads when a
// step-up is first asked for, not with every page's first bundle (decision 0060).
const StepUpModal = lazy(() =>
  Promise.all([import('./StepUpModal'), import('../../app/allStyles')]).then(([module]) => ({
    default: module.StepUpModal,
  })),
);

/**
 * Registers the step-up prompt with the API client (decision 0053): when a sensitive action
 * answers 403 step_up_required, this dialog asks for a code or a passkey, and the client sends
 * the same request again once the API accepted it. Cancelling lets the original error through.
 */
export function StepUpProvider({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  // Once loaded the dialog stays mounted, so closing it animates and gives focus back as before.
  const [asked, setAsked] = useState(false);
  const pending = useRef<((ok: boolean) => void) | null>(null);

  useEffect(() => {
    setStepUpHandler(
      () =>
        new Promise<boolean>((resolve) => {
          pending.current?.(false);
          pending.current = resolve;
          setAsked(true);
          setOpen(true);
        }),
    );
    return () => setStepUpHandler(null);
  }, []);

  const finish = useCallback((ok: boolean) => {
    pending.current?.(ok);
    pending.current = null;
    setOpen(false);
  }, []);

  return (
    <>
      {children}
      {asked && (
        <Suspense fallback={null}>
          <StepUpModal opened={open} onDone={() => finish(true)} onCancel={() => finish(false)} />
        </Suspense>
      )}
    </>
  );
}
