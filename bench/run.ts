import { existsSync, readFileSync, readdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { cpus, totalmem } from 'os';

import type { Benchmark, BenchReport } from './types';

function readExisting(path: string): string {
	return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

/** The sections of the existing file (by the bench file named in each section's footer), with
 *  those just measured replaced or added, in bench file order. A run limited to some benches
 *  (`npm run bench -- whatsapp`) so updates only their sections. */
function merge(existing: string, measured: Map<string, string>): string {
	const byFile = new Map<string, string>();
	for (const part of existing.split(/^(?=## )/m).slice(1)) {
		const file = /_Bench file `bench\/([^`]+)`/.exec(part)?.[1];
		if (file) byFile.set(file, part.replace(/\n+$/, '\n'));
	}
	for (const [file, section] of measured) byFile.set(file, section);
	return [...byFile.keys()]
		.sort()
		.map((file) => byFile.get(file)!)
		.join('\n');
}

async function main(): Promise<void> {
	const only = process.argv.slice(2);
	const files = readdirSync(__dirname)
		.filter((file) => file.endsWith('.bench.ts'))
		.filter((file) => only.length === 0 || only.some((name) => file.startsWith(name)))
		.sort();
	const sections = new Map<string, string>();
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
		const section = `## ${bench.title}\n\n${report.markdown}\n\n| Goal | Measured | Result |\n|---|---|---|\n${goals}\n\n_Bench file \`bench/${file}\`, ran in ${seconds} s on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC._\n`;
		process.stdout.write(section);
		sections.set(file, section);
	}
	const target = join(__dirname, '..', 'BENCHMARKS.md');
	const header = `# Benchmarks\n\nWritten by \`npm run bench\` (\`npm run bench -- <file prefix>\` reruns some sections and keeps the others), last on ${new Date().toISOString()} (Node ${process.version}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB). Unless a section says otherwise, every number comes from the Meta Graph simulator on 127.0.0.1 driven by the real node code.\n\n`;
	writeFileSync(target, header + merge(only.length === 0 ? '' : readExisting(target), sections));
	process.exitCode = allMet ? 0 : 1;
}

void main();
