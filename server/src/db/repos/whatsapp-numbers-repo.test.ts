import { beforeEach, describe, expect, it } from 'vitest';
import { WhatsAppNumbersRepo } from './whatsapp-numbers-repo.ts';
import { useTempSqlite } from '../../../test-support/temp-sqlite.ts';

describe('the default WhatsApp number on SQLite (kept between writes)', () => {
  const tmp = useTempSqlite();
  let numbers: WhatsAppNumbersRepo;

  beforeEach(() => {
    numbers = new WhatsAppNumbersRepo(tmp.db);
  });

  it('reads the table once, and again after every write through the repository', async () => {
    expect(await numbers.defaultNumber()).toBeNull();
    const first = await numbers.upsert('100000000000001', { isDefault: true, targetPhone: '+15550100001' });
    expect((await numbers.defaultNumber())?.id).toBe(first.id);

    let selects = 0;
    const count = () => (selects += 1);
    tmp.db.on('query', count);
    try {
      await Promise.all([numbers.defaultNumber(), numbers.defaultNumber(), numbers.defaultNumber()]);
      expect(selects).toBe(0);
    } finally {
      tmp.db.off('query', count);
    }

    // The owner's phone changes, then the default moves to another number, then that one goes.
    await numbers.upsert('100000000000001', { targetPhone: '+15550100009' });
    expect((await numbers.defaultNumber())?.targetPhone).toBe('+15550100009');
    const second = await numbers.upsert('100000000000002', { isDefault: true });
    await numbers.upsert('100000000000001', { isDefault: false });
    expect((await numbers.defaultNumber())?.id).toBe(second.id);
    await numbers.remove(second.id);
    expect((await numbers.defaultNumber())?.id).toBe(first.id);
  });
});
