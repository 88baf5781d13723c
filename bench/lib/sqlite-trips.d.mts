export interface TripTimes {
  meanUs: number;
  p50Us: number;
  p99Us: number;
}
/** Times `count` empty statements on a fresh connection to `filename`, one after another. */
export function timeTrips(filename: string, count: number): Promise<TripTimes>;
