/**
 * Shared helpers of the package-level tests: where package.json's n8n block points, and the TS
 * source each listed dist file is compiled from.
 */
import { existsSync, readFileSync } from 'fs';
import { join, resolve } from 'path';

export const REPO_ROOT = resolve(__dirname, '..', '..');

export interface PackageJson {
	name: string;
	dependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
	files?: string[];
	keywords?: string[];
	n8n: { n8nNodesApiVersion: number; strict?: boolean; nodes: string[]; credentials: string[] };
	[key: string]: unknown;
}

export function readPackageJson(): PackageJson {
	return JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson;
}

/** `dist/nodes/Meta/X/X.node.js` -> absolute `nodes/Meta/X/X.node.ts`. */
export function sourceOf(distPath: string): string {
	return join(REPO_ROOT, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
}

/** `dist/.../InstagramPublish.node.js` -> `InstagramPublish`. */
export function baseNameOf(path: string): string {
	return path
		.split('/')
		.pop()!
		.replace(/\.(node|credentials)\.(js|ts)$/, '');
}

export function lowerFirst(text: string): string {
	return text.charAt(0).toLowerCase() + text.slice(1);
}

/** Requires a module and returns its exported class instances (constructible, no-arg). */
export function loadExportedInstances<T>(
	absolutePath: string,
): Array<{ exportName: string; instance: T }> {
	if (!existsSync(absolutePath)) {
		throw new Error(`Missing file: ${absolutePath.replace(`${REPO_ROOT}/`, '')}`);
	}
	const moduleExports = require(absolutePath) as Record<string, unknown>;
	const found: Array<{ exportName: string; instance: T }> = [];
	for (const [exportName, exported] of Object.entries(moduleExports)) {
		if (typeof exported !== 'function' || !/^class\b|^function [A-Z]/.test(String(exported)))
			continue;
		try {
			found.push({ exportName, instance: new (exported as new () => T)() });
		} catch {
			// not a no-arg class
		}
	}
	return found;
}
