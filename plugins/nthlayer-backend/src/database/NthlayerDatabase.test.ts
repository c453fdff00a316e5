import knexFactory from 'knex';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNthlayerDatabase } from './NthlayerDatabase';

describe('createNthlayerDatabase on an SQLite file', () => {
  it('uses WAL with synchronous=NORMAL, in-memory temporary B-trees and a 32 MiB page cache', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nthlayer-db-'));
    const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: join(dir, 'nthlayer.sqlite') }, useNullAsDefault: true });
    try {
      const before = await knex.raw('PRAGMA temp_store');
      expect(before).toEqual([{ temp_store: 0 }]);
      await createNthlayerDatabase({ database: { getClient: async () => knex } });
      expect(await knex.raw('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
      // 1 = NORMAL, 2 = MEMORY; a negative cache size is in KiB.
      expect(await knex.raw('PRAGMA synchronous')).toEqual([{ synchronous: 1 }]);
      expect(await knex.raw('PRAGMA temp_store')).toEqual([{ temp_store: 2 }]);
      expect(await knex.raw('PRAGMA cache_size')).toEqual([{ cache_size: -32768 }]);
    } finally {
      await knex.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
