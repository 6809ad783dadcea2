/**
 * No import circle among the package's own files (nodes/ and credentials/): every relative import
 * (type-only imports included, since they still tie the files together for readers and tools) is
 * followed, and any cycle found is printed as a path.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { dirname, join, relative, resolve } from 'path';

const ROOT = resolve(__dirname, '..', '..');
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/g;

function sourceFiles(folder: string): string[] {
	return readdirSync(folder).flatMap((name) => {
		const path = join(folder, name);
		if (statSync(path).isDirectory()) return sourceFiles(path);
		return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
	});
}

function resolveImport(from: string, specifier: string): string | undefined {
	const base = resolve(dirname(from), specifier);
	return [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
}

export function importGraph(folders: string[]): Map<string, string[]> {
	const graph = new Map<string, string[]>();
	for (const file of folders.flatMap((folder) => sourceFiles(join(ROOT, folder)))) {
		const text = readFileSync(file, 'utf8');
		const targets = [...text.matchAll(IMPORT)]
			.map((match) => resolveImport(file, match[1]))
			.filter((target): target is string => target !== undefined);
		graph.set(file, Array.from(new Set(targets)));
	}
	return graph;
}

/** Every cycle, each reported once, as a list of files relative to the repository. */
export function findCycles(graph: Map<string, string[]>): string[][] {
	const cycles: string[][] = [];
	const state = new Map<string, 'visiting' | 'done'>();
	const stack: string[] = [];
	const visit = (file: string): void => {
		state.set(file, 'visiting');
		stack.push(file);
		for (const target of graph.get(file) ?? []) {
			if (state.get(target) === 'visiting') {
				cycles.push(
					[...stack.slice(stack.indexOf(target)), target].map((path) => relative(ROOT, path)),
				);
			} else if (!state.has(target)) {
				visit(target);
			}
		}
		stack.pop();
		state.set(file, 'done');
	};
	for (const file of graph.keys()) if (!state.has(file)) visit(file);
	return cycles;
}

describe('import cycles', () => {
	it('the detector finds a cycle when there is one', () => {
		const graph = new Map([
			['/r/a.ts', ['/r/b.ts']],
			['/r/b.ts', ['/r/c.ts']],
			['/r/c.ts', ['/r/a.ts']],
			['/r/d.ts', ['/r/a.ts']],
		]);
		expect(findCycles(graph)).toHaveLength(1);
		expect(findCycles(graph)[0]).toHaveLength(4);
	});

	it('reads the imports of the package files', () => {
		const graph = importGraph(['nodes', 'credentials']);
		const barrel = join(ROOT, 'nodes/Meta/shared/errors/index.ts');
		expect(graph.get(barrel)).toEqual(
			expect.arrayContaining([join(ROOT, 'nodes/Meta/shared/errors/errorItem.ts')]),
		);
	});

	it('no relative import circle in nodes/ and credentials/', () => {
		const cycles = findCycles(importGraph(['nodes', 'credentials']));
		expect(cycles.map((cycle) => cycle.join(' -> '))).toEqual([]);
	});
});
