/** One benchmark's figures, as written to bench/results/latest.json. */
export interface BenchResult {
  name: string;
  [figure: string]: string | number;
}
