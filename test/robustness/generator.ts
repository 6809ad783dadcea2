/**
 * The robustness generator: drives the real nodes (n8n-core's execution, real HTTP, the Meta Graph
 * simulator) with values of the wrong kind given through expressions, one item per run with
 * Continue On Fail, and counts from the simulator's request log whether each was stopped before
 * any request; and runs the write operations under every fault the simulator can inject,
 * counting from Meta's own records items lost, duplicated and wrongly reported as successes.
 * Used by test/robustness/robustness.test.ts (a small sample) and bench/robustness.bench.ts (all).
 */
import type {
	IDataObject,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodeType,
} from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { transportClock } from '../../nodes/Meta/shared/transport';
import type { FaultKind, LoggedRequest, RunningSimulator } from '../../simulator';
import { executeNode } from '../helpers/harness';
import type { Group, OperationCase, WriteCase } from './cases';

// ---------------------------------------------------------------------------------------------
// Bad values
// ---------------------------------------------------------------------------------------------
export type FieldKind =
	'text' | 'number' | 'boolean' | 'options' | 'locator' | 'json' | 'dateTime' | 'multi';

export interface BadValue {
	/** How the table and the allow-list name it. */
	label: string;
	/** The parameter value (an expression, or a literal for '' and over-long text). */
	value: string;
}

const NULL: BadValue = { label: 'null', value: '={{ null }}' };
const UNDEFINED: BadValue = { label: 'undefined', value: '={{ undefined }}' };
const OBJECT: BadValue = { label: 'object', value: '={{ {a:1} }}' };
const LIST: BadValue = { label: 'list', value: '={{ ["a","b"] }}' };
const NAN: BadValue = { label: 'NaN', value: '={{ NaN }}' };
const TRUE: BadValue = { label: 'true', value: '={{ true }}' };
const EMPTY: BadValue = { label: "''", value: '' };
const BOGUS: BadValue = { label: 'unknown option', value: '={{ "bogusOption" }}' };
const NOT_A_DATE: BadValue = { label: 'not a date', value: '={{ "not a date" }}' };
const NUMBER: BadValue = { label: '42 (not JSON text)', value: '={{ 42 }}' };

const VALUES: Record<FieldKind, BadValue[]> = {
	text: [NULL, UNDEFINED, OBJECT, LIST],
	number: [NULL, UNDEFINED, OBJECT, LIST, NAN, TRUE],
	boolean: [NULL, OBJECT, LIST],
	options: [NULL, OBJECT, BOGUS],
	locator: [NULL, UNDEFINED, OBJECT, LIST],
	json: [NULL, UNDEFINED, NUMBER],
	dateTime: [NULL, OBJECT, NOT_A_DATE],
	multi: [NULL, OBJECT],
};

export interface Target {
	/** Field path as the tables name it, e.g. `text`, `options.callbackData`, `contacts.contact[0].phone`. */
	field: string;
	kind: FieldKind;
	required: boolean;
	/** Meta's length limit, when the case gives one. */
	maxLength?: number;
	apply(parameters: INodeParameters, value: string): INodeParameters;
}

const SKIPPED = new Set(['resource', 'operation', 'authentication']);
const KIND: Record<string, FieldKind> = {
	string: 'text',
	number: 'number',
	boolean: 'boolean',
	options: 'options',
	resourceLocator: 'locator',
	json: 'json',
	dateTime: 'dateTime',
	multiOptions: 'multi',
};

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function setPath(root: IDataObject, path: Array<string | number>, value: unknown): void {
	let cursor = root as Record<string | number, unknown>;
	for (const key of path.slice(0, -1)) cursor = cursor[key] as Record<string | number, unknown>;
	cursor[path[path.length - 1]] = value;
}

function leaves(
	value: unknown,
	path: Array<string | number>,
): Array<{ path: Array<string | number>; value: unknown }> {
	if (Array.isArray(value)) return value.flatMap((entry, index) => leaves(entry, [...path, index]));
	if (value && typeof value === 'object')
		return Object.entries(value).flatMap(([key, entry]) => leaves(entry, [...path, key]));
	return [{ path, value }];
}

