import { type CSSVariablesResolver, createTheme } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  // Shade 6 of indigo is 4.3:1 on white, just under WCAG AA for links; 7 passes.
  primaryShade: { light: 7, dark: 8 },
  defaultRadius: 'md',
  // Transitions are skipped for people who asked their system for less motion.
  respectReducedMotion: true,
  // Close buttons are icons only; without a name a screen reader announces just "button". Set by
  // component name rather than `Modal.extend`, which would pull Modal into the first page's code.
  components: {
    Modal: { defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } },
    Notification: { defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss' } } },
  },
});

const LIGHT_VARIANT_COLORS = ['red', 'orange', 'yellow', 'green', 'teal', 'blue', 'indigo', 'gray'];

/**
 * Contrast fixes for WCAG AA (4.5:1 for text), in light mode:
 * - Mantine's "dimmed" grey is 3.3:1 on white; a shade darker keeps the hierarchy and passes.
 * - "light" badges and alerts put shade 9 text on shade 1, 3.8:1 for green; the text is darkened.
 */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    ...Object.fromEntries(
      LIGHT_VARIANT_COLORS.map((color) => [
        `--mantine-color-${color}-light-color`,
        `color-mix(in srgb, var(--mantine-color-${color}-9) 70%, black)`,
      ]),
    ),
  },
  dark: { '--mantine-color-dimmed': 'var(--mantine-color-dark-1)' },
});
