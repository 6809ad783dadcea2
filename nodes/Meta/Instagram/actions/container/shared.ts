import type { IExecuteFunctions } from 'n8n-workflow';

import { invalid } from '../../helpers/validation';

export function readContainerId(ctx: IExecuteFunctions, itemIndex: number): string {
	const containerId = String(ctx.getNodeParameter('containerId', itemIndex, '') ?? '').trim();
	if (!/^[0-9]+$/.test(containerId)) {
		throw invalid(
			ctx,
			itemIndex,
			containerId ? `Container ID "${containerId}" is not a container ID` : 'Container ID is empty',
			'Use the containerId returned by Container > Create, e.g. {{ $json.containerId }}.',
		);
	}
	return containerId;
}
