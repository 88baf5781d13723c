/** What the sandbox's route handlers share, built once by createSandbox. */
import type { Logger } from '../logger.ts';
import type { Faults } from './faults.ts';
import type { SendLimits } from './rate-limits.ts';
import type { SandboxState } from './state.ts';
import type { StatusFlow } from './status-flow.ts';
import type { TemplateBook } from './template-book.ts';
import type { BusinessNumber } from './webhook-payloads.ts';
import type { WebhookSender } from './webhook-sender.ts';

export interface SandboxContext {
  business: BusinessNumber;
  accessToken: string | null;
  allowedRecipients: ReadonlySet<string> | null;
  chaos: boolean;
  state: SandboxState;
  /** The account's templates, with the lifecycle events applied so far. */
  templates: TemplateBook;
  limits: SendLimits;
  flow: StatusFlow;
  sender: WebhookSender;
  faults: Faults;
  /** Whether the app is subscribed to the WABA's webhooks (`/{waba-id}/subscribed_apps`). */
  subscription: { subscribed: boolean };
  logger: Logger;
  now: () => number;
  /** Signs short-lived media URLs. */
  mediaUrlKey: Buffer;
  /** Aborted by stop(): held requests and timers let go. */
  stopSignal: AbortSignal;
}
