/**
 * A statement of the hot paths, built with knex's query builder but compiled once per SQL dialect
 * and then run as raw SQL with each call's values. A builder compiles itself on every run (a query
 * builder, a compiler, a formatter and a raw for each `raw` inside it): on the visitor path that
 * was most of what knex allocates per message (BENCHMARKS.md). Here the builder runs once, with a
 * marker in place of each value; its SQL is kept, and a run binds the values in the order the
 * markers took. It still runs through knex (`db.raw`): the same connection, transaction, pool,
 * `query` events and debug log as any query.
 *
 * The builder must give every value a marker (`slot`) or a constant: its shape — which columns,
 * which conditions — is fixed once compiled. A statement whose shape depends on its input is one
 * CompiledStatement per shape.
 */
import type { Knex } from 'knex';

/** No value a caller binds starts with NUL, so a marker is never mistaken for a value. */
const MARKER = '\u0000slot:';

type Binding = { slot: string } | { value: unknown };

interface Compiled {
  sql: string;
  bindings: Binding[];
}

/** The rows of a `db.raw` answer: SQLite's driver gives the rows, PostgreSQL's a result holding them. */
export function rawRows<R>(result: unknown): R[] {
  return Array.isArray(result) ? (result as R[]) : (result as { rows: R[] }).rows;
}

export class CompiledStatement<K extends string> {
  /** By dialect (`client.dialect`): one server talks to one database, tests to both. */
  private readonly byDialect = new Map<string, Compiled>();

  constructor(private readonly build: (db: Knex, slot: (name: K) => string) => Knex.QueryBuilder | Knex.Raw) {}

  /** The rows the statement returns (a select, or a write with `returning`). */
  async rows<R>(db: Knex, values: Record<K, unknown>): Promise<R[]> {
    const compiled = this.compiledFor(db);
    const bindings = compiled.bindings.map((b) => ('slot' in b ? values[b.slot as K] : b.value));
    return rawRows<R>(await db.raw(compiled.sql, bindings as Knex.RawBinding[]));
  }

  /** The first row, or null. */
  async first<R>(db: Knex, values: Record<K, unknown>): Promise<R | null> {
    return (await this.rows<R>(db, values))[0] ?? null;
  }

  /** The SQL as compiled for this database (tests, and the curious). */
  sqlFor(db: Knex): string {
    return this.compiledFor(db).sql;
  }

  private compiledFor(db: Knex): Compiled {
    const dialect = (db.client as { dialect: string }).dialect;
    let compiled = this.byDialect.get(dialect);
    if (!compiled) {
      compiled = compile(db, this.build);
      this.byDialect.set(dialect, compiled);
    }
    return compiled;
  }
}

function compile<K extends string>(db: Knex, build: (db: Knex, slot: (name: K) => string) => Knex.QueryBuilder | Knex.Raw): Compiled {
  const named = new Set<string>();
  const { sql, bindings } = build(db, (name) => (named.add(name), MARKER + name)).toSQL();
  const taken = bindings.map((b): Binding => (typeof b === 'string' && b.startsWith(MARKER) ? { slot: b.slice(MARKER.length) } : { value: b }));
  const missing = [...named].filter((name) => !taken.some((b) => 'slot' in b && b.slot === name));
  if (missing.length) throw new Error(`compiled statement: ${missing.join(', ')} did not reach the SQL as a bound value`);
  // db.raw reads `?` as a value and `??` as an identifier: the compiled SQL must hold exactly one `?` per value.
  const placeholders = sql.match(/\\?\?\??/g) ?? [];
  if (placeholders.length !== taken.length || placeholders.some((p) => p !== '?'))
    throw new Error(`compiled statement: ${placeholders.length} placeholders for ${taken.length} values in ${sql}`);
  return { sql, bindings: taken };
}
