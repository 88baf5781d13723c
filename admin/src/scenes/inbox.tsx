/** The inbox: conversation list, the open conversation and the contact panel, live. */
import { useEffect, useState } from 'preact/hooks';
import type { Agent } from '../api/types.ts';
import { ContactPanel } from '../components/contact-panel.tsx';
import { ConversationList } from '../components/conversation-list.tsx';
import { ConversationView } from '../components/conversation-view.tsx';
import { useApp } from '../context.ts';
import { useStore } from '../stores/store.ts';

export function InboxScene({ conversationId }: { conversationId: string | null }) {
  const { inbox, api } = useApp();
  const thread = useStore(inbox.thread);
  const [agents, setAgents] = useState<Agent[]>([]);
  const [contactOpen, setContactOpen] = useState(false);

  useEffect(() => {
    void inbox.load();
    api.agents().then(
      (r) => setAgents(r.data),
      () => setAgents([]),
    );
  }, [inbox, api]);

  useEffect(() => {
    void inbox.open(conversationId);
  }, [inbox, conversationId]);

  const conversation = conversationId && thread.conversationId === conversationId ? thread.conversation : null;

  return (
    <div class={`inbox${conversationId ? ' has-open' : ''}${contactOpen ? ' contact-open' : ''}`}>
      <ConversationList openId={conversationId} />
      {conversation ? (
        <>
          <ConversationView conversation={conversation} agents={agents} contactOpen={contactOpen} onToggleContact={() => setContactOpen((v) => !v)} />
          <ContactPanel conversation={conversation} onClose={() => setContactOpen(false)} />
        </>
      ) : (
        <section class="conv-empty" aria-label="No conversation open">
          {conversationId && thread.error ? (
            <p class="form-error" role="alert">
              {thread.error}
            </p>
          ) : conversationId ? (
            <p class="muted" role="status">
              Loading…
            </p>
          ) : (
            <div class="empty-state">
              <h2>Inbox</h2>
              <p>Pick a conversation on the left.</p>
              <p class="muted">
                Keyboard: <kbd>j</kbd>/<kbd>k</kbd> or arrows to move, <kbd>Enter</kbd> to open, <kbd>/</kbd> to search.
              </p>
            </div>
          )}
        </section>
      )}
    </div>
  );
}
