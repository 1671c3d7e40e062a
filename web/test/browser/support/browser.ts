import type { Page } from 'playwright-core';

export { launchBrowser, type TestBrowser } from '@wikistream/tools/testing/browser';

/** Everything a page did that a test may want to refuse: errors, CSP reports, requests, dialogs. */
export interface PageWatch {
  readonly consoleErrors: string[];
  readonly pageErrors: string[];
  readonly requests: string[];
  readonly dialogs: string[];
  cspViolations(): Promise<string[]>;
}

export async function watchPage(page: Page): Promise<PageWatch> {
  const watch = {
    consoleErrors: [] as string[],
    pageErrors: [] as string[],
    requests: [] as string[],
    dialogs: [] as string[],
  };
  await page.addInitScript(() => {
    const violations: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = violations;
    document.addEventListener('securitypolicyviolation', (event) => {
      violations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  page.on('console', (message) => {
    if (message.type() === 'error') watch.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => watch.pageErrors.push(error.message));
  page.on('request', (request) => watch.requests.push(request.url()));
  page.on('dialog', (dialog) => {
    watch.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return {
    ...watch,
    cspViolations: () => page.evaluate(() => [...((window as unknown as { __csp?: string[] }).__csp ?? [])]),
  };
}
