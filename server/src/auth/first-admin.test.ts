import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { ensureFirstAdmin } from './first-admin.ts';

const logger = createLogger({ level: 'silent' });

/** A user store of `existing` users whose createUser does `create` (then counts the user). */
function world(existing: number, create: (u: { email: string; password: string }) => Promise<void> = async () => {}) {
  let count = existing;
  const created: Array<{ email: string; password: string; role: string }> = [];
  const announced: string[] = [];
  return {
    created,
    announced,
    deps: (admin: { email: string; password: string } | null) => ({
      users: { count: async () => count },
      auth: {
        createUser: async (u: { email: string; password: string; role: 'admin' | 'agent' }) => {
          await create(u);
          created.push(u);
          count++;
          return u as never;
        },
      },
      admin,
      logger,
      announce: (line: string) => announced.push(line),
    }),
    addUser: () => count++,
  };
}

describe('ensureFirstAdmin', () => {
  it('creates the admin from ADMIN_EMAIL on an empty database, and announces nothing', async () => {
    const w = world(0);
    expect(await ensureFirstAdmin(w.deps({ email: 'owner@example.com', password: 'a-long-password' }))).toBeNull();
    expect(w.created).toEqual([expect.objectContaining({ email: 'owner@example.com', password: 'a-long-password', role: 'admin' })]);
    expect(w.announced).toEqual([]);
  });

  it('without ADMIN_EMAIL generates one, announces it once and returns it', async () => {
    const w = world(0);
    const made = await ensureFirstAdmin(w.deps(null));
    expect(made).toEqual({ email: 'admin@connectdesk.local', password: expect.stringMatching(/^\S{12,}$/) });
    expect(w.created).toEqual([expect.objectContaining({ ...made, role: 'admin' })]);
    expect(w.announced).toEqual([expect.stringContaining(made!.password)]);
  });

  it('does nothing once a user exists', async () => {
    const w = world(1);
    expect(await ensureFirstAdmin(w.deps(null))).toBeNull();
    expect(w.created).toEqual([]);
    expect(w.announced).toEqual([]);
  });

  it('loses a race to another node quietly, and fails loudly when nobody won', async () => {
    const lost = world(0);
    const racing = world(0, async () => {
      lost.addUser(); // another node created its admin first
      throw new Error('UNIQUE constraint failed');
    });
    const deps = { ...racing.deps(null), users: lost.deps(null).users };
    expect(await ensureFirstAdmin(deps)).toBeNull();
    expect(racing.announced).toEqual([]);

    const broken = world(0, async () => {
      throw new Error('database is read-only');
    });
    await expect(ensureFirstAdmin(broken.deps(null))).rejects.toThrow('database is read-only');
  });
});
