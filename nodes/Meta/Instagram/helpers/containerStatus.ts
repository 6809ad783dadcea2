/**
 * A container's status: one read, several containers in one multi-id read, and the error for a
 * container Meta failed to handle.
 * https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-container
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getMetaErrorInfo, lookupMetaErrorBySubcode, toNodeApiError } from '../../shared/errors';
import { graphRequest } from '../../shared/transport';
import type { ContainerState, StatusCode } from './containers';

const STATUS_FIELDS = 'id,status_code,status';

function asStatusCode(value: unknown): StatusCode {
	return value === 'FINISHED' ||
		value === 'ERROR' ||
		value === 'EXPIRED' ||
		value === 'PUBLISHED' ||
		value === 'IN_PROGRESS'
		? value
		: 'IN_PROGRESS';
}

/** `GET /{container-id}?fields=status_code,status`. An unreadable status counts as not ready. */
export async function getContainerStatus(
	this: IExecuteFunctions,
	itemIndex: number,
	containerId: string,
): Promise<ContainerState> {
	const response = (await graphRequest.call(this, {
		method: 'GET',
		path: `/${containerId}`,
		qs: { fields: STATUS_FIELDS },
		itemIndex,
	})) as { status_code?: unknown; status?: unknown } | undefined;
	const status = typeof response?.status === 'string' ? response.status : undefined;
	return { id: containerId, statusCode: asStatusCode(response?.status_code), status };
}

/**
 * Several containers in one request (`GET /?ids=a,b&fields=...`); one by one when Meta refuses
 * the multi-id read. Each id counts as one call against the rate limit either way:
 * https://developers.facebook.com/docs/graph-api/overview/rate-limiting
 */
export async function getContainerStatuses(
	this: IExecuteFunctions,
	itemIndex: number,
	ids: string[],
): Promise<ContainerState[]> {
	if (ids.length > 1 && ids.length <= 50) {
		try {
			const response = (await graphRequest.call(this, {
				method: 'GET',
				path: '/',
				qs: { ids: ids.join(','), fields: STATUS_FIELDS },
				itemIndex,
			})) as Record<string, { status_code?: unknown; status?: unknown } | undefined> | undefined;
			if (ids.every((id) => typeof response?.[id]?.status_code === 'string')) {
				return ids.map((id) => {
					const entry = response![id]!;
					const status = typeof entry.status === 'string' ? entry.status : undefined;
					return { id, statusCode: asStatusCode(entry.status_code), status };
				});
			}
		} catch (error) {
			if (getMetaErrorInfo(error)?.code !== 100)
				throw toNodeApiError(this.getNode(), error, { itemIndex });
		}
	}
	return await Promise.all(
		ids.map(async (id) => await getContainerStatus.call(this, itemIndex, id)),
	);
}

/** The catalogue's advice for a subcode Meta reports inside a container's `status` text. */
export function hintForStatus(status: string | undefined): { subcode?: number; hint?: string } {
	const match = /\b(2207\d{3})\b/.exec(status ?? '');
	if (!match) return {};
	const subcode = Number(match[1]);
	return { subcode, hint: lookupMetaErrorBySubcode(subcode)?.hint };
}

export function containerFailedError(
	this: IExecuteFunctions,
	itemIndex: number,
	state: ContainerState,
	label?: string,
): NodeOperationError {
	const who = label ? `${label}: ` : '';
	if (state.statusCode === 'EXPIRED') {
		return new NodeOperationError(
			this.getNode(),
			`${who}the media container ${state.id} has expired`,
			{
				itemIndex,
				description:
					'Meta deletes containers that are not published within 24 hours. Create the media again (Post > Publish, or Container > Create).',
			},
		);
	}
	const { subcode, hint } = hintForStatus(state.status);
	// Our title leads; Meta's status text follows the advice.
	const title = subcode === undefined ? undefined : lookupMetaErrorBySubcode(subcode)?.title;
	const advice =
		hint ??
		'Meta rejected the media while processing it. Check the format (JPEG images; MP4 or MOV videos with H.264 and AAC), the size and the duration, then create it again.';
	const said = state.status ? ` Meta says: ${state.status.trim().replace(/\.+$/, '')}.` : '';
	const error = new NodeOperationError(
		this.getNode(),
		`${who}${title ?? 'Instagram could not process the media'}`,
		{
			itemIndex,
			description: `${advice}${said} (container ${state.id}${subcode !== undefined ? `, subcode ${subcode}` : ''})`,
		},
	);
	error.context.meta = {
		code: undefined,
		subcode,
		outcome: 'failed',
		message: state.status ?? 'ERROR',
	};
	return error;
}
