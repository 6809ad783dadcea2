import { readdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { cpus, totalmem } from 'os';

import type { Benchmark, BenchReport } from './types';

async function main(): Promise<void> {
	const only = process.argv.slice(2);
	const files = readdirSync(__dirname)
		.filter((file) => file.endsWith('.bench.ts'))
		.filter((file) => only.length === 0 || only.some((name) => file.startsWith(name)))
		.sort();
	const sections: string[] = [];
	let allMet = true;
	for (const file of files) {
		const { bench } = (await import(join(__dirname, file))) as { bench: Benchmark };
		process.stdout.write(`\n== ${bench.title} (${file})\n`);
		const started = Date.now();
		const report: BenchReport = await bench.run();
		const seconds = ((Date.now() - started) / 1000).toFixed(1);
		const goals = report.goals
			.map((goal) => `| ${goal.goal} | ${goal.measured} | ${goal.met ? 'met' : '**NOT MET**'} |`)
			.join('\n');
		for (const goal of report.goals) if (!goal.met) allMet = false;
		const section = `## ${bench.title}\n\n${report.markdown}\n\n| Goal | Measured | Result |\n|---|---|---|\n${goals}\n\n_Bench file \`bench/${file}\`, ran in ${seconds} s._\n`;
		process.stdout.write(section);
		sections.push(section);
	}
	const header = `# Benchmarks\n\nWritten by \`npm run bench\` on ${new Date().toISOString()} (Node ${process.version}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB). Every number comes from the Meta Graph simulator on 127.0.0.1 driven by the real node code.\n\n`;
	if (only.length === 0) writeFileSync(join(__dirname, '..', 'BENCHMARKS.md'), header + sections.join('\n'));
	process.exitCode = allMet ? 0 : 1;
}

void main();
