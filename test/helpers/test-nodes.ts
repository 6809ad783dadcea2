/**
 * Test-only node types the harness registers next to ours. They exist so a real WorkflowExecute
 * run has something upstream of the node under test; they never ship (test/ is not in `files`).
 */
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

/** Type name of the emitter created by `createItemsEmitter` (the executeNode input node). */
export const HARNESS_INPUT_TYPE = 'harness.input';
/** Manual trigger of the harness; `n8n-nodes-base.manualTrigger` is mapped to it as well. */
export const HARNESS_TRIGGER_TYPE = 'harness.manualTrigger';
export const HARNESS_NOOP_TYPE = 'harness.noOp';

function cloneItems(items: INodeExecutionData[]): INodeExecutionData[] {
	return items.map((item) => ({
		...item,
		json: JSON.parse(JSON.stringify(item.json ?? {})),
		...(item.binary ? { binary: JSON.parse(JSON.stringify(item.binary)) } : {}),
	}));
}

/**
 * A start node that emits fixed items. Items come from (in order): the `itemsByNode` map the
 * harness passes for this node name, the node's `jsonItems` parameter (a JSON array of objects),
 * or a single empty item, like n8n's Manual Trigger.
 */
export function createItemsEmitter(
	name: string,
	itemsByNode: Record<string, INodeExecutionData[]> = {},
): INodeType {
	const description: INodeTypeDescription = {
		displayName: 'Harness Input',
		name,
		group: ['trigger'],
		version: [1, 1.1, 2],
		description: 'Emits the items a test gives it',
		defaults: { name: 'Input' },
		inputs: [],
		outputs: ['main'],
		properties: [{ displayName: 'JSON Items', name: 'jsonItems', type: 'json', default: '' }],
	};
	return {
		description,
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const nodeName = this.getNode().name;
			const given = itemsByNode[nodeName];
			if (given) return [cloneItems(given)];
			const raw = this.getNodeParameter('jsonItems', 0, '') as unknown;
			if (raw !== '' && raw !== undefined && raw !== null) {
				const parsed = typeof raw === 'string' ? JSON.parse(raw) : raw;
				const list = Array.isArray(parsed) ? parsed : [parsed];
				return [list.map((json) => ({ json }))];
			}
			return [[{ json: {} }]];
		},
	};
}

/** Passes its input through unchanged (stands in for n8n-nodes-base.noOp). */
export class HarnessNoOp implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness No Op',
		name: HARNESS_NOOP_TYPE,
		group: ['transform'],
		version: 1,
		description: 'Passes items through',
		defaults: { name: 'No Op' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}
