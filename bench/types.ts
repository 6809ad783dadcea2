/** Every bench/<name>.bench.ts exports `bench: Benchmark`. `npm run bench` runs them all in
 *  file-name order (or only those named on the command line) and writes BENCHMARKS.md. */
export interface Benchmark {
	title: string;
	/** Returns a Markdown section body (tables, numbers, goal met or not). */
	run(): Promise<BenchReport>;
}

export interface BenchReport {
	markdown: string;
	/** Each goal the issue sets, and whether this run met it. */
	goals: Array<{ goal: string; met: boolean; measured: string }>;
}
