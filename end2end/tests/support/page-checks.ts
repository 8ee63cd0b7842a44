import type { Page } from '@playwright/test';

/**
 * Collects console errors, uncaught exceptions and failed requests on a page.
 * A test expects the returned list to be empty at its end.
 *
 * With JavaScript switched off, Chromium still sees the page's script and
 * module-preload tags and refuses them itself (reported as "csp"); those
 * refusals are what "JavaScript off" means, not failures of the app.
 */
export function watchForErrors(page: Page, options: { javaScript?: boolean } = {}): string[] {
  const javaScript = options.javaScript ?? true;
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`exception: ${error.message}`));
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? 'unknown';
    const blockedScript = !javaScript && reason === 'csp' && ['script', 'fetch'].includes(request.resourceType());
    if (!blockedScript) errors.push(`request failed: ${request.url()} (${reason})`);
  });
  return errors;
}
