/** An in-app link: a real <a href> (new tab works) that navigates without a reload on a plain click. */
import type { ComponentChildren } from 'preact';
import { navigate, routePath, type Route } from '../lib/router.ts';

export function NavLink({ to, current, children, class: cls }: { to: Route; current: boolean; children: ComponentChildren; class?: string }) {
  return (
    <a
      href={routePath(to)}
      class={cls}
      aria-current={current ? 'page' : undefined}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}
