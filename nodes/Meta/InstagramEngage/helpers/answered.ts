/**
 * Comments this workflow already answered with a private reply, kept in the workflow's static
 * data (n8n saves it for active workflows, i.e. runs started by a trigger). Meta allows one private
 * reply per comment within 7 days of the comment
 * (https://developers.facebook.com/docs/instagram-platform/private-replies): an entry older than
 * that can never be answered again, so it is dropped and the memory stays small.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

export const PRIVATE_REPLY_WINDOW_MS = 7 * 24 * 3600 * 1000;

/** Meta's answer to a second private reply to the same comment (Messenger's "Activity already replied to"). */
export const ALREADY_ANSWERED_CODES: readonly number[] = [10900];

function memory(this: IExecuteFunctions): IDataObject {
	const staticData = this.getWorkflowStaticData('node');
	const current = staticData.answeredComments;
	if (typeof current !== 'object' || current === null || Array.isArray(current)) {
		staticData.answeredComments = {};
	}
	return staticData.answeredComments as IDataObject;
}

/** When this workflow answered the comment (ISO), or undefined. */
export function answeredAt(this: IExecuteFunctions, commentId: string): string | undefined {
	const value = memory.call(this)[commentId];
	return typeof value === 'string' ? value : undefined;
}

export function rememberAnswered(this: IExecuteFunctions, commentId: string, now: number): void {
	const answered = memory.call(this);
	for (const [id, at] of Object.entries(answered)) {
		const time = typeof at === 'string' ? Date.parse(at) : NaN;
		if (!Number.isFinite(time) || now - time > PRIVATE_REPLY_WINDOW_MS) delete answered[id];
	}
	answered[commentId] = new Date(now).toISOString();
}
