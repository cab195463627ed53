// File store metadata: concurrent saves share writes, and every change made before a save resolved
// is on disk afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileStore } from '../../src/loghub/store/fileStore.js';
import { emptyMeta, META_VERSION } from '../../src/loghub/store/types.js';

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
    // A second reader while the first still holds the directory: only with the lock off.
    const again = await new FileStore({ dataDir: dir, lock: false }).loadMeta();
    assert.equal(Object.keys(again.projects).length, 200);
    assert.equal(again.projects.p199.description, '199');
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a version 1 data directory is read and marked version 2 at once; unknown versions are refused', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slst-meta-'));
  try {
    const v1 = { version: 1, projects: { p1: { projectName: 'p1', description: 'old', createTime: 1, lastModifyTime: 1, logstores: {} } } };
    writeFileSync(path.join(dir, 'meta.json'), JSON.stringify(v1));
    const store = new FileStore({ dataDir: dir });
    const meta = await store.loadMeta();
    assert.equal(meta.version, META_VERSION);
    assert.equal(meta.projects.p1.description, 'old');
    // On disk before anything else happens: an older sls-trigger now refuses the directory.
    assert.equal(JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')).version, META_VERSION);
    await store.close();
    writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ ...v1, version: 3 }));
    await assert.rejects(new FileStore({ dataDir: dir }).loadMeta(), /unsupported meta.json version 3/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