const pathLabel = (path: Array<string | number>) =>
	path.reduce<string>(
		(text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${key}` : key),
		'',
	);

/** Every field the operation shows (with these parameters) that an expression can fill. */
export function targetsOf(
	nodeType: INodeType,
	parameters: INodeParameters,
	limits: Record<string, number> = {},
): Target[] {
	const description = nodeType.description;
	const targets: Target[] = [];
	const visible = description.properties.filter(
		(property) =>
			!SKIPPED.has(property.name) &&
			NodeHelpers.displayParameter(parameters, property, { typeVersion: 1 }, description),
	);
	for (const property of visible) {
		const name = property.name;
		if (property.type === 'collection') {
			for (const child of (property.options ?? []) as INodeProperties[]) {
				const kind = KIND[child.type];
				if (
					!kind ||
					!NodeHelpers.displayParameter(
						parameters,
						child,
						{ typeVersion: 1 },
						description,
						parameters,
					)
				)
					continue;
				targets.push({
					field: `${name}.${child.name}`,
					kind,
					required: false,
					maxLength: limits[`${name}.${child.name}`],
					apply: (base, value) => ({
						...base,
						[name]: { ...((base[name] as INodeParameters) ?? {}), [child.name]: value },
					}),
				});
			}
		} else if (property.type === 'fixedCollection') {
			for (const leaf of leaves(parameters[name], [name])) {
				if (typeof leaf.value !== 'string' && typeof leaf.value !== 'number') continue;
				targets.push({
					field: pathLabel(leaf.path),
					kind: typeof leaf.value === 'number' ? 'number' : 'text',
					required: false,
					apply: (base, value) => {
						const copy = clone(base);
						setPath(copy, leaf.path, value);
						return copy;
					},
				});
			}
		} else if (property.type === 'resourceMapper') {
			const mapped = ((parameters[name] as IDataObject | undefined)?.value ?? {}) as IDataObject;
			for (const key of Object.keys(mapped)) {
				targets.push({
					field: `${name}.${key}`,
					kind: 'text',
					required: true,
					apply: (base, value) => {
						const copy = clone(base);
						setPath(copy, [name, 'value', key], value);
						return copy;
					},
				});
			}
		} else if (property.type === 'resourceLocator') {
			targets.push({
				field: name,
				kind: 'locator',
				required: property.required === true,
				apply: (base, value) => ({ ...base, [name]: { __rl: true, mode: 'id', value } }),
			});
		} else if (KIND[property.type]) {
			targets.push({
				field: name,
				kind: KIND[property.type],
				required: property.required === true,
				maxLength: limits[name],
				apply: (base, value) => ({ ...base, [name]: value }),
			});
		}
	}
	return targets;
}

/** The bad values tried on a field: all of them (bench) or a sample of `perField` (jest). */
export function badValuesFor(target: Target, perField?: number, seed = 0): BadValue[] {
	const base = VALUES[target.kind];
	let chosen = base;
	if (perField !== undefined && perField < base.length) {
		chosen = Array.from({ length: perField }, (_, n) => base[(seed + n) % base.length]);
	}
	const extra: BadValue[] = [];
	if (
		target.required &&
		(target.kind === 'text' || target.kind === 'number' || target.kind === 'locator')
	)
		extra.push(EMPTY);
	if (target.maxLength)
		extra.push({
			label: `${target.maxLength + 1} characters`,
			value: 'x'.repeat(target.maxLength + 1),
		});
	return [...chosen, ...extra];
}

// ---------------------------------------------------------------------------------------------
// Running
// ---------------------------------------------------------------------------------------------
/** What a value of the wrong kind must never become in a request. */
const LEAKED = /\[object Object\]|\bundefined\b|\bnull\b|\bNaN\b|"a,b"|\ba,b\b/;

export interface BadInputResult {
	node: string;
	operation: string;
	field: string;
	value: string;
	/** Refused (error item) with no request at all. */
	stopped: boolean;
	/** Requests that reached the simulator (method and path). */
	requests: string[];
	/** Whether a write (POST or DELETE) was among them. */
	wrote: boolean;
	/** The item came out without an error. */
	succeeded: boolean;
	/** A success whose requests carried "null", "undefined", "[object Object]", "NaN" or "a,b". */
	wrongSuccess: boolean;
	error?: string;
}

export interface BaselineResult {
	node: string;
	operation: string;
	ok: boolean;
	requests: number;
	error?: string;
}

function requestText(requests: LoggedRequest[]): string {
	return JSON.stringify(
		requests.map((request) => ({ path: request.path, params: request.params, body: request.body })),
	);
}

/** One run of the node with one item and Continue On Fail. */
async function runOnce(
	sim: RunningSimulator,
	group: Group,
	nodeType: INodeType,
	parameters: INodeParameters,
	items: INodeExecutionData[] | undefined,
): Promise<{ output?: IDataObject; error?: string; requests: LoggedRequest[] }> {
	sim.control.clearRequests();
	let result: Awaited<ReturnType<typeof executeNode>>;
	try {
		result = await executeNode({
			node: nodeType,
			parameters: { authentication: 'accessToken', ...parameters },
			items,
			credentials: group.credentials(sim) as never,
			settings: { onError: 'continueRegularOutput' },
		});
	} catch (thrown) {
		// n8n's own parameter check (a required field left empty) stops the workflow before the
		// node runs: stopped before any request, by n8n.
		return { error: `n8n: ${(thrown as Error).message}`, requests: sim.control.requests() };
	}
	const { outputs, error } = result;
	const output = outputs[0]?.[0]?.json;
	const message =
		error?.message ?? (output?.error !== undefined ? String(output.error) : undefined);
	return { output, error: message, requests: sim.control.requests() };
}

export interface SimulatorPool {
	get(group: Group): Promise<RunningSimulator>;
	stop(): Promise<void>;
}

/** One simulator per node group, started on first use. */
export function simulatorPool(): SimulatorPool {
	const started = new Map<Group, RunningSimulator>();
	return {
		async get(group) {
			let sim = started.get(group);
			if (!sim) {
				sim = await group.start();
				started.set(group, sim);
			}
			return sim;
		},
		async stop() {
			for (const sim of started.values()) await sim.stop();
			started.clear();
		},
	};
}

async function resetFor(sim: RunningSimulator, group: Group): Promise<void> {
	sim.control.reset();
	await group.afterReset?.(sim, group);
}

export interface BadInputOptions {
	/** Values per field (all when absent). */
	perField?: number;
}

/** Baseline and every bad value of every field of one operation. */
export async function runBadInputs(
	pool: SimulatorPool,
	operation: OperationCase,
	options: BadInputOptions = {},
): Promise<{ baseline: BaselineResult; results: BadInputResult[] }> {
	const group = operation.group;
	const sim = await pool.get(group);
	const nodeType = group.nodeType();
	await resetFor(sim, group);
	const baseParameters = await operation.parameters(sim);
	const base = await runOnce(sim, group, nodeType, baseParameters, operation.items?.(sim));
	const baseline: BaselineResult = {
		node: group.node,
		operation: operation.operation,
		ok: base.error === undefined && base.requests.length > 0,
		requests: base.requests.length,
		error: base.error,
	};
	const baselineLeaks = LEAKED.exec(requestText(base.requests))?.[0];
	const results: BadInputResult[] = [];
	const targets = targetsOf(nodeType, baseParameters, operation.limits);
	let seed = 0;
	for (const target of targets) {
		for (const bad of badValuesFor(target, options.perField, seed++)) {
			// Each run starts from the same world: a write that went through (a defect or a value
			// Meta itself validates) must not change what the next run finds.
			if (results.length && results[results.length - 1].wrote) await resetFor(sim, group);
			const parameters = target.apply(await operation.parameters(sim), bad.value);
			const run = await runOnce(sim, group, nodeType, parameters, operation.items?.(sim));
			const leaked = LEAKED.exec(requestText(run.requests))?.[0];
			const succeeded = run.error === undefined;
			results.push({
				node: group.node,
				operation: operation.operation,
				field: target.field,
				value: bad.label,
				stopped: !succeeded && run.requests.length === 0,
				requests: run.requests.map((request) => `${request.method} ${request.path}`),
				wrote: run.requests.some((request) => request.method !== 'GET'),
				succeeded,
				wrongSuccess: succeeded && leaked !== undefined && leaked !== baselineLeaks,
				error: run.error,
			});
		}
	}
	return { baseline, results };
}

// ---------------------------------------------------------------------------------------------
// Faults
// ---------------------------------------------------------------------------------------------
export type FaultName = FaultKind | 'throttled';

export const FAULT_LABELS: Record<FaultName, string> = {
	http500: 'HTTP 500 (code 1)',
	http503: 'HTTP 503 (code 2)',
	reset: 'Connection reset before Meta read the request',
	hang: 'No answer (the request hangs until the 60 s timeout)',
	malformedJson: '200 with a body cut short',
	dropAfterProcessing: 'Processed, then the connection dropped (answer lost)',
	throttled: 'Throttled: code 4 (application request limit) until the first retries',
};

export interface FaultResult {
	node: string;
	operation: string;
	/** The request the fault hit, e.g. `POST /{id}/media`. */
	target: string;
	fault: FaultName;
	items: number;
	lost: number;
	duplicated: number;
	wrongSuccesses: number;
	/** Reported failed although Meta recorded the item (a rerun would send it twice). */
	wrongFailures: number;
	succeeded: number;
	failed: number;
	unknown: number;
	/** Per item: status and Meta's record count, for the report. */
	detail: string[];
}

/** The write requests of a baseline run, as fault rules (digits generalised). */
export async function writeTargets(
	pool: SimulatorPool,
	write: WriteCase,
): Promise<Array<{ label: string; method: 'POST' | 'DELETE'; path: string }>> {
	const sim = await pool.get(write.group);
	await resetFor(sim, write.group);
	const run = await runOnce(
		sim,
		write.group,
		write.group.nodeType(),
		write.parameters(sim),
		write.items(sim, 1),
	);
	if (run.error)
		throw new Error(
			`robustness: baseline of ${write.group.node} ${write.operation} failed: ${run.error}`,
		);
	const seen = new Map<string, { label: string; method: 'POST' | 'DELETE'; path: string }>();
	for (const request of run.requests) {
		if (request.method !== 'POST' && request.method !== 'DELETE') continue;
		const general = request.path.replace(/\d{6,}/g, '{id}');
		const label = `${request.method} ${general}${request.path === '/' ? ' (Graph batch: media_publish)' : ''}`;
		seen.set(label, {
			label,
			method: request.method,
			path: `^${general.replace(/[.*+?^$()[\]\\|]/g, '\\$&').replace(/\{id\}/g, '\\d+')}$`,
		});
	}
	return [...seen.values()];
}

/** Retries wait at most this long (the real waits are Meta's; the counts do not depend on them). */
const MAX_TEST_WAIT_MS = 50;
const realSleep = transportClock.sleep;

export function shortenRetryWaits(): () => void {
	transportClock.sleep = async (ms: number) => await realSleep(Math.min(ms, MAX_TEST_WAIT_MS));
	return () => {
		transportClock.sleep = realSleep;
	};
}

function countMarker(records: unknown[], marker: string): number {
	return records.filter((record) => JSON.stringify(record).includes(marker)).length;
}

/** N items of one write operation with one fault kind hitting one request type. */
export async function runFault(
	pool: SimulatorPool,
	write: WriteCase,
	target: { label: string; method: 'POST' | 'DELETE'; path: string },
	fault: FaultName,
	count: number,
): Promise<FaultResult> {
	const group = write.group;
	const sim = await pool.get(group);
	await resetFor(sim, group);
	const items = write.items(sim, Math.min(count, write.maxItems ?? count));
	let watcher: ReturnType<typeof setInterval> | undefined;
	if (fault === 'throttled') {
		sim.control.setUsage({ appCallCount: 100 });
		// Meta lifts the limit after a while: here once every item has been refused once.
		watcher = setInterval(() => {
			const throttled = sim.control.requests().filter((request) => request.errorCode === 4).length;
			if (throttled >= items.length) sim.control.setUsage({ appCallCount: 0 });
		}, 5);
	} else {
		sim.control.injectFault({
			kind: fault,
			method: target.method,
			path: target.path,
			times: items.length,
		});
	}
	sim.control.clearRequests();
	const restore = shortenRetryWaits();
	let outputs: INodeExecutionData[][];
	try {
		({ outputs } = await executeNode({
			node: group.nodeType(),
			parameters: { authentication: 'accessToken', ...write.parameters(sim) },
			items,
			credentials: group.credentials(sim) as never,
			settings: { onError: 'continueRegularOutput' },
		}));
	} finally {
		restore();
		if (watcher) clearInterval(watcher);
		sim.control.setUsage({ appCallCount: 0 });
	}
	const records = write.records(sim);
	const result: FaultResult = {
		node: group.node,
		operation: write.operation,
		target: fault === 'throttled' ? 'every request' : target.label,
		fault,
		items: items.length,
		lost: 0,
		duplicated: 0,
		wrongSuccesses: 0,
		wrongFailures: 0,
		succeeded: 0,
		failed: 0,
		unknown: 0,
		detail: [],
	};
	const produced = outputs[0] ?? [];
	items.forEach((item, index) => {
		const marker = String(item.json.marker);
		const recorded = countMarker(records, marker);
		const outputsOfItem = produced.filter((output) => {
			const paired = output.pairedItem;
			const first = Array.isArray(paired) ? paired[0] : paired;
			return (typeof first === 'number' ? first : first?.item) === index;
		});
		if (outputsOfItem.length === 0) result.lost++;
		if (recorded > 1) result.duplicated++;
		const json = outputsOfItem[0]?.json;
		let status = 'lost';
		if (json) {
			if (json.error === undefined) {
				status = 'success';
				result.succeeded++;
				if (recorded === 0) result.wrongSuccesses++;
			} else {
				status = String((json.details as IDataObject | undefined)?.status ?? 'failed');
				if (status === 'unknown') result.unknown++;
				else {
					result.failed++;
					if (recorded > 0) result.wrongFailures++;
				}
			}
		}
		result.detail.push(`item ${index}: ${status}, recorded ${recorded}`);
	});
	return result;
}
