// Round trips of an empty statement (`SELECT 1`) on node-sqlite3, awaited one after another, on a
// connection set up as the server sets up its own (server/src/db/sqlite/connection.ts). Plain
// JavaScript so that a worker thread can run it as it is: bench/sqlite-trip.ts times the trips from
// the main thread by calling timeTrips, and from a worker by starting this file as one.
import { createRequire } from 'node:module';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';

const sqlite3 = createRequire(new URL('../../server/package.json', import.meta.url))('sqlite3');

/** @returns {Promise<number[]>} each trip's time, in milliseconds */
export async function timeTrips(filename, count) {
  const db = await new Promise((resolve, reject) => {
    const d = new sqlite3.Database(filename, (err) => (err ? reject(err) : resolve(d)));
  });
  const exec = (sql) => new Promise((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve())));
  const trip = () => new Promise((resolve, reject) => db.run('SELECT 1', (err) => (err ? reject(err) : resolve())));
  try {
    await exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
    for (let i = 0; i < 200; i++) await trip();
    const ms = [];
    for (let i = 0; i < count; i++) {
      const t = performance.now();
      await trip();
      ms.push(performance.now() - t);
    }
    return ms;
  } finally {
    await new Promise((resolve) => db.close(() => resolve()));
  }
}

if (!isMainThread && workerData?.sqliteTrips) {
  parentPort.postMessage(await timeTrips(workerData.sqliteTrips.filename, workerData.sqliteTrips.count));
}
