/** Runs `fn` in a transaction: the server's group commit (group-commit.ts), or a plain one. */
import type { Knex } from 'knex';

export type TxRunner = <T>(fn: (trx: Knex.Transaction) => Promise<T>) => Promise<T>;
