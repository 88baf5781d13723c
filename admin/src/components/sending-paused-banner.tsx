/**
 * For admins, on every page while a number's sending is paused by an access-token problem (190
 * and kin): what happened, that nothing was lost, and where to save a new token.
 */
import type { Route } from '../lib/router.ts';
import { useApp } from '../context.ts';
import { useStore } from '../stores/store.ts';
import { NavLink } from './nav-link.tsx';

export function SendingPausedBanner({ route }: { route: Route }) {
  const { accountHealth } = useApp();
  const account = useStore(accountHealth.state);
  if (!account?.sending_paused) return null;
  const paused = account.numbers.filter((n) => n.token_problem);
  const which = paused.map((n) => (n.display_phone_number ? `+${n.display_phone_number.replace(/^\+/, '')}` : n.phone_number_id)).join(', ');
  const codes = [...new Set(paused.map((n) => n.token_problem!.code))].join(', ');
  return (
    <div class="banner banner-bad" role="alert" data-testid="sending-paused">
      <strong>WhatsApp sending is paused{which ? ` for ${which}` : ''}.</strong> Meta no longer accepts the access token (error {codes}). Nothing was lost:
      replies wait in the queue and go out as soon as a new token is saved.{' '}
      {route.name === 'settings' ? (
        <span>Save a new token for the number below.</span>
      ) : (
        <NavLink to={{ name: 'settings' }} current={false}>
          Save a new token in Settings
        </NavLink>
      )}
    </div>
  );
}
