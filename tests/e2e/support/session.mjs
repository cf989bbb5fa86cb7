// Signing in and out through the web app's own forms, as a person does.
import { STAFF } from './app.mjs';

/** Fills the sign-in form with the given account's password; whatever comes next is the caller's. */
export async function signInWithPassword(page, { email, password } = STAFF) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs out from the account menu and waits for the sign-in page. */
export async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.getByRole('menuitem', { name: 'Sign out', exact: true }).click();
  await page.waitForURL('**/login');
}
