/** The cookie an agent's session travels in (admin app and admin socket). */
export const SESSION_COOKIE = 'cd_session';
