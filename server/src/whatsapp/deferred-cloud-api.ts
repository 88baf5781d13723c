/**
 * The Cloud API client, available before it can be built: in sandbox mode its base URL is the
 * server's own URL, known only once it listens. Calls made earlier fail clearly.
 */
import type { CloudApi } from './graph-api.ts';

export class DeferredCloudApi implements CloudApi {
  private target: CloudApi | null = null;

  use(api: CloudApi): void {
    this.target = api;
  }

  private get api(): CloudApi {
    if (!this.target) throw new Error('the WhatsApp Cloud API client is not ready yet (the server is still starting)');
    return this.target;
  }

  sendMessage(...a: Parameters<CloudApi['sendMessage']>) {
    return this.api.sendMessage(...a);
  }
  markRead(...a: Parameters<CloudApi['markRead']>) {
    return this.api.markRead(...a);
  }
  uploadMedia(...a: Parameters<CloudApi['uploadMedia']>) {
    return this.api.uploadMedia(...a);
  }
  getMediaInfo(...a: Parameters<CloudApi['getMediaInfo']>) {
    return this.api.getMediaInfo(...a);
  }
  downloadMedia(...a: Parameters<CloudApi['downloadMedia']>) {
    return this.api.downloadMedia(...a);
  }
  listTemplates(...a: Parameters<CloudApi['listTemplates']>) {
    return this.api.listTemplates(...a);
  }
  getPhoneNumber(...a: Parameters<CloudApi['getPhoneNumber']>) {
    return this.api.getPhoneNumber(...a);
  }
  debugToken(...a: Parameters<CloudApi['debugToken']>) {
    return this.api.debugToken(...a);
  }
  subscribedApps(...a: Parameters<CloudApi['subscribedApps']>) {
    return this.api.subscribedApps(...a);
  }
  subscribeApp(...a: Parameters<CloudApi['subscribeApp']>) {
    return this.api.subscribeApp(...a);
  }
}
