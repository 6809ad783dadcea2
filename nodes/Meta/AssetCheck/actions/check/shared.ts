import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { discover } from '../checks/discovery';
import type { Targets } from '../checks/discovery';
import { evaluate } from '../checks/evaluate';
import { buildOutput } from '../checks/report';
import type { Capability } from '../checks/types';

const TARGET_LABELS: Record<keyof Targets, string> = {
	instagramAccountId: 'Instagram Account',
	pageId: 'Facebook Page',
	wabaId: 'WhatsApp Business Account',
	phoneNumberId: 'Phone Number',
};

/** Reads an optional resource locator; '' when the operation does not show it or it is empty. */
function readTarget(
	context: IExecuteFunctions,
	name: keyof Targets,
	itemIndex: number,
): string | undefined {
	let raw: unknown;
	try {
		raw = context.getNodeParameter(name, itemIndex, '', { extractValue: true });
	} catch {
		return undefined;
	}
	const value = String(
		raw && typeof raw === 'object' ? ((raw as IDataObject).value ?? '') : (raw ?? ''),
	).trim();
	if (value === '') return undefined;
	if (!/^\d+$/.test(value)) {
		throw new NodeOperationError(
			context.getNode(),
			`The ${TARGET_LABELS[name]} "${value}" is not a Meta ID`,
			{
				itemIndex,
				description: `Pick the ${TARGET_LABELS[name]} from the list, enter its numeric ID, or leave it empty to check everything the token reaches.`,
			},
		);
	}
	return value;
}

export async function runAssetCheck(
	this: IExecuteFunctions,
	itemIndex: number,
	operation: string,
	checked: Capability[],
): Promise<INodeExecutionData[]> {
	const authentication = this.getNodeParameter(
		'authentication',
		itemIndex,
		'accessToken',
	) as string;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const expiryWarningDays =
		options.expiryWarningDays === undefined ? 7 : Number(options.expiryWarningDays);
	if (!Number.isFinite(expiryWarningDays) || expiryWarningDays < 0) {
		throw new NodeOperationError(this.getNode(), 'Expiry Warning (Days) must be 0 or more', {
			itemIndex,
			description: 'Enter how many days before expiry the token check should warn, e.g. 7.',
		});
	}
	let capabilities = checked;
	if (authentication === 'instagramLogin') {
		if (operation === 'checkWhatsAppMessaging') {
			throw new NodeOperationError(
				this.getNode(),
				'An Instagram Login credential cannot reach WhatsApp',
				{
					itemIndex,
					description:
						'Choose Access Token or OAuth2 under Authentication to check WhatsApp messaging.',
				},
			);
		}
		capabilities = checked.filter((capability) => capability !== 'whatsappMessaging');
	}
	// Only the targets the operation shows: a value left over from another operation is ignored.
	const targetNames: Array<keyof Targets> = [
		...(capabilities.includes('instagramPublishing')
			? (['instagramAccountId', 'pageId'] as const)
			: []),
		...(capabilities.includes('whatsappMessaging') ? (['wabaId', 'phoneNumberId'] as const) : []),
	];
	const targets: Targets = {};
	for (const name of targetNames) {
		const value = readTarget(this, name, itemIndex);
		if (value) targets[name] = value;
	}

	const capabilitySet = new Set<Capability>(['token', ...capabilities]);
	const discovery = await discover(this, capabilitySet, targets, itemIndex, Date.now());
	const evaluation = evaluate({
		discovery,
		capabilities: capabilitySet,
		targets,
		expiryWarningDays,
	});
	return [
		{
			json: buildOutput(operation, capabilitySet, discovery, evaluation),
			pairedItem: { item: itemIndex },
		},
	];
}
