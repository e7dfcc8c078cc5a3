import { createTheme } from '@mantine/core'

export const theme = createTheme({
  primaryColor: 'indigo',
  // indigo.6 under white text is 4.3:1, below WCAG AA's 4.5:1; indigo.7 is 5:1.
  primaryShade: { light: 7, dark: 8 },
  defaultRadius: 'md',
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
  fontFamilyMonospace: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
})
