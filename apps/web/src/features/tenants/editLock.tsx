import { createContext, type ReactNode, useContext } from 'react';
import classes from './editLock.module.css';

/**
 * Staff open any tenant read-only, so a look around can't change a tenant's live setup by accident
 * (`StaffViewBanner` has the switch that unlocks it). The tenant's forms read the lock here rather
 * than each page asking who is signed in.
 */
const TenantReadOnlyContext = createContext(false);

export function TenantReadOnlyProvider({ readOnly, children }: { readOnly: boolean; children: ReactNode }) {
  return <TenantReadOnlyContext.Provider value={readOnly}>{children}</TenantReadOnlyContext.Provider>;
}

/** True while staff view a tenant without having turned editing on. */
export function useTenantReadOnly(): boolean {
  return useContext(TenantReadOnlyContext);
}

/**
 * Wraps a form's fields and buttons: while the tenant is read-only, a disabled `<fieldset>`
 * disables every control inside it, as the browser does natively (and Mantine styles), without
 * each input having to know. Links inside stay usable. Always rendered, so unlocking keeps what
 * was typed.
 */
export function EditLock({ children }: { children: ReactNode }) {
  const readOnly = useTenantReadOnly();
  return (
    <fieldset disabled={readOnly} className={classes.lock}>
      {children}
    </fieldset>
  );
}
