/**
 * Settings on real SQLite, where this process is the only writer and keeps a copy of what it read:
 * reads after the first cost no query, a save is seen at once (also by a read that raced it), and
 * a value that no longer parses falls back to the schema's defaults.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { useTempSqlite } from '../../../test-support/temp-sqlite.ts';
import { SettingsRepo } from './settings-repo.ts';

const Schema = z.object({ greeting: z.string().default('Hi'), on: z.boolean().default(false) });

function countQueries(db: { on(event: 'query', fn: () => void): unknown }): () => number {
  let n = 0;
  db.on('query', () => (n += 1));
  return () => n;
}

describe('SettingsRepo', () => {
  const tmp = useTempSqlite();

  it('gives the defaults when unset, and reads the database once for many gets', async () => {
    const repo = new SettingsRepo(tmp.db);
    const queries = countQueries(tmp.db);
    expect(await repo.get('widget', Schema)).toEqual({ greeting: 'Hi', on: false });
    const after = queries();
    for (let i = 0; i < 5; i++) expect(await repo.get('widget', Schema)).toEqual({ greeting: 'Hi', on: false });
    expect(queries()).toBe(after);
    expect(await repo.text('basis').get()).toBeNull();
  });

  it('sees a save at once, including from a read that started before the write finished', async () => {
    const repo = new SettingsRepo(tmp.db);
    await repo.set('widget', { greeting: 'Hello' });
    expect(await repo.get('widget', Schema)).toEqual({ greeting: 'Hello', on: false });
    const saving = repo.set('widget', { greeting: 'Bonjour', on: true });
    const racing = repo.get('widget', Schema);
    await Promise.all([saving, racing]);
    expect(await repo.get('widget', Schema)).toEqual({ greeting: 'Bonjour', on: true });
    // What was kept is what is stored.
    expect(await new SettingsRepo(tmp.db).get('widget', Schema)).toEqual({ greeting: 'Bonjour', on: true });
    await repo.text('basis').set('calendar');
    expect(await repo.text('basis').get()).toBe('calendar');
  });

  it('hands out copies: a caller changing what it got does not change the next read', async () => {
    const repo = new SettingsRepo(tmp.db);
    await repo.set('widget', { greeting: 'Hello' });
    const first = await repo.get('widget', Schema);
    first.greeting = 'changed by a caller';
    expect((await repo.get('widget', Schema)).greeting).toBe('Hello');
  });

  it('falls back to the defaults for a stored value that no longer parses', async () => {
    const repo = new SettingsRepo(tmp.db);
    await tmp.db('settings').insert({ key: 'widget', value: '{not json', updated_at: 1 });
    expect(await repo.get('widget', Schema)).toEqual({ greeting: 'Hi', on: false });
    await repo.set('widget', { greeting: 42 });
    expect(await repo.get('widget', Schema)).toEqual({ greeting: 'Hi', on: false });
  });
});
