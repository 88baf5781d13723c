/**
 * axe-core (the npm package) run inside the page under test. Injected with `page.evaluate`, which
 * the admin app's CSP does not apply to, so the app is checked exactly as it ships. axe descends
 * into open shadow roots, so the widget is checked too.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Every rule axe has (WCAG 2.x A/AA and best practices); violations only, as short lines. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }>;
        };
      }
    ).axe;
    const res = await axe.run(document, { resultTypes: ['violations'] });
    return res.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)) }));
  });
}

/** "id (impact): help — targets" per violation: readable in a failed assertion. */
export function describeViolations(list: AxeViolation[]): string[] {
  return list.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.targets.join(' ')}`);
}
