/**
 * Process environment n8n-core reads when its modules load. Imported FIRST by harness.ts so the
 * instance folder (settings file, binary data) lives in a throwaway temp dir, never in ~/.n8n.
 */
import { mkdtempSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const PREFIX = 'n8n-harness-';

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Jest kills its workers without an 'exit' event, so folders of dead processes are swept here. */
function sweepStaleFolders(): void {
	try {
		for (const entry of readdirSync(tmpdir())) {
			const match = new RegExp(`^${PREFIX}(\\d+)-`).exec(entry);
			if (match && !isAlive(Number(match[1]))) {
				rmSync(join(tmpdir(), entry), { recursive: true, force: true });
			}
		}
	} catch {
		// best effort
	}
}

if (!process.env.N8N_HARNESS_USER_FOLDER) {
	sweepStaleFolders();
	const folder = mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`));
	process.env.N8N_HARNESS_USER_FOLDER = folder;
	process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
}
process.env.N8N_USER_FOLDER = process.env.N8N_HARNESS_USER_FOLDER;
process.env.N8N_ENCRYPTION_KEY ??= 'n8n-nodes-meta-business-test-encryption-key';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
process.env.N8N_LOG_LEVEL ??= 'silent';
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS = 'false';
process.env.N8N_RUNNERS_ENABLED ??= 'false';
