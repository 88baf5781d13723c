/** The few SQL spellings that differ between SQLite and PostgreSQL in the rollup SQL. */
export interface Dialect {
  name: 'sqlite' | 'pg';
  false: string;
  /** Null-safe "differs". */
  distinct(a: string, b: string): string;
}

export const SQLITE: Dialect = {
  name: 'sqlite',
  false: 'FALSE',
  distinct: (a, b) => `(${a} IS NOT ${b})`,
};

export const POSTGRES: Dialect = {
  name: 'pg',
  false: 'FALSE',
  distinct: (a, b) => `(${a} IS DISTINCT FROM ${b})`,
};
