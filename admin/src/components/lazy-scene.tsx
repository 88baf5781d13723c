/** A scene whose code loads on first use (its own chunk, with whatever it alone imports). */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export function LazyScene({ name, load }: { name: string; load: () => Promise<ComponentType> }) {
  const [Scene, setScene] = useState<ComponentType | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    load().then(
      (c) => live && setScene(() => c),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, []);
  if (Scene) return <Scene />;
  return (
    <section class="page">
      <h1>{name}</h1>
      <p class="muted" role="status">
        {failed ? `Could not load ${name}. Check your connection and reload the page.` : `Loading ${name}…`}
      </p>
    </section>
  );
}
