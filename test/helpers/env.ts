/**
 * Process environment n8n-core reads when its modules load. Imported FIRST by harness.ts so the
 * instance folder (settings file, binary data) lives in a throwaway temp dir, never in ~/.n8n.
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

if (!process.env.N8N_HARNESS_USER_FOLDER) {
	process.env.N8N_HARNESS_USER_FOLDER = mkdtempSync(join(tmpdir(), 'n8n-harness-'));
}
process.env.N8N_USER_FOLDER = process.env.N8N_HARNESS_USER_FOLDER;
process.env.N8N_ENCRYPTION_KEY ??= 'n8n-nodes-meta-business-test-encryption-key';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
process.env.N8N_LOG_LEVEL ??= 'silent';
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS = 'false';
process.env.N8N_RUNNERS_ENABLED ??= 'false';
