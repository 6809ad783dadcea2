/**
 * What every check operation does: read the authentication, the options and the targets the
 * operation shows (through the shared typed reader, so a value of the wrong kind from an
 * expression stops the item before any request), discover, evaluate, build the report item.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	collectionValue,
	expectNumber,
	expectText,
	readCollection,
	readOption,
	readText,
} from '../../../shared/parameters';
import { discover } from '../../checks/discovery';
import type { Targets } from '../../checks/discoveryTypes';
import { evaluate } from '../../checks/evaluate';
import { DEFAULT_VERSION_WARNING_DAYS } from '../../checks/platformChecks';
import { buildOutput } from '../../checks/outputItem';
import type { Capability } from '../../checks/types';

const AUTHENTICATIONS = ['accessToken', 'oAuth2', 'instagramLogin'] as const;
type Authentication = (typeof AUTHENTICATIONS)[number];

const TARGET_LABELS: Record<keyof Targets, string> = {
	instagramAccountId: 'Instagram Account',
	pageId: 'Facebook Page',
	wabaId: 'WhatsApp Business Account',
	phoneNumberId: 'Phone Number',
};

/**
 * An optional resource locator: its ID, or undefined when empty. Objects, lists and null from an
 * expression are refused (an ignored target would silently check every asset instead).
 */
function readTarget(
	this: IExecuteFunctions,
	name: keyof Targets,
	itemIndex: number,
): string | undefined {
	const label = TARGET_LABELS[name];
	const value = readText.call(this, name, itemIndex, label, {
		extractValue: true,
		hint: `Give the ${label} ID as text (e.g. {{ $json.id }}), or leave it empty to check everything the token reaches.`,
	});
	if (value === '') return undefined;
	if (!/^\d+$/.test(value)) {
		throw new NodeOperationError(
			this.getNode(),
			`The ${label} "${value.slice(0, 40)}" is not a Meta ID`,
			{
				itemIndex,
				description: `Pick the ${label} from the list, enter its numeric ID, or leave it empty to check everything the token reaches.`,
			},
		);
	}
	return value;
}

function readExpiryWarningDays(this: IExecuteFunctions, itemIndex: number): number {
	const options = readCollection.call(this, 'options', itemIndex, 'Options');
	const field = {
		label: 'Expiry Warning (Days)',
		itemIndex,
		hint: 'Enter how many days before expiry the token check should warn, e.g. 7.',
	};
	// An added option whose expression gave nothing is refused, not replaced by the default.
	const value = collectionValue(this.getNode(), options, 'expiryWarningDays', field);
	if (value === undefined) return 7;
	return expectNumber(this.getNode(), value, field, { required: true, min: 0 }) ?? 7;
}

/** An optional whole number of the Options collection (`fallback` when not set). */
function readOptionNumber(
	this: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
	fallback: number,
	hint: string,
): number {
	const options = readCollection.call(this, 'options', itemIndex, 'Options');
	const value = collectionValue(this.getNode(), options, name, { label, itemIndex, hint });
	if (value === undefined) return fallback;
	return (
		expectNumber(this.getNode(), value, { label, itemIndex, hint }, { required: true, min: 0 }) ??
		fallback
	);
}

/**
 * The Expected Webhook URL option: an http(s) URL, or undefined when not added. An added option
 * whose expression gave nothing is refused (an ignored URL would report a check it never made).
 */
function readExpectedWebhookUrl(this: IExecuteFunctions, itemIndex: number): string | undefined {
	const options = readCollection.call(this, 'options', itemIndex, 'Options');
	const field = {
		label: 'Expected Webhook URL',
		itemIndex,
		hint: 'Paste the Production URL of your Meta Trigger, e.g. https://n8n.example.com/webhook/…/webhook.',
	};
	const value = collectionValue(this.getNode(), options, 'expectedWebhookUrl', field);
	if (value === undefined) return undefined;
	const url = expectText(this.getNode(), value, field, { required: true, allowNumber: false });
	if (!/^https?:\/\/[^\s/]+/i.test(url)) {
		throw new NodeOperationError(
			this.getNode(),
			`The Expected Webhook URL "${url.slice(0, 60)}" is not an http(s) URL`,
			{ itemIndex, description: field.hint },
		);
	}
	return url;
}

export async function runAssetCheck(
	this: IExecuteFunctions,
	itemIndex: number,
	operation: string,
	checked: Capability[],
): Promise<INodeExecutionData[]> {
	const authentication = readOption.call<
		IExecuteFunctions,
		[string, number, string, readonly Authentication[], Authentication],
		Authentication
	>(this, 'authentication', itemIndex, 'Authentication', AUTHENTICATIONS, 'accessToken');
	const expiryWarningDays = readExpiryWarningDays.call(this, itemIndex);
	const versionWarningDays = readOptionNumber.call(
		this,
		itemIndex,
		'versionWarningDays',
		'Graph Version Warning (Days)',
		DEFAULT_VERSION_WARNING_DAYS,
		'Enter how many days before a Graph API version ends the check should warn, e.g. 90.',
	);
	const dailyRecipients = readOptionNumber.call(
		this,
		itemIndex,
		'dailyRecipients',
		'People Messaged per Day',
		0,
		'Enter how many different people you message a day, e.g. 1000, or 0.',
	);
	const expectedWebhookUrl = checked.includes('whatsappMessaging')
		? readExpectedWebhookUrl.call(this, itemIndex)
		: undefined;
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
		const value = readTarget.call(this, name, itemIndex);
		if (value) targets[name] = value;
	}

	const capabilitySet = new Set<Capability>(['token', ...capabilities]);
	const discovery = await discover.call(
		this,
		itemIndex,
		authentication,
		capabilitySet,
		targets,
		Date.now(),
	);
	const evaluation = evaluate({
		discovery,
		capabilities: capabilitySet,
		targets,
		expiryWarningDays,
		versionWarningDays,
		dailyRecipients,
		expectedWebhookUrl,
	});
	return [
		{
			json: buildOutput(operation, capabilitySet, discovery, evaluation),
			pairedItem: { item: itemIndex },
		},
	];
}
