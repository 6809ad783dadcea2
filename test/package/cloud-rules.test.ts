/**
 * n8n Cloud / verified community node rules, checked on the TypeScript sources so they run before
 * a build: no banned runtime APIs or imports in nodes/ and credentials/, and every node and
 * credential description meets the UI and verification conventions.
 */
import {
	existsSync,
	mkdtempSync,
	readFileSync,
	readdirSync,
	rmSync,
	statSync,
	writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import { dirname, join, relative, resolve } from 'path';
import * as ts from 'typescript';

import {
	REPO_ROOT,
	baseNameOf,
	loadExportedInstances,
	readPackageJson,
	sourceOf,
} from './package-files';

const packageJson = readPackageJson();

function listTsFiles(directory: string): string[] {
	if (!existsSync(directory)) return [];
	const files: string[] = [];
	for (const entry of readdirSync(directory)) {
		const path = join(directory, entry);
		if (statSync(path).isDirectory()) files.push(...listTsFiles(path));
		else if (path.endsWith('.ts') && !path.endsWith('.d.ts')) files.push(path);
	}
	return files;
}

const SOURCE_FILES = [
	...listTsFiles(join(REPO_ROOT, 'nodes')),
	...listTsFiles(join(REPO_ROOT, 'credentials')),
];

/** Globals n8n Cloud does not allow community nodes to touch. */
const BANNED_GLOBALS = new Set([
	'process',
	'globalThis',
	'setTimeout',
	'setInterval',
	'setImmediate',
	'console',
	'require',
	'eval',
	'__dirname',
	'__filename',
]);
const ALLOWED_IMPORTS = new Set(['n8n-workflow', 'luxon', 'crypto', 'node:crypto']);

/** True when the identifier is a property/member NAME, not a reference to a global. */
function isPropertyName(node: ts.Identifier): boolean {
	const parent = node.parent;
	if (!parent) return false;
	if (ts.isPropertyAccessExpression(parent) && parent.name === node) return true;
	if (
		(ts.isPropertyAssignment(parent) ||
			ts.isPropertyDeclaration(parent) ||
			ts.isMethodDeclaration(parent) ||
			ts.isPropertySignature(parent) ||
			ts.isMethodSignature(parent) ||
			ts.isGetAccessor(parent) ||
			ts.isSetAccessor(parent) ||
			ts.isEnumMember(parent)) &&
		parent.name === node
	) {
		return true;
	}
	if (ts.isQualifiedName(parent) && parent.right === node) return true;
	if (ts.isBindingElement(parent) && parent.propertyName === node) return true;
	return false;
}

function findViolations(file: string): string[] {
	const text = readFileSync(file, 'utf8');
	const violations: string[] = [];
	const where = (node: ts.Node) => {
		const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
		return `${relative(REPO_ROOT, file)}:${line + 1}`;
	};
	const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2021, true, ts.ScriptKind.TS);
	text.split('\n').forEach((line, index) => {
		if (/eslint-disable/.test(line))
			violations.push(`${relative(REPO_ROOT, file)}:${index + 1} eslint-disable comment`);
	});
	const checkImport = (specifier: string, node: ts.Node) => {
		if (specifier.startsWith('./') || specifier.startsWith('../')) return;
		if (!ALLOWED_IMPORTS.has(specifier)) violations.push(`${where(node)} import of "${specifier}"`);
	};
	const visit = (node: ts.Node) => {
		if (
			(ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
			node.moduleSpecifier &&
			ts.isStringLiteral(node.moduleSpecifier)
		) {
			checkImport(node.moduleSpecifier.text, node);
		}
		if (
			ts.isImportEqualsDeclaration(node) &&
			ts.isExternalModuleReference(node.moduleReference) &&
			ts.isStringLiteral(node.moduleReference.expression)
		) {
			checkImport(node.moduleReference.expression.text, node);
		}
		if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
			violations.push(`${where(node)} dynamic import()`);
		}
		if (ts.isImportTypeNode(node)) {
			const argument = node.argument;
			if (ts.isLiteralTypeNode(argument) && ts.isStringLiteral(argument.literal)) {
				checkImport(argument.literal.text, node);
			}
		}
		if (ts.isIdentifier(node) && BANNED_GLOBALS.has(node.text) && !isPropertyName(node)) {
			violations.push(`${where(node)} use of "${node.text}"`);
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return violations;
}

describe('banned APIs in nodes/ and credentials/', () => {
	it('finds source files to scan', () => {
		expect(SOURCE_FILES.length).toBeGreaterThan(0);
	});

	it('the scanner catches what it must (self-check on a sample)', () => {
		const sampleDirectory = mkdtempSync(join(tmpdir(), 'cloud-rules-'));
		const sample = join(sampleDirectory, 'sample.ts');
		writeFileSync(
			sample,
			[
				"import axios from 'axios';",
				"import { readFileSync } from 'fs';",
				"import { NodeOperationError } from 'n8n-workflow';",
				"import { x } from './x';",
				'// eslint-disable-next-line',
				'const a = process.env.X;',
				'setTimeout(() => {}, 1);',
				'console.log(a, globalThis, require("os"));',
				'const ok = { process: 1, setTimeout: 2 }; ok.process; ok.setTimeout;',
			].join('\n'),
		);
		try {
			const found = findViolations(sample).map((violation) => violation.replace(/^.*?:\d+ /, ''));
			expect(found.sort()).toEqual(
				[
					'eslint-disable comment',
					'import of "axios"',
					'import of "fs"',
					'use of "console"',
					'use of "globalThis"',
					'use of "process"',
					'use of "require"',
					'use of "setTimeout"',
				].sort(),
			);
		} finally {
			rmSync(sampleDirectory, { recursive: true, force: true });
		}
	});

	it.each(SOURCE_FILES.map((file) => [relative(REPO_ROOT, file), file]))(
		'%s is clean',
		(_name, file) => {
			expect(findViolations(file)).toEqual([]);
		},
	);
});

interface IconPair {
	light: string;
	dark: string;
}

function iconFiles(icon: unknown, sourceFile: string): IconPair {
	expect(icon).toEqual({
		light: expect.stringMatching(/^file:/),
		dark: expect.stringMatching(/^file:/),
	});
	const pair = icon as IconPair;
	const toPath = (value: string) => resolve(dirname(sourceFile), value.replace(/^file:/, ''));
	return { light: toPath(pair.light), dark: toPath(pair.dark) };
}

function expectDistinctIcons(icon: unknown, sourceFile: string): void {
	const { light, dark } = iconFiles(icon, sourceFile);
	for (const path of [light, dark]) {
		if (!existsSync(path)) throw new Error(`Icon file missing: ${relative(REPO_ROOT, path)}`);
	}
	expect(light).not.toBe(dark);
	expect(readFileSync(light, 'utf8')).not.toBe(readFileSync(dark, 'utf8'));
}

interface NodeDescriptionLike {
	name: string;
	displayName: string;
	version: number | number[];
	subtitle?: string;
	usableAsTool?: boolean;
	icon?: unknown;
	credentials?: Array<{ name: string }>;
	inputs?: unknown;
	outputs?: unknown;
	group?: string[];
}

function expectMainConnections(connections: unknown, what: string): void {
	if (typeof connections === 'string') {
		expect(connections).toMatch(/^=\{\{/);
		const types = [...connections.matchAll(/type["']?\s*:\s*["'](\w+)["']/g)].map((m) => m[1]);
		expect({ [what]: types.filter((type) => type !== 'main') }).toEqual({ [what]: [] });
		return;
	}
	expect(Array.isArray(connections)).toBe(true);
	const types = (connections as unknown[]).map((entry) =>
		typeof entry === 'string' ? entry : (entry as { type?: string }).type,
	);
	expect(types.length).toBeGreaterThan(0);
	expect({ [what]: types }).toEqual({ [what]: types.map(() => 'main') });
}

function loadListed<T>(distFile: string, listName: string): { source: string; instance: T } {
	const source = sourceOf(distFile);
	if (!existsSync(source)) {
		throw new Error(
			`package.json n8n.${listName} lists ${distFile}, but its source ${relative(REPO_ROOT, source)} does not exist yet`,
		);
	}
	const baseName = baseNameOf(distFile);
	const match = loadExportedInstances<T>(source).find((entry) => entry.exportName === baseName);
	if (!match)
		throw new Error(`${relative(REPO_ROOT, source)} does not export a class named ${baseName}`);
	return { source, instance: match.instance };
}

describe.each(packageJson.n8n.nodes)('node %s', (distFile) => {
	it('meets the node description rules', () => {
		const { source, instance } = loadListed<{ description: NodeDescriptionLike }>(
			distFile,
			'nodes',
		);
		const description = instance.description;
		// A trigger starts workflows: it has no inputs and is never an AI agent's tool.
		const isTrigger = description.group?.includes('trigger') === true;
		expect(description.usableAsTool).toBe(isTrigger ? undefined : true);
		expect(description.version).toBe(1);
		expect(typeof description.subtitle).toBe('string');
		expect(description.subtitle!.length).toBeGreaterThan(0);
		expectDistinctIcons(description.icon, source);
		const codex = source.replace(/\.ts$/, '.json');
		if (!existsSync(codex)) throw new Error(`Codex file missing: ${relative(REPO_ROOT, codex)}`);
		const codexJson = JSON.parse(readFileSync(codex, 'utf8')) as {
			node?: string;
			categories?: unknown[];
			alias?: unknown[];
			resources?: { primaryDocumentation?: Array<{ url?: string }> };
		};
		expect(codexJson.node).toMatch(new RegExp(`\\.${description.name}$`));
		expect(codexJson.categories).toEqual(expect.arrayContaining([expect.any(String)]));
		expect(codexJson.alias).toEqual(expect.arrayContaining([expect.any(String)]));
		expect(codexJson.resources?.primaryDocumentation?.[0]?.url).toMatch(/^https:\/\//);
		// Only main connections (NodeConnectionTypes.Main is 'main'); outputs may be an expression
		// (e.g. optional extra output branches), which must still only produce main outputs.
		if (isTrigger) expect(description.inputs).toEqual([]);
		else expectMainConnections(description.inputs, 'inputs');
		expectMainConnections(description.outputs, 'outputs');
		for (const credential of description.credentials ?? []) {
			expect(credential.name).toMatch(/^metaBusiness/);
		}
	});
});

interface CredentialLike {
	name: string;
	displayName: string;
	extends?: string[];
	icon?: unknown;
	documentationUrl?: string;
	test?: { request?: unknown };
}

describe.each(packageJson.n8n.credentials)('credential %s', (distFile) => {
	it('meets the credential rules', () => {
		const { source, instance } = loadListed<CredentialLike>(distFile, 'credentials');
		const className = baseNameOf(distFile);
		expect(instance.name).toMatch(/^metaBusiness/);
		expect(className).toMatch(/^MetaBusiness/);
		expect(instance.displayName).toMatch(/API$/);
		expectDistinctIcons(instance.icon, source);
		expect(instance.documentationUrl).toMatch(/^https:\/\/\S+$/);
		const isOAuth2 = (instance.extends ?? []).includes('oAuth2Api');
		if (isOAuth2) {
			expect(className).toMatch(/OAuth2Api$/);
			expect(instance.name).toMatch(/OAuth2Api$/);
			expect(instance.displayName).toMatch(/OAuth2/);
		} else {
			// Token credentials must be testable from the credential modal.
			expect(instance.test?.request).toBeDefined();
		}
	});
});
