/** Times `count` empty statements on a fresh connection to `filename`, one after another: each trip's milliseconds. */
export function timeTrips(filename: string, count: number): Promise<number[]>;
