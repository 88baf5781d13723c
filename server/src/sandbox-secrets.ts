/**
 * The sandbox's webhook secrets — the app secret that signs its webhooks and the verify token of
 * the handshake — are random per install: generated once into DATA_DIR/sandbox-secrets.json (mode
 * 0600, like app.key) and read from there on every start, so they survive restarts and are shared
 * by nodes on one DATA_DIR. WHATSAPP_APP_SECRET / WHATSAPP_WEBHOOK_SECRET still override them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { generateSecret, type Config } from './config.ts';

const SecretsFileSchema = z.object({ app_secret: z.string().min(16), verify_token: z.string().min(16) });
type SandboxSecrets = z.infer<typeof SecretsFileSchema>;

const SANDBOX_SECRETS_FILE = 'sandbox-secrets.json';

/** Read DATA_DIR's sandbox secrets, creating them on the first start. */
function loadSandboxSecrets(dataDir: string): SandboxSecrets {
  const file = path.join(dataDir, SANDBOX_SECRETS_FILE);
  const fresh: SandboxSecrets = { app_secret: generateSecret(), verify_token: generateSecret() };
  // Written whole under a temporary name, then linked into place: a node starting beside this one
  // sees either no file or the complete one, and only one of them wins.
  const tmp = `${file}.${process.pid}.${generateSecret().slice(0, 8)}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(fresh) + '\n', { mode: 0o600, flag: 'wx' });
  try {
    fs.linkSync(tmp, file);
    return fresh;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  let stored: unknown;
  try {
    stored = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    stored = null;
  }
  const parsed = SecretsFileSchema.safeParse(stored);
  if (!parsed.success) throw new Error(`${file} is damaged: delete it to generate new sandbox secrets`);
  return parsed.data;
}

/** The configuration with this install's sandbox secrets where the environment set none. */
export function withSandboxSecrets(config: Config): Config {
  const wa = config.whatsapp;
  if (config.mode !== 'sandbox' || (!wa.appSecretGenerated && !wa.verifyTokenGenerated)) return config;
  const stored = loadSandboxSecrets(config.dataDir);
  return Object.freeze({
    ...config,
    whatsapp: Object.freeze({
      ...wa,
      appSecret: wa.appSecretGenerated ? stored.app_secret : wa.appSecret,
      verifyToken: wa.verifyTokenGenerated ? stored.verify_token : wa.verifyToken,
    }),
  });
}
