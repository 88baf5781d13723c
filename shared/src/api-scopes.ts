/**
 * What an API token may do. A token acts as the agent who created it and only within its scopes;
 * a signed-in session is never limited by scopes. Creating tokens, creating admins and changing
 * roles need a signed-in admin session whatever the scopes (docs/API.md has the route table).
 */
export const API_SCOPES = ['conversations:read', 'conversations:write', 'templates', 'settings', 'team', 'reports'] as const;

export type ApiScope = (typeof API_SCOPES)[number];

/** What a token gets when created without `scopes`, and what tokens from before scopes existed got. */
export const DEFAULT_API_SCOPES: readonly ApiScope[] = ['conversations:read', 'conversations:write', 'templates'];

export const API_SCOPE_DESCRIPTIONS: Record<ApiScope, string> = {
  'conversations:read': 'read conversations, messages, media, agents and canned responses',
  'conversations:write': 'reply, send templates, upload media, assign, resolve and mark read',
  templates: 'list, preview and sync WhatsApp templates',
  settings: 'widget, canned responses, WhatsApp numbers, checklist and webhook deliveries',
  team: 'list, invite and remove agents (never admins); list and revoke API tokens',
  reports: 'read the reports (an agent token: that agent’s own figures)',
};

export function isApiScope(value: string): value is ApiScope {
  return (API_SCOPES as readonly string[]).includes(value);
}
