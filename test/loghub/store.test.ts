// File store metadata: concurrent saves share writes, and every change made before a save resolved
// is on disk afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileStore } from '../../src/loghub/store/fileStore.js';
import { emptyMeta } from '../../src/loghub/store/types.js';

test('concurrent metadata saves are coalesced and durable', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slst-meta-'));
  try {
    const store = new FileStore({ dataDir: dir });
    const meta = await store.loadMeta();
    assert.deepEqual(meta, emptyMeta());
    const saves: Promise<void>[] = [];
    for (let i = 0; i < 200; i++) {
      meta.projects[`p${i}`] = { projectName: `p${i}`, description: String(i), createTime: i, lastModifyTime: i, logstores: {} };
      saves.push(store.saveMeta(meta));
    }
    await Promise.all(saves);
    const again = await new FileStore({ dataDir: dir }).loadMeta();
    assert.equal(Object.keys(again.projects).length, 200);
    assert.equal(again.projects.p199.description, '199');
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
