/**
 * Generic Graph reads: field selection over registered node types, nested expansion, edges with
 * cursor paging (https://developers.facebook.com/docs/graph-api/results).
 */
import type { GraphEdge, GraphNodeType, GraphRef, RouteContext } from '../types';
import { GraphError, nonexistingField, unknownObject } from './errors';
import { FieldSelection, FieldSyntaxError, parseFields, serializeFields } from './fields';

export const DEFAULT_EDGE_LIMIT = 25;
const MAX_EDGE_LIMIT = 5000;

export function isRef(value: unknown): value is GraphRef {
	return typeof value === 'object' && value !== null && (value as GraphRef).__ref === true;
}

export function isEdge(value: unknown): value is GraphEdge | GraphRef[] {
	if (!Array.isArray(value)) return false;
	if ((value as Partial<GraphEdge>).__edge) return true;
	return value.length > 0 && value.every(isRef);
}

export function makeEdge(
	kind: string | undefined,
	items: unknown[],
	options?: { paging?: boolean },
): GraphEdge {
	const edge = [...items] as GraphEdge;
	Object.defineProperty(edge, '__edge', {
		value: { kind, paging: options?.paging !== false },
		enumerable: false,
	});
	return edge;
}

export function encodeCursor(index: number): string {
	return Buffer.from(`cursor:${index}`).toString('base64url');
}

export function decodeCursor(cursor: string): number | undefined {
	const text = Buffer.from(cursor, 'base64url').toString('utf8');
	const match = /^cursor:(\d+)$/.exec(text);
	return match ? Number(match[1]) : undefined;
}

export function selectionFromParam(fields: unknown): FieldSelection[] | undefined {
	if (fields === undefined || fields === null || fields === '') return undefined;
	const text = Array.isArray(fields) ? fields.join(',') : String(fields);
	try {
		return parseFields(text);
	} catch (error) {
		if (error instanceof FieldSyntaxError) {
			throw new GraphError({ code: 2500, message: error.message });
		}
		throw error;
	}
}

export interface PageRequest {
	limit: number;
	after?: string;
	before?: string;
	/** Builds `paging.next` / `paging.previous` for a cursor; undefined: omit them. */
	link?: (cursorParam: 'after' | 'before', cursor: string, limit: number) => string;
}

export class Renderer {
	constructor(private readonly types: Map<string, GraphNodeType>) {}

	nodeType(kind: string): GraphNodeType | undefined {
		return this.types.get(kind);
	}

	async renderNode(
		kind: string,
		obj: unknown,
		selection: FieldSelection[] | undefined,
		ctx: RouteContext,
		objectIdForErrors?: string,
	): Promise<Record<string, unknown>> {
		const type = this.types.get(kind);
		if (!type)
			throw new GraphError(
				unknownObject(objectIdForErrors ?? String((obj as { id?: string })?.id ?? '')),
			);
		type.authorize?.(obj, ctx);
		const fields = selection ?? type.defaultFields.map((name) => ({ name }));
		const out: Record<string, unknown> = {};
		for (const field of fields) {
			const resolver = type.fields[field.name];
			if (!resolver) throw new GraphError(nonexistingField(field.name, kind));
			const value = await resolver(obj, ctx);
			if (value === undefined) continue;
			out[field.name] = await this.renderValue(value, field, ctx, () => this.idOf(type, obj, ctx));
		}
		// Meta answers `id` on every object read with `fields=`, requested or not (after the rest).
		if (selection && !('id' in out) && type.fields.id) {
			const id = await type.fields.id(obj, ctx);
			if (id !== undefined && id !== null) out.id = id;
		}
		return out;
	}

	private async idOf(type: GraphNodeType, obj: unknown, ctx: RouteContext): Promise<string> {
		const resolver = type.fields.id;
		if (resolver) return String(await resolver(obj, ctx));
		return String((obj as { id?: string })?.id ?? '');
	}

	async renderValue(
		value: unknown,
		field: FieldSelection,
		ctx: RouteContext,
		parentId: () => Promise<string>,
	): Promise<unknown> {
		if (isEdge(value)) {
			const id = await parentId();
			const childFields = field.children ? serializeFields(field.children) : undefined;
			return this.renderEdge(value, field.children, ctx, {
				limit: Math.min(field.limit ?? DEFAULT_EDGE_LIMIT, MAX_EDGE_LIMIT),
				link: (cursorParam, cursor, limit) =>
					buildLink(ctx, `/${id}/${field.name}`, {
						fields: childFields,
						limit: String(limit),
						[cursorParam]: cursor,
					}),
			});
		}
		if (isRef(value)) return this.renderNode(value.kind, value.obj, field.children, ctx);
		if (field.children && typeof value === 'object' && value !== null && !Array.isArray(value)) {
			return pickKeys(value as Record<string, unknown>, field.children);
		}
		return value;
	}

	async renderEdge(
		items: unknown[],
		selection: FieldSelection[] | undefined,
		ctx: RouteContext,
		page: PageRequest,
	): Promise<Record<string, unknown>> {
		const meta = (items as Partial<GraphEdge>).__edge;
		const withPaging = meta?.paging !== false;
		const limit = withPaging ? Math.max(1, page.limit) : items.length;
		let start = 0;
		if (withPaging && page.after) start = (decodeCursor(page.after) ?? -1) + 1;
		else if (withPaging && page.before)
			start = Math.max(0, (decodeCursor(page.before) ?? 0) - limit);
		const slice = items.slice(start, start + limit);
		const data: unknown[] = [];
		for (const item of slice) {
			if (isRef(item)) data.push(await this.renderNode(item.kind, item.obj, selection, ctx));
			else if (selection && typeof item === 'object' && item !== null)
				data.push(pickKeys(item as Record<string, unknown>, selection));
			else data.push(item);
		}
		const out: Record<string, unknown> = { data };
		if (!withPaging || slice.length === 0) return out;
		const before = encodeCursor(start);
		const after = encodeCursor(start + slice.length - 1);
		const paging: Record<string, unknown> = { cursors: { before, after } };
		if (page.link && start > 0) paging.previous = page.link('before', before, limit);
		if (page.link && start + slice.length < items.length)
			paging.next = page.link('after', after, limit);
		out.paging = paging;
		return out;
	}
}

function pickKeys(
	value: Record<string, unknown>,
	selection: FieldSelection[],
): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const field of selection) {
		if (!(field.name in value)) continue;
		const inner = value[field.name];
		out[field.name] =
			field.children && typeof inner === 'object' && inner !== null && !Array.isArray(inner)
				? pickKeys(inner as Record<string, unknown>, field.children)
				: inner;
	}
	return out;
}

/** Absolute URL on the simulator, like Meta's paging links (which carry the access token). */
export function buildLink(
	ctx: RouteContext,
	path: string,
	params: Record<string, string | undefined>,
): string {
	const search = new URLSearchParams();
	const token = ctx.req.params.access_token ?? bearer(ctx.req.headers.authorization);
	if (typeof token === 'string' && token) search.set('access_token', token);
	for (const [key, value] of Object.entries(params))
		if (value !== undefined) search.set(key, value);
	return `${ctx.baseUrl}/${ctx.req.version ?? 'v26.0'}${path}?${search.toString()}`;
}

function bearer(header: string | undefined): string | undefined {
	const match = header ? /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header.trim()) : null;
	return match?.[1];
}
